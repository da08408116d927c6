import { z } from 'zod';

/**
 * A secret value as it travels and rests inside Bosun: AES-256-GCM ciphertext made with a key
 * derived from BOSUN_ENCRYPTION_KEY (`v1:` + base64 of IV, tag and ciphertext). Whoever
 * receives a request with a secret in it (the gateway) seals it before anything is written or
 * published; only the service that must use it opens it, at the moment it does.
 */
export const SEALED_VALUE = /^v1:[A-Za-z0-9+/]+={0,2}$/;
export const sealedValueSchema = z.strictObject({ sealed: z.string().regex(SEALED_VALUE, 'must be a sealed value (v1:<base64>)') });
export type SealedValue = z.infer<typeof sealedValueSchema>;

/** What stands where a value was, wherever Bosun keeps or shows a request it no longer needs to send. */
export const REDACTED = '[redacted]';

const isSealed = (v: object): boolean => {
  const keys = Object.keys(v);
  return keys.length === 1 && keys[0] === 'sealed' && typeof (v as { sealed: unknown }).sealed === 'string';
};

/** The value with every sealed value (any `{sealed: string}`) replaced by REDACTED, at any depth. */
export const redactSealed = <T>(value: T): T => {
  if (Array.isArray(value)) return value.map(redactSealed) as T;
  if (!value || typeof value !== 'object') return value;
  if (isSealed(value)) return REDACTED as T;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactSealed(v)])) as T;
};
