import { DEFAULT_JOIN_TOKEN_TTL_SECONDS } from '@bosun/contracts';
import { encodeBase64Text } from './base64.codec';
import { MANAGED_BY, MANAGED_BY_LABEL } from './tenant.manifests';
import { fail, fieldError, ok, type Result } from '@bosun/contracts';

// kubeadm bootstrap tokens (k8s.io/cluster-bootstrap token/api and token/util; 004:260-430).

/** `<id>.<secret>`: 6 and 16 characters of [a-z0-9]. */
export const BOOTSTRAP_TOKEN_PATTERN = /^([a-z0-9]{6})\.([a-z0-9]{16})$/;
export const BOOTSTRAP_TOKEN_SECRET_TYPE = 'bootstrap.kubernetes.io/token';
export const BOOTSTRAP_TOKEN_SECRET_PREFIX = 'bootstrap-token-';
/** The group kubeadm's node tokens authenticate into, which its RBAC lets join (004:321). */
export const DEFAULT_NODE_TOKEN_GROUP = 'system:bootstrappers:kubeadm:default-node-token';

/** Random bytes of the given length: the service passes `crypto.randomBytes`. */
export type RandomBytes = (size: number) => Uint8Array;

export interface BootstrapToken {
  id: string;
  secret: string;
  /** `id.secret`, what `kubeadm join --token` takes. */
  token: string;
}

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';
/** Bytes at or above 252 (= 7 × 36) are dropped: taking `b % 36` of them would favour 0-3. */
const UNBIASED_LIMIT = 256 - (256 % ALPHABET.length);
const MAX_ROUNDS = 1000;

/**
 * `length` characters of [a-z0-9], uniformly distributed: rejection sampling over the
 * injected random bytes, as upstream's randBytes does. A source that never yields a usable
 * byte is a bug, and throws.
 */
export const randomTokenString = (length: number, randomBytes: RandomBytes): string => {
  let out = '';
  for (let round = 0; out.length < length; round++) {
    if (round >= MAX_ROUNDS) throw new Error('randomBytes keeps returning bytes ≥ 252; it is not random');
    for (const byte of randomBytes(length - out.length)) {
      if (byte < UNBIASED_LIMIT) out += ALPHABET[byte % ALPHABET.length];
    }
  }
  // Each round asks for exactly what is missing; a source that hands back more is cut off.
  return out.slice(0, length);
};

/** A new token from the injected randomness (the domain never reaches for a global RNG). */
export const generateBootstrapToken = (randomBytes: RandomBytes): BootstrapToken => {
  const id = randomTokenString(6, randomBytes);
  const secret = randomTokenString(16, randomBytes);
  return { id, secret, token: `${id}.${secret}` };
};

/** Reads `id.secret`; a malformed token is a field error. */
export const parseBootstrapToken = (text: string, path = 'token'): Result<BootstrapToken> => {
  const match = BOOTSTRAP_TOKEN_PATTERN.exec(text);
  if (!match) return fail([fieldError(path, `the bootstrap token "${text}" was not of the form "${BOOTSTRAP_TOKEN_PATTERN.source}"`)]);
  return ok({ id: match[1], secret: match[2], token: text });
};

/** RFC 3339 in UTC to the second, as kubeadm writes `expiration` (`2023-11-13T08:32:40Z`). */
export const rfc3339 = (at: Date): string => at.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** When a token made `now` with `ttlSeconds` (default 24 h, 004:330) expires. */
export const tokenExpiration = (now: Date, ttlSeconds = DEFAULT_JOIN_TOKEN_TTL_SECONDS): string => rfc3339(new Date(now.getTime() + ttlSeconds * 1000));

export interface BootstrapTokenSecretOptions {
  now: Date;
  ttlSeconds?: number;
  description?: string;
  extraGroups?: string[];
}

/** The Secret kubeadm's `token create` writes, with `data` base64 as the apiserver stores it. */
export interface BootstrapTokenSecret {
  apiVersion: 'v1';
  kind: 'Secret';
  type: typeof BOOTSTRAP_TOKEN_SECRET_TYPE;
  metadata: { name: string; namespace: 'kube-system'; labels: Record<string, string> };
  data: Record<string, string>;
}

/**
 * `bootstrap-token-<id>` in kube-system, type `bootstrap.kubernetes.io/token`: token-id,
 * token-secret, expiration, both usages and the default node group, so kubeadm join can
 * authenticate and verify the signed cluster-info (004:319-340).
 */
export const bootstrapTokenSecret = (token: BootstrapToken, options: BootstrapTokenSecretOptions): BootstrapTokenSecret => {
  const fields: Record<string, string> = {
    'token-id': token.id,
    'token-secret': token.secret,
    expiration: tokenExpiration(options.now, options.ttlSeconds),
    'usage-bootstrap-authentication': 'true',
    'usage-bootstrap-signing': 'true',
    'auth-extra-groups': (options.extraGroups ?? [DEFAULT_NODE_TOKEN_GROUP]).join(','),
    description: options.description ?? 'Bootstrap token created by Bosun for kubeadm join.',
  };
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    type: BOOTSTRAP_TOKEN_SECRET_TYPE,
    metadata: { name: `${BOOTSTRAP_TOKEN_SECRET_PREFIX}${token.id}`, namespace: 'kube-system', labels: { [MANAGED_BY_LABEL]: MANAGED_BY } },
    data: Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, encodeBase64Text(v)])),
  };
};

/**
 * `host:port` of the API server for `kubeadm join`, from its URL (`https://10.0.2.2:6443`)
 * or an endpoint already in that form; https without a port is 443.
 */
const parseUrl = (text: string): URL | undefined => {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
};

export const apiServerEndpoint = (server: string): Result<string> => {
  const url = parseUrl(/^[a-z]+:\/\//i.test(server) ? server : `https://${server}`);
  if (!url || url.hostname === '' || (url.pathname !== '/' && url.pathname !== '')) {
    return fail([fieldError('server', `"${server}" is not an API server address such as https://10.0.2.2:6443`)]);
  }
  return ok(`${url.hostname}:${url.port || '443'}`);
};

/** The command a new node runs (004:309-310, 004:335): `kubeadm join <host:port> --token <t> --discovery-token-ca-cert-hash sha256:<hex>`. */
export const joinCommand = (endpoint: string, token: string, caCertHash: string): string =>
  `kubeadm join ${endpoint} --token ${token} --discovery-token-ca-cert-hash ${caCertHash}`;
