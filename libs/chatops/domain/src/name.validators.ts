import { DNS1123_LABEL, QUANTITY } from '@bosun/contracts';

/** A validated value, or the words that say what is wrong with it. */
export type Checked<T> = { ok: true; value: T } | { ok: false; reason: string };

/** An absent option is fine; a present one must pass `check`. */
export const optional = <T>(value: string | undefined, check: (v: string) => Checked<T>): Checked<T | undefined> =>
  value === undefined ? { ok: true, value: undefined } : check(value);

const ok = <T>(value: T): Checked<T> => ({ ok: true, value });
const bad = <T>(reason: string): Checked<T> => ({ ok: false, reason });

// Echoing user input back into a message: keep it short so a pasted novel stays readable.
const quote = (s: string): string => JSON.stringify(s.length > 80 ? `${s.slice(0, 77)}...` : s);

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const IMAGE_CHARS = /^[A-Za-z0-9][A-Za-z0-9._\-/:@+]*$/;
const OPERATION_ID = /^op_[A-Za-z0-9_-]{1,128}$/;
const DIGITS = /^\d{1,9}$/;

export const checkLabel = (what: string, value: string): Checked<string> => {
  if (value === '') return bad(`${what} is empty`);
  if (value.length <= 63 && DNS1123_LABEL.test(value)) return ok(value);
  const hint = value.toLowerCase() !== value && DNS1123_LABEL.test(value.toLowerCase())
    ? ` (did you mean ${quote(value.toLowerCase())}?)`
    : '';
  return bad(`${what} ${quote(value)} must be a DNS-1123 label: at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit${hint}`);
};

/** Node names are DNS-1123 subdomains (dots allowed, ≤ 253), unlike most object names. */
export const checkSubdomain = (what: string, value: string): Checked<string> => {
  if (value.length <= 253 && DNS1123_SUBDOMAIN.test(value)) return ok(value);
  return bad(`${what} ${quote(value)} must be a DNS-1123 subdomain: at most 253 lower-case letters, digits, '-' and '.', each part starting and ending with a letter or digit`);
};

/** `<namespace>/<name>`, the way kubectl users write a namespaced object. */
export const checkRef = (value: string, nameWhat = 'name'): Checked<{ namespace: string; name: string }> => {
  const parts = value.split('/');
  if (parts.length !== 2) return bad(`expected <namespace>/<${nameWhat}>, got ${quote(value)}`);
  const ns = checkLabel('namespace', parts[0]);
  if (!ns.ok) return ns;
  const name = checkLabel(nameWhat, parts[1]);
  if (!name.ok) return name;
  return ok({ namespace: ns.value, name: name.value });
};

export const checkCount = (what: string, value: string, min: number, max: number): Checked<number> => {
  const n = DIGITS.test(value) ? Number(value) : NaN;
  if (Number.isInteger(n) && n >= min && n <= max) return ok(n);
  return bad(`${what} must be a whole number from ${min} to ${max}, got ${quote(value)}`);
};

/**
 * Only a sanity check of the characters: the deployer resolves and validates image
 * references properly, and its answer reaches the user as the operation's failure.
 */
export const checkImage = (value: string): Checked<string> => {
  if (value.length <= 512 && IMAGE_CHARS.test(value)) return ok(value);
  return bad(`image ${quote(value)} is not an image reference such as nginx:1.27 or ghcr.io/org/app@sha256:…`);
};

export const checkOperationId = (value: string): Checked<string> => {
  if (OPERATION_ID.test(value)) return ok(value);
  return bad(`${quote(value)} is not an operation id; they look like op_01HZX…`);
};

export const checkQuantity = (what: string, value: string): Checked<string> => {
  if (value.length <= 64 && QUANTITY.test(value)) return ok(value);
  return bad(`${what} ${quote(value)} must be a Kubernetes quantity such as 500m, 2, 512Mi or 4Gi`);
};

// Hostname-ish: letters keep their case (DNS is case-insensitive), `_` for SRV names
// (`_http._tcp.web`), an optional trailing dot for an absolute name.
const DNS_NAME = /^[A-Za-z0-9_]([-A-Za-z0-9_]{0,61}[A-Za-z0-9_])?(\.[A-Za-z0-9_]([-A-Za-z0-9_]{0,61}[A-Za-z0-9_])?)*\.?$/;

/** A name to resolve as a pod would: relative (`web`), qualified, or absolute (`web.ns.svc.cluster.local.`). */
export const checkDnsName = (value: string): Checked<string> => {
  if (value.length <= 254 && DNS_NAME.test(value)) return ok(value);
  return bad(`${quote(value)} is not a DNS name such as web, web.team-a or web.team-a.svc.cluster.local.`);
};
