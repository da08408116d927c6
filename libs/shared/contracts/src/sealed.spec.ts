import { deployCommandSchema, deployRequestSchema } from './deployer';
import { toFieldErrors } from './common';
import { REDACTED, redactSealed } from './sealed';

const sealed = { sealed: 'v1:QUJDREVGR0hJSktMTU5PUFFSU1RVVldY' };
const ref = { valueFrom: { secretKeyRef: { name: 'db-credentials', key: 'password' } } };
const base = { namespace: 'team-a', name: 'web', image: 'nginx:1.27' };
const paths = (r: { success: boolean; error?: Parameters<typeof toFieldErrors>[0] }): string[] => (r.error ? toFieldErrors(r.error).map((e) => e.path) : []);

describe('redactSealed', () => {
  it('replaces every sealed value, at any depth and in arrays, and leaves the rest as it was', () => {
    const payload = { ...base, replicas: 2, env: { A: sealed, B: ref }, list: [sealed, 1, 'x'], nested: { deep: { s: sealed } } };
    const out = redactSealed(payload);
    expect(out).toEqual({ ...base, replicas: 2, env: { A: REDACTED, B: ref }, list: [REDACTED, 1, 'x'], nested: { deep: { s: REDACTED } } });
    expect(JSON.stringify(out)).not.toContain('v1:');
    expect(payload.env.A).toBe(sealed); // the input is not modified
  });

  it('a malformed sealed value is redacted too; objects with more keys, null and scalars pass through', () => {
    expect(redactSealed({ x: { sealed: 'garbage' } })).toEqual({ x: REDACTED });
    expect(redactSealed({ x: { sealed: 'v1:AA', other: 1 } })).toEqual({ x: { sealed: 'v1:AA', other: 1 } });
    expect(redactSealed(null)).toBeNull();
    expect(redactSealed('text')).toBe('text');
    expect(redactSealed(undefined)).toBeUndefined();
  });
});

describe('deploy env: literal values or valueFrom.secretKeyRef (request), sealed or secretKeyRef (command)', () => {
  it('the request takes a literal string or a secretKeyRef (optional too), as Kubernetes spells it', () => {
    const env = { PLAIN: 'x', FROM: ref, OPT: { valueFrom: { secretKeyRef: { name: 'a.b-c', key: '.dot_key-1', optional: true } } } };
    expect(deployRequestSchema.parse({ ...base, env }).env).toEqual(env);
  });

  it.each([
    [{ name: 'Bad_Name', key: 'k' }, 'env.FOO.valueFrom.secretKeyRef.name', /RFC 1123 subdomain/],
    [{ name: '-x', key: 'k' }, 'env.FOO.valueFrom.secretKeyRef.name', /RFC 1123 subdomain/],
    [{ name: 'a'.repeat(254), key: 'k' }, 'env.FOO.valueFrom.secretKeyRef.name', /253/],
    [{ name: 'db', key: 'bad key' }, 'env.FOO.valueFrom.secretKeyRef.key', /\[-\._a-zA-Z0-9\]\+/],
    [{ name: 'db', key: '..x' }, 'env.FOO.valueFrom.secretKeyRef.key', /'\.\.'/],
    [{ name: 'db', key: '' }, 'env.FOO.valueFrom.secretKeyRef.key', /valid config key/],
    [{ name: 'db' }, 'env.FOO.valueFrom.secretKeyRef.key', /key is required/],
    [{ key: 'k' }, 'env.FOO.valueFrom.secretKeyRef.name', /name is required/],
    [{ name: 'db', key: 'k', optional: 'yes' }, 'env.FOO.valueFrom.secretKeyRef.optional', /boolean/],
  ])('secretKeyRef %j → an error naming %s', (secretKeyRef, path, message) => {
    const r = deployRequestSchema.safeParse({ ...base, env: { FOO: { valueFrom: { secretKeyRef } } } });
    expect(r.success).toBe(false);
    const errors = toFieldErrors(r.error!);
    expect(errors.map((e) => e.path)).toEqual([path]);
    expect(errors[0].message).toMatch(message);
  });

  it('anything else as a value names the variable: numbers, other valueFrom sources, unknown keys', () => {
    expect(paths(deployRequestSchema.safeParse({ ...base, env: { N: 5 } }))).toEqual(['env.N']);
    expect(toFieldErrors(deployRequestSchema.safeParse({ ...base, env: { N: 5 } }).error!)[0].message).toMatch(/string or \{valueFrom/);
    expect(paths(deployRequestSchema.safeParse({ ...base, env: { C: { valueFrom: { configMapKeyRef: { name: 'c', key: 'k' } } } } }))).toEqual(['env.C.valueFrom.secretKeyRef', 'env.C.valueFrom']);
    expect(paths(deployRequestSchema.safeParse({ ...base, env: { S: { valueFrom: { secretKeyRef: { name: 'db', key: 'k', extra: 1 } } } } }))).toEqual(['env.S.valueFrom.secretKeyRef']);
  });

  it('the request does not take a sealed value: only the gateway seals', () => {
    const r = deployRequestSchema.safeParse({ ...base, env: { S: sealed } });
    expect(toFieldErrors(r.error!)).toEqual([
      { path: 'env.S.valueFrom', message: expect.stringMatching(/expected object/) },
      { path: 'env.S', message: 'Unrecognized key: "sealed"' },
    ]);
  });

  it('the command refuses a plaintext value, so none can reach the stream, BullMQ or the DLQ unnoticed', () => {
    expect(deployCommandSchema.parse({ ...base, env: { S: sealed, R: ref } }).env).toEqual({ S: sealed, R: ref });
    const r = deployCommandSchema.safeParse({ ...base, env: { PLAIN: 'hunter2' } });
    expect(paths(r)).toEqual(['env.PLAIN']);
    expect(JSON.stringify(toFieldErrors(r.error!))).not.toContain('hunter2');
    expect(paths(deployCommandSchema.safeParse({ ...base, env: { S: { sealed: 'not-sealed' } } }))).toEqual(['env.S.sealed']);
  });
});
