import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Bearer tokens: 256 random bits, so a fast hash is the right storage (no password stretching needed). */
export const TOKEN_PREFIX = 'bsn_';
export const generateToken = (): string => TOKEN_PREFIX + randomBytes(32).toString('base64url');
export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');
export const tokensEqual = (a: string, b: string): boolean => {
  const x = Buffer.from(hashToken(a));
  const y = Buffer.from(hashToken(b));
  return timingSafeEqual(x, y);
};
export const newTokenId = (): string => `tok_${randomBytes(8).toString('hex')}`;
