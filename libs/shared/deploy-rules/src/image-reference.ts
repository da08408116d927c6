import type { FieldError, ResolvedImage } from '@bosun/contracts';
import { defaultPullPolicy, type PullPolicy } from './pull-policy';
import { fail, fieldError, ok, type Result } from '@bosun/contracts';

// The reference grammar of the distribution project (the one docker, containerd and the
// kubelet use), written out here so we reject what the kubelet would report as
// InvalidImageName before the Deployment ever exists (001:10-58):
//   reference := [domain '/'] path [':' tag] ['@' digest]
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = new RegExp(`^(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])(?::([0-9]+))?$`);
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
/** 001:33: `[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}`. */
const TAG = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/;
const DIGEST = /^([a-z0-9]+(?:[.+_-][a-z0-9]+)*):([a-zA-Z0-9=_-]+)$/;
/** go-digest knows these algorithms and their (lower-case hex) lengths; sha256 is what registries use. */
const DIGEST_HEX_LENGTH: Record<string, number> = { sha256: 64, sha384: 96, sha512: 128 };
const HEX64 = /^[a-f0-9]{64}$/;
const NAME_MAX = 255;

export const DEFAULT_REGISTRY = 'docker.io';
const LEGACY_DEFAULT_REGISTRY = 'index.docker.io';
const OFFICIAL_PREFIX = 'library/';

export interface ImageReference {
  /** host[:port]; `docker.io` when the reference names none. */
  registry: string;
  /** path inside the registry; Docker Hub's official images get `library/`. */
  repository: string;
  /** the tag as written, or `latest` when neither a tag nor a digest was given. */
  tag?: string;
  digest?: string;
  /** fully qualified: `busybox` → `docker.io/library/busybox:latest`; a digest is kept. */
  normalized: string;
  defaultPullPolicy: PullPolicy;
}

interface Parts {
  domain?: string;
  path: string;
  tag?: string;
  digest?: string;
}

/**
 * Docker's rule for "is the first path component a registry?": only if it has a `.` or a
 * `:`, is `localhost`, or has an upper-case letter (a path may not). `example/app` is a
 * Docker Hub repository, `fictional.registry.example:10443/imagename` is not (001:17-19).
 */
const splitDomain = (name: string): { domain?: string; rest: string } => {
  const slash = name.indexOf('/');
  if (slash === -1) return { rest: name };
  const first = name.slice(0, slash);
  const isDomain = /[.:]/.test(first) || first === 'localhost' || first.toLowerCase() !== first;
  return isDomain ? { domain: first, rest: name.slice(slash + 1) } : { rest: name };
};

const split = (ref: string): Parts => {
  const at = ref.indexOf('@');
  const digest = at === -1 ? undefined : ref.slice(at + 1);
  const name = at === -1 ? ref : ref.slice(0, at);
  const { domain, rest } = splitDomain(name);
  const colon = rest.lastIndexOf(':');
  if (colon === -1) return { domain, path: rest, digest };
  return { domain, path: rest.slice(0, colon), tag: rest.slice(colon + 1), digest };
};

const domainErrors = (domain: string | undefined, path: string): FieldError[] => {
  if (domain === undefined) return [];
  const match = DOMAIN.exec(domain);
  if (!match) {
    return [fieldError(path, `registry "${domain}" is invalid: must be a host name or IP address with an optional port, such as fictional.registry.example:10443`)];
  }
  const port = match[1] === undefined ? undefined : Number(match[1]);
  if (port !== undefined && (port < 1 || port > 65535)) {
    return [fieldError(path, `registry "${domain}" is invalid: port must be between 1 and 65535`)];
  }
  return [];
};

const pathErrors = (repository: string, path: string): FieldError[] => {
  if (repository === '') return [fieldError(path, 'repository name is missing')];
  if (repository.toLowerCase() !== repository) {
    return [fieldError(path, `repository "${repository}" is invalid: must be lower-case`)];
  }
  const bad = repository.split('/').find((component) => !PATH_COMPONENT.test(component));
  if (bad === undefined) return [];
  return [fieldError(path, `repository "${repository}" is invalid: path component "${bad}" must match [a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*`)];
};

const tagErrors = (tag: string | undefined, path: string): FieldError[] => {
  if (tag === undefined || TAG.test(tag)) return [];
  const why = tag.length > 128 ? 'must be at most 128 characters' : 'must match [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}';
  return [fieldError(path, `tag "${tag}" is invalid: ${why}`)];
};

const digestErrors = (digest: string | undefined, path: string): FieldError[] => {
  if (digest === undefined) return [];
  const match = DIGEST.exec(digest);
  const expected = match ? DIGEST_HEX_LENGTH[match[1]] : undefined;
  if (match && expected !== undefined && new RegExp(`^[a-f0-9]{${expected}}$`).test(match[2])) return [];
  const why = match && expected === undefined
    ? `unsupported algorithm "${match[1]}" (use sha256)`
    : 'must be sha256: followed by 64 lower-case hex digits';
  return [fieldError(path, `digest "${digest}" is invalid: ${why}`)];
};

const preliminaryErrors = (ref: string, path: string): FieldError[] => {
  if (ref === '') return [fieldError(path, 'image is required')];
  if (ref.trim() !== ref) return [fieldError(path, `image "${ref}" must not have leading or trailing whitespace`)];
  if (/\s/.test(ref)) return [fieldError(path, `image "${ref}" must not contain whitespace`)];
  // A bare 64-hex string looks like an image ID, not a name; docker refuses it as a name.
  if (HEX64.test(ref)) return [fieldError(path, `image "${ref}" is invalid: cannot use a 64-character hexadecimal string as a repository name`)];
  if (ref.indexOf('@') !== ref.lastIndexOf('@')) return [fieldError(path, `image "${ref}" is invalid: more than one "@"`)];
  return [];
};

const normalize = (parts: Parts): { registry: string; repository: string } => {
  const domain = parts.domain === LEGACY_DEFAULT_REGISTRY ? DEFAULT_REGISTRY : (parts.domain ?? DEFAULT_REGISTRY);
  const official = domain === DEFAULT_REGISTRY && !parts.path.includes('/');
  return { registry: domain, repository: official ? OFFICIAL_PREFIX + parts.path : parts.path };
};

/**
 * Parses `[registry[:port]/]path[:tag][@digest]` (001:10-58). `path` is the FieldError path
 * to report against (`image` by default). With both tag and digest the digest alone
 * decides what is pulled (001:57-58), but both are kept in `normalized`.
 */
export const parseImageReference = (ref: string, path = 'image'): Result<ImageReference> => {
  const early = preliminaryErrors(ref, path);
  if (early.length > 0) return fail(early);
  const parts = split(ref);
  const { registry, repository } = normalize(parts);
  const errors = [
    ...domainErrors(parts.domain, path),
    ...pathErrors(parts.path, path),
    ...tagErrors(parts.tag, path),
    ...digestErrors(parts.digest, path),
  ];
  const name = `${registry}/${repository}`;
  if (name.length > NAME_MAX) {
    errors.push(fieldError(path, `repository name "${name}" is too long: at most ${NAME_MAX} characters`));
  }
  if (errors.length > 0) return fail(errors);
  const tag = parts.tag ?? (parts.digest ? undefined : 'latest');
  const normalized = name + (tag ? `:${tag}` : '') + (parts.digest ? `@${parts.digest}` : '');
  return ok({ registry, repository, tag, digest: parts.digest, normalized, defaultPullPolicy: defaultPullPolicy(parts) });
};

/** `POST /v1/images/resolve`: the contract's shape, or field errors (→ 422 at the edge). */
export const resolveImage = (ref: string): Result<ResolvedImage> => {
  const parsed = parseImageReference(ref);
  if (!parsed.ok) return parsed;
  const { registry, repository, tag, digest, normalized, defaultPullPolicy: policy } = parsed.value;
  const resolved: ResolvedImage = { registry, repository, normalized, defaultPullPolicy: policy };
  if (tag !== undefined) resolved.tag = tag;
  if (digest !== undefined) resolved.digest = digest;
  return ok(resolved);
};
