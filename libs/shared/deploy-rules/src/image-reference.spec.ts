import { parseImageReference, resolveImage } from './image-reference';
import { defaultPullPolicy } from './pull-policy';
import { errorsOf } from '@bosun/testing';

const D1 = 'sha256:1ff6c18fbef2045af6b9c16bf034cc421a29027b800e4f9b68ae9b1cb3e9ae07'; // 001:39-40
const D2 = 'sha256:45b23dee08af5e43a7fea6c4cf9c25ccf269ee113168c19722f87876677c5cb2'; // 001:84-85

describe('parseImageReference: valid references', () => {
  it.each([
    // 001:42-58, the examples the document lists
    ['busybox', 'docker.io', 'library/busybox', 'latest', undefined, 'docker.io/library/busybox:latest', 'Always'],
    ['busybox:1.32.0', 'docker.io', 'library/busybox', '1.32.0', undefined, 'docker.io/library/busybox:1.32.0', 'IfNotPresent'],
    ['registry.k8s.io/pause:latest', 'registry.k8s.io', 'pause', 'latest', undefined, 'registry.k8s.io/pause:latest', 'Always'],
    ['registry.k8s.io/pause:3.5', 'registry.k8s.io', 'pause', '3.5', undefined, 'registry.k8s.io/pause:3.5', 'IfNotPresent'],
    [`registry.k8s.io/pause@${D1}`, 'registry.k8s.io', 'pause', undefined, D1, `registry.k8s.io/pause@${D1}`, 'IfNotPresent'],
    [`registry.k8s.io/pause:3.5@${D1}`, 'registry.k8s.io', 'pause', '3.5', D1, `registry.k8s.io/pause:3.5@${D1}`, 'IfNotPresent'],
    // 001:11-16, 001:84: names without a registry
    ['pause', 'docker.io', 'library/pause', 'latest', undefined, 'docker.io/library/pause:latest', 'Always'],
    ['example/mycontainer', 'docker.io', 'example/mycontainer', 'latest', undefined, 'docker.io/example/mycontainer:latest', 'Always'],
    ['kube-apiserver', 'docker.io', 'library/kube-apiserver', 'latest', undefined, 'docker.io/library/kube-apiserver:latest', 'Always'],
    [`image@${D2}`, 'docker.io', 'library/image', undefined, D2, `docker.io/library/image@${D2}`, 'IfNotPresent'],
    // 001:17-19: a registry host, with and without a port
    ['fictional.registry.example/imagename', 'fictional.registry.example', 'imagename', 'latest', undefined, 'fictional.registry.example/imagename:latest', 'Always'],
    ['fictional.registry.example:10443/imagename', 'fictional.registry.example:10443', 'imagename', 'latest', undefined, 'fictional.registry.example:10443/imagename:latest', 'Always'],
    ['fictional.registry.example:10443/imagename:v1.42.0', 'fictional.registry.example:10443', 'imagename', 'v1.42.0', undefined, 'fictional.registry.example:10443/imagename:v1.42.0', 'IfNotPresent'],
    // 004:1232-1235, 1366: the tutorial's images
    ['leigg/hellok8s:v2', 'docker.io', 'leigg/hellok8s', 'v2', undefined, 'docker.io/leigg/hellok8s:v2', 'IfNotPresent'],
    ['leigg/hellok8s:v2_problem', 'docker.io', 'leigg/hellok8s', 'v2_problem', undefined, 'docker.io/leigg/hellok8s:v2_problem', 'IfNotPresent'],
    // registries docker recognises
    ['localhost/app', 'localhost', 'app', 'latest', undefined, 'localhost/app:latest', 'Always'],
    ['localhost:5000/team/app:v1', 'localhost:5000', 'team/app', 'v1', undefined, 'localhost:5000/team/app:v1', 'IfNotPresent'],
    ['[::1]:5000/app:1', '[::1]:5000', 'app', '1', undefined, '[::1]:5000/app:1', 'IfNotPresent'],
    ['192.168.1.10:5000/app', '192.168.1.10:5000', 'app', 'latest', undefined, '192.168.1.10:5000/app:latest', 'Always'],
    ['index.docker.io/library/nginx:1.14.2', 'docker.io', 'library/nginx', '1.14.2', undefined, 'docker.io/library/nginx:1.14.2', 'IfNotPresent'],
    ['docker.io/nginx', 'docker.io', 'library/nginx', 'latest', undefined, 'docker.io/library/nginx:latest', 'Always'],
    ['docker.io/bitnami/redis:7.2', 'docker.io', 'bitnami/redis', '7.2', undefined, 'docker.io/bitnami/redis:7.2', 'IfNotPresent'],
    ['ghcr.io/org/team/app:sha-1f2e3d', 'ghcr.io', 'org/team/app', 'sha-1f2e3d', undefined, 'ghcr.io/org/team/app:sha-1f2e3d', 'IfNotPresent'],
    // an upper-case first component is a registry (a path may not be upper-case)
    ['Registry/app', 'Registry', 'app', 'latest', undefined, 'Registry/app:latest', 'Always'],
    // `latest` with a digest: upstream defaults from the tag alone
    [`busybox:latest@${D1}`, 'docker.io', 'library/busybox', 'latest', D1, `docker.io/library/busybox:latest@${D1}`, 'Always'],
  ])('%s', (ref, registry, repository, tag, digest, normalized, policy) => {
    expect(parseImageReference(ref)).toEqual({
      ok: true,
      value: { registry, repository, tag, digest, normalized, defaultPullPolicy: policy },
    });
  });

  it.each([
    'a__b', 'a---b', 'a.b_c', 'a-b.c__d', 'x/y/z/w', 'a0/1b',
    `busybox:${'a'.repeat(128)}`, 'busybox:_private', 'busybox:V1.0-RC_1', 'busybox:1.', 'app:latest-alpine',
    `busybox@sha512:${'a'.repeat(128)}`, `busybox@sha384:${'b'.repeat(96)}`,
    'my-registry:5000/x', 'localhost:1/x', 'a.b.c.d.e/x',
  ])('accepts %s', (ref) => {
    expect(parseImageReference(ref).ok).toBe(true);
  });
});

describe('parseImageReference: invalid references name the problem', () => {
  it.each([
    ['', 'image is required'],
    [' busybox', 'image " busybox" must not have leading or trailing whitespace'],
    ['busybox\n', 'must not have leading or trailing whitespace'],
    ['busy box', 'must not contain whitespace'],
    ['Busybox', 'repository "Busybox" is invalid: must be lower-case'],
    ['example/MyContainer', 'repository "example/MyContainer" is invalid: must be lower-case'],
    ['busybox:', 'tag "" is invalid: must match [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}'],
    ['busybox:-bad', 'tag "-bad" is invalid'],
    ['busybox:.bad', 'tag ".bad" is invalid'],
    ['busybox:v1!', 'tag "v1!" is invalid'],
    [`busybox:${'a'.repeat(129)}`, 'is invalid: must be at most 128 characters'],
    ['busybox@sha256:abc', 'digest "sha256:abc" is invalid: must be sha256: followed by 64 lower-case hex digits'],
    [`busybox@sha256:${'A'.repeat(64)}`, 'digest'],
    [`busybox@sha256:${'a'.repeat(63)}`, 'digest'],
    [`busybox@sha256:${'g'.repeat(64)}`, 'digest'],
    [`busybox@md5:${'a'.repeat(32)}`, 'unsupported algorithm "md5"'],
    ['busybox@', 'digest "" is invalid'],
    [`busybox@${D1}@${D1}`, 'more than one "@"'],
    ['a..b', 'path component "a..b" must match'],
    ['a___b', 'path component "a___b"'],
    ['-a', 'path component "-a"'],
    ['a-', 'path component "a-"'],
    ['a//b', 'path component ""'],
    ['a/', 'path component ""'],
    ['/a', 'path component ""'],
    ['registry.example/', 'repository name is missing'],
    ['fictional.registry.example:port/imagename', 'registry "fictional.registry.example:port" is invalid'],
    ['fictional.registry.example:99999/imagename', 'port must be between 1 and 65535'],
    ['fictional.registry.example:0/imagename', 'port must be between 1 and 65535'],
    ['host_name.example/x', 'registry "host_name.example" is invalid'],
    ['-host.example/x', 'registry "-host.example" is invalid'],
    ['foo:tag/bar', 'registry "foo:tag" is invalid'],
    [`@${D1}`, 'repository name is missing'],
    [':v1', 'repository name is missing'],
    ['a'.repeat(64).replace(/a/g, 'f'), 'cannot use a 64-character hexadecimal string'],
    [`${'a'.repeat(250)}/b`, 'is too long: at most 255 characters'],
  ])('%j', (ref, problem) => {
    const errors = errorsOf(parseImageReference(ref));
    expect(errors.every((e) => e.path === 'image')).toBe(true);
    expect(errors.map((e) => e.message).join('\n')).toContain(problem);
  });

  it('reports every problem at once', () => {
    expect(errorsOf(parseImageReference('x/Y:bad!@sha256:123')).map((e) => e.message)).toEqual([
      'repository "x/Y" is invalid: must be lower-case',
      'tag "bad!" is invalid: must match [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}',
      'digest "sha256:123" is invalid: must be sha256: followed by 64 lower-case hex digits',
    ]);
  });

  it('reports against the path it is given', () => {
    expect(parseImageReference('BAD', 'spec.image')).toEqual({
      ok: false,
      errors: [{ path: 'spec.image', message: 'repository "BAD" is invalid: must be lower-case' }],
    });
  });

  it('checks the name length on the normalised name', () => {
    // 235 + "docker.io/library/" = 253 ≤ 255; 238 → 256
    expect(parseImageReference('a'.repeat(237)).ok).toBe(true);
    expect(parseImageReference('a'.repeat(238)).ok).toBe(false);
  });
});

describe('defaultPullPolicy (001:107-141; 003:55 is wrong)', () => {
  it.each([
    [{}, 'Always'],
    [{ tag: 'latest' }, 'Always'],
    [{ tag: '1.32.0' }, 'IfNotPresent'],
    [{ tag: 'Latest' }, 'IfNotPresent'],
    [{ digest: D1 }, 'IfNotPresent'],
    [{ tag: '3.5', digest: D1 }, 'IfNotPresent'],
    [{ tag: 'latest', digest: D1 }, 'Always'],
  ])('%j → %s', (ref, policy) => {
    expect(defaultPullPolicy(ref)).toBe(policy);
  });

  it('003:55 says the default is always Always: for kubeguide/guestbook-php-frontend:latest it is, for a version tag it is not', () => {
    const withLatest = parseImageReference('kubeguide/guestbook-php-frontend:latest');
    const withVersion = parseImageReference('kubeguide/guestbook-php-frontend:v2');
    expect(withLatest.ok && withLatest.value.defaultPullPolicy).toBe('Always');
    expect(withVersion.ok && withVersion.value.defaultPullPolicy).toBe('IfNotPresent');
  });
});

describe('resolveImage', () => {
  it('returns the contract shape without undefined members', () => {
    const result = resolveImage(`registry.k8s.io/pause@${D1}`);
    expect(result).toEqual({
      ok: true,
      value: { registry: 'registry.k8s.io', repository: 'pause', digest: D1, normalized: `registry.k8s.io/pause@${D1}`, defaultPullPolicy: 'IfNotPresent' },
    });
    expect(result.ok && Object.keys(result.value)).not.toContain('tag');
  });

  it('fills in Docker Hub and latest for busybox', () => {
    expect(resolveImage('busybox')).toEqual({
      ok: true,
      value: { registry: 'docker.io', repository: 'library/busybox', tag: 'latest', normalized: 'docker.io/library/busybox:latest', defaultPullPolicy: 'Always' },
    });
  });

  it('passes field errors through', () => {
    expect(resolveImage('busybox:no good')).toEqual({ ok: false, errors: [{ path: 'image', message: 'image "busybox:no good" must not contain whitespace' }] });
  });
});
