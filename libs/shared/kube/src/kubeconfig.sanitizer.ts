import { loadYaml } from '@kubernetes/client-node';
import { KubeconfigRejectedError } from './cluster.errors';

type Dict = Record<string, unknown>;

export interface SanitizedKubeconfig {
  apiVersion: 'v1';
  kind: 'Config';
  clusters: [{ name: string; cluster: Dict }];
  users: [{ name: string; user: Dict }];
  contexts: [{ name: string; context: Dict }];
  'current-context': string;
}

export type SanitizeResult =
  | { ok: true; kubeconfig: SanitizedKubeconfig; server: string }
  | { ok: false; error: KubeconfigRejectedError };

const MAX_BYTES = 256 * 1024;
const MAX_NODES = 5_000;

// Each of these would let whoever posts a kubeconfig run a command or read a file on Bosun's host.
const FORBIDDEN_USER: Record<string, string> = {
  exec: 'exec credential plugins are not allowed',
  'auth-provider': 'auth-provider plugins are not allowed',
  'client-certificate': 'file references are not allowed; use client-certificate-data',
  'client-key': 'file references are not allowed; use client-key-data',
  tokenFile: 'file references are not allowed; use token',
  'token-file': 'file references are not allowed; use token',
};
const FORBIDDEN_CLUSTER: Record<string, string> = {
  'certificate-authority': 'file references are not allowed; use certificate-authority-data',
};
const ALLOWED_USER = ['token', 'client-certificate-data', 'client-key-data', 'username', 'password', 'as', 'as-groups', 'as-uid', 'as-user-extra', 'extensions'];
const ALLOWED_CLUSTER = ['server', 'certificate-authority-data', 'insecure-skip-tls-verify', 'tls-server-name', 'proxy-url', 'disable-compression', 'extensions'];
const BASE64_FIELDS = ['certificate-authority-data', 'client-certificate-data', 'client-key-data'];
const BASE64 = /^[A-Za-z0-9+/=\s]+$/;
const SINGLE_LINE = /^[^\r\n\0]+$/;

const reject = (field: string, reason: string): never => {
  throw new KubeconfigRejectedError(field, reason);
};

const isDict = (v: unknown): v is Dict => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Counts nodes so alias bombs (`&a [*a, *a, …]`) are refused before anything walks them. */
function assertSmall(value: unknown, budget = { left: MAX_NODES }): void {
  if (--budget.left < 0) {
    reject('(document)', `too many nodes (more than ${MAX_NODES})`);
  }
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) {
      assertSmall(child, budget);
    }
  }
}

function parse(yaml: string): Dict {
  if (typeof yaml !== 'string' || !yaml.trim()) {
    return reject('(document)', 'kubeconfig is empty');
  }
  if (Buffer.byteLength(yaml) > MAX_BYTES) {
    return reject('(document)', `kubeconfig is larger than ${MAX_BYTES} bytes`);
  }
  let doc: unknown;
  try {
    doc = loadYaml<unknown>(yaml);
  } catch (err) {
    return reject('(document)', `not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  if (!isDict(doc)) {
    return reject('(document)', 'kubeconfig must be a mapping');
  }
  assertSmall(doc);
  if (doc.kind !== undefined && doc.kind !== 'Config') {
    reject('kind', 'must be Config');
  }
  return doc;
}

/** Finds `name` in a kubeconfig list, returning the entry and its path for messages. */
function pick(doc: Dict, list: 'clusters' | 'users' | 'contexts', name: unknown, body: string): { path: string; value: Dict } {
  const entries = doc[list];
  if (!Array.isArray(entries)) {
    return reject(list, 'must be a list');
  }
  const index = entries.findIndex((e) => isDict(e) && e.name === name);
  if (index < 0) {
    return reject(list, `no entry named "${String(name)}"`);
  }
  const value = (entries[index] as Dict)[body];
  if (!isDict(value)) {
    return reject(`${list}[${index}].${body}`, 'must be a mapping');
  }
  return { path: `${list}[${index}].${body}`, value };
}

function checkFields(path: string, value: Dict, forbidden: Record<string, string>, allowed: string[]): Dict {
  const clean: Dict = {};
  for (const [key, field] of Object.entries(value)) {
    if (field === undefined || field === null) {
      continue;
    }
    if (forbidden[key]) {
      reject(`${path}.${key}`, forbidden[key]);
    }
    if (!allowed.includes(key)) {
      reject(`${path}.${key}`, 'field is not allowed (only inline credentials and tokens are accepted)');
    }
    if (BASE64_FIELDS.includes(key) && (typeof field !== 'string' || !BASE64.test(field))) {
      reject(`${path}.${key}`, 'must be base64 data');
    }
    if ((key === 'token' || key === 'username' || key === 'password' || key === 'as') && (typeof field !== 'string' || !SINGLE_LINE.test(field))) {
      reject(`${path}.${key}`, 'must be a single-line string');
    }
    clean[key] = field;
  }
  return clean;
}

/** Refuses dangerous fields in every entry, also ones the current context does not use. */
function scanForbidden(doc: Dict): void {
  const lists: [string, string, Record<string, string>][] = [
    ['users', 'user', FORBIDDEN_USER],
    ['clusters', 'cluster', FORBIDDEN_CLUSTER],
  ];
  for (const [list, body, forbidden] of lists) {
    const entries = Array.isArray(doc[list]) ? (doc[list] as unknown[]) : [];
    entries.forEach((entry, i) => {
      const value = isDict(entry) && isDict(entry[body]) ? entry[body] : {};
      const bad = Object.keys(value).find((key) => forbidden[key] && value[key] !== null && value[key] !== undefined);
      if (bad) {
        reject(`${list}[${i}].${body}.${bad}`, forbidden[bad]);
      }
    });
  }
}

function checkServer(path: string, server: unknown): string {
  let url: URL | undefined;
  try {
    url = new URL(String(server));
  } catch {
    url = undefined;
  }
  if (typeof server !== 'string' || !url || url.protocol !== 'https:') {
    return reject(`${path}.server`, 'must be an https:// URL');
  }
  // Credentials in the URL would be stored and shown wherever the server is (and the message never echoes it).
  if (url.username || url.password) return reject(`${path}.server`, 'must not carry a user or password (put credentials in the user entry)');
  return server;
}

function currentContextName(doc: Dict): string {
  const current = doc['current-context'];
  if (typeof current === 'string' && current) {
    return current;
  }
  const contexts = Array.isArray(doc.contexts) ? doc.contexts : [];
  if (contexts.length === 1 && isDict(contexts[0]) && typeof contexts[0].name === 'string') {
    return contexts[0].name;
  }
  return reject('current-context', 'is required when there is not exactly one context');
}

/**
 * Checks a kubeconfig that arrived from outside and rebuilds it from allowed fields
 * only, keeping just the current context's cluster and user (the rest is never used
 * and would only be more secrets to store).
 */
export function sanitizeKubeconfig(yaml: string): SanitizeResult {
  try {
    const doc = parse(yaml);
    scanForbidden(doc);
    const contextName = currentContextName(doc);
    const ctx = pick(doc, 'contexts', contextName, 'context');
    const cluster = pick(doc, 'clusters', ctx.value.cluster, 'cluster');
    const user = pick(doc, 'users', ctx.value.user, 'user');
    const cleanCluster = checkFields(cluster.path, cluster.value, FORBIDDEN_CLUSTER, ALLOWED_CLUSTER);
    const cleanUser = checkFields(user.path, user.value, FORBIDDEN_USER, ALLOWED_USER);
    const server = checkServer(cluster.path, cleanCluster.server);
    const namespace = typeof ctx.value.namespace === 'string' ? { namespace: ctx.value.namespace } : {};
    const kubeconfig: SanitizedKubeconfig = {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'cluster', cluster: cleanCluster }],
      users: [{ name: 'user', user: cleanUser }],
      contexts: [{ name: 'context', context: { cluster: 'cluster', user: 'user', ...namespace } }],
      'current-context': 'context',
    };
    return { ok: true, kubeconfig, server };
  } catch (err) {
    if (err instanceof KubeconfigRejectedError) {
      return { ok: false, error: err };
    }
    throw err;
  }
}
