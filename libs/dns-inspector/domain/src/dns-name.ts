import type { FieldError } from '@bosun/contracts';
import { fieldError } from '@bosun/contracts';

/** RFC 1035 limits as Kubernetes applies them (DNS-1123 subdomain: 253 characters). */
export const MAX_NAME_LENGTH = 253;
export const MAX_LABEL_LENGTH = 63;

/** The name without one trailing dot (the root `.` stays `.`). */
export const withoutTrailingDot = (name: string): string => (name.length > 1 && name.endsWith('.') ? name.slice(0, -1) : name);

/** The fully qualified form, ending in exactly one dot. */
export const absolute = (name: string): string => (name.endsWith('.') ? name : `${name}.`);

/** Dots inside the name, as the resolver counts them for `ndots` (a trailing dot does not count). */
export const dotsIn = (name: string): number => withoutTrailingDot(name).split('.').length - 1;

/** Names compare case-insensitively and without the trailing dot (Kubernetes DNS spec 2.1). */
export const sameName = (a: string, b: string): boolean => withoutTrailingDot(a).toLowerCase() === withoutTrailingDot(b).toLowerCase();

/**
 * Why `name` cannot be sent as a DNS name: empty, over 253 characters, an empty label
 * (`a..b`) or a label over 63 characters. The root `.` is valid. No character rules: a
 * resolver sends whatever bytes it is given; Kubernetes object names have their own rule.
 */
export const dnsNameErrors = (name: string, path: string): FieldError[] => {
  if (name === '.') return [];
  const bare = withoutTrailingDot(name);
  if (bare.length === 0) return [fieldError(path, 'must not be empty')];
  if (/\s/.test(bare)) return [fieldError(path, `"${name}" must not contain white space`)];
  const errors: FieldError[] = [];
  if (bare.length > MAX_NAME_LENGTH) {
    errors.push(fieldError(path, `must be no more than ${MAX_NAME_LENGTH} characters (got ${bare.length})`));
  }
  bare.split('.').forEach((label, i) => {
    if (label.length === 0) errors.push(fieldError(path, `label ${i + 1} is empty ("${name}")`));
    if (label.length > MAX_LABEL_LENGTH) {
      errors.push(fieldError(path, `label "${label.slice(0, 20)}…" must be no more than ${MAX_LABEL_LENGTH} characters (got ${label.length})`));
    }
  });
  return errors;
};
