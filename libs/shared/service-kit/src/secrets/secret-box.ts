import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const SEALED_PREFIX = 'v1:';

/** What keys are derived for; one key per purpose, so a value sealed for one cannot be opened as the other. */
export const SECRET_PURPOSES = {
  /** kubeconfigs of clusters added through the API (RedisClusterStore) */
  clusterStore: 'bosun-cluster-store',
  /** secret values inside commands and the records kept of them (deploy env values) */
  sealedValues: 'bosun-sealed-values',
} as const;
export type SecretPurpose = (typeof SECRET_PURPOSES)[keyof typeof SECRET_PURPOSES];

export interface CipherParts { iv: Buffer; tag: Buffer; data: Buffer }

/** A sealed value that cannot be opened: another key, another context, or tampered with. Its message never holds the value. */
export class UnsealError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsealError';
  }
}

/**
 * Bosun's one cipher for secrets at rest: AES-256-GCM with a random 96-bit IV per value and a
 * key derived from BOSUN_ENCRYPTION_KEY for one purpose (SHA-256 of `purpose:secret`, which
 * keeps kubeconfigs stored by earlier versions readable). An optional context is bound as GCM
 * additional data: the value opens only where it was sealed for.
 */
export class SecretBox {
  private readonly key: Buffer;

  constructor(secret: string, readonly purpose: SecretPurpose) {
    if (!secret) throw new Error('BOSUN_ENCRYPTION_KEY is not set: secrets cannot be sealed');
    this.key = createHash('sha256').update(`${purpose}:${secret}`).digest();
  }

  /** Undefined when no key is configured, so callers can say what needs one. */
  static optional(secret: string | undefined, purpose: SecretPurpose): SecretBox | undefined {
    return secret ? new SecretBox(secret, purpose) : undefined;
  }

  encrypt(plaintext: string, context?: string): CipherParts {
    const iv = randomBytes(IV_BYTES);
    const c = createCipheriv(ALGORITHM, this.key, iv);
    if (context !== undefined) c.setAAD(Buffer.from(context, 'utf8'));
    const data = Buffer.concat([c.update(plaintext, 'utf8'), c.final()]);
    return { iv, tag: c.getAuthTag(), data };
  }

  /** Throws UnsealError when the key, the context or the bytes are not the ones it was made with. */
  decrypt({ iv, tag, data }: CipherParts, context?: string): string {
    if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new UnsealError('not a sealed value (bad IV or tag length)');
    try {
      const d = createDecipheriv(ALGORITHM, this.key, iv, { authTagLength: TAG_BYTES });
      if (context !== undefined) d.setAAD(Buffer.from(context, 'utf8'));
      d.setAuthTag(tag);
      return Buffer.concat([d.update(data), d.final()]).toString('utf8');
    } catch {
      throw new UnsealError('the sealed value cannot be opened: sealed with another BOSUN_ENCRYPTION_KEY, for another context, or altered');
    }
  }

  /** `v1:` + base64(IV ‖ tag ‖ ciphertext): the text form of contracts' sealed values. */
  seal(plaintext: string, context?: string): string {
    const { iv, tag, data } = this.encrypt(plaintext, context);
    return SEALED_PREFIX + Buffer.concat([iv, tag, data]).toString('base64');
  }

  open(sealed: string, context?: string): string {
    if (!sealed.startsWith(SEALED_PREFIX)) throw new UnsealError(`not a sealed value (expected the ${SEALED_PREFIX} prefix)`);
    const bytes = Buffer.from(sealed.slice(SEALED_PREFIX.length), 'base64');
    if (bytes.length < IV_BYTES + TAG_BYTES) throw new UnsealError('not a sealed value (too short)');
    return this.decrypt({ iv: bytes.subarray(0, IV_BYTES), tag: bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES), data: bytes.subarray(IV_BYTES + TAG_BYTES) }, context);
  }
}
