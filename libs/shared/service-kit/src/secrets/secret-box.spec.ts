import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { SEALED_VALUE } from '@bosun/contracts';
import { SECRET_PURPOSES, SecretBox, UnsealError } from './secret-box';

const KEY = 'unit-test-encryption-key-0123456789';
const box = new SecretBox(KEY, SECRET_PURPOSES.sealedValues);

describe('SecretBox (AES-256-GCM, random IV, key per purpose)', () => {
  it('seals to v1:<base64> and opens back; the text holds no trace of the plaintext', () => {
    const sealed = box.seal('hunter2-marker');
    expect(sealed).toMatch(SEALED_VALUE);
    expect(sealed).not.toContain('hunter2');
    expect(Buffer.from(sealed.slice(3), 'base64').toString('latin1')).not.toContain('hunter2');
    expect(box.open(sealed)).toBe('hunter2-marker');
  });

  it('a random IV each time: the same value seals differently, 12-byte IV and 16-byte tag in front', () => {
    const [a, b] = [box.seal('same'), box.seal('same')];
    expect(a).not.toBe(b);
    const bytes = Buffer.from(a.slice(3), 'base64');
    expect(bytes.length).toBe(12 + 16 + Buffer.byteLength('same'));
    expect(box.open(a)).toBe(box.open(b));
  });

  it('empty and multi-byte values round-trip', () => {
    for (const v of ['', 'ünïcødé ✓ 🔑', 'x'.repeat(100_000)]) expect(box.open(box.seal(v))).toBe(v);
  });

  it('bound to its context: another context, no context, another key or another purpose cannot open it', () => {
    const sealed = box.seal('v', 'ctx-a');
    expect(box.open(sealed, 'ctx-a')).toBe('v');
    expect(() => box.open(sealed, 'ctx-b')).toThrow(UnsealError);
    expect(() => box.open(sealed)).toThrow(UnsealError);
    expect(() => new SecretBox('another-encryption-key-0123456789', SECRET_PURPOSES.sealedValues).open(sealed, 'ctx-a')).toThrow(UnsealError);
    expect(() => new SecretBox(KEY, SECRET_PURPOSES.clusterStore).open(sealed, 'ctx-a')).toThrow(UnsealError);
  });

  it('a flipped bit anywhere (IV, tag, ciphertext) is refused, and the error never echoes the value', () => {
    const sealed = box.seal('secret-value');
    const bytes = Buffer.from(sealed.slice(3), 'base64');
    for (const i of [0, 12, bytes.length - 1]) {
      const bad = Buffer.from(bytes);
      bad[i] ^= 1;
      expect(() => box.open(`v1:${bad.toString('base64')}`)).toThrow(/cannot be opened/);
    }
    for (const bad of ['secret-value', 'v2:AAAA', 'v1:AAAA', '']) {
      let message = '';
      try { box.open(bad); } catch (e) { message = (e as Error).message; expect(e).toBeInstanceOf(UnsealError); }
      expect(message).toMatch(/not a sealed value/);
      expect(message).not.toContain('secret-value');
    }
  });

  it('keeps the cluster store\'s key derivation: a kubeconfig encrypted by earlier versions still decrypts', () => {
    // What RedisClusterStore wrote before SecretBox existed, spelled out.
    const key = createHash('sha256').update(`bosun-cluster-store:${KEY}`).digest();
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', key, iv);
    const data = Buffer.concat([c.update('apiVersion: v1', 'utf8'), c.final()]);
    expect(new SecretBox(KEY, SECRET_PURPOSES.clusterStore).decrypt({ iv, tag: c.getAuthTag(), data })).toBe('apiVersion: v1');
  });

  it('no key, no box: optional() says so and the constructor refuses', () => {
    expect(SecretBox.optional(undefined, SECRET_PURPOSES.sealedValues)).toBeUndefined();
    expect(SecretBox.optional(KEY, SECRET_PURPOSES.sealedValues)).toBeInstanceOf(SecretBox);
    expect(() => new SecretBox('', SECRET_PURPOSES.sealedValues)).toThrow(/BOSUN_ENCRYPTION_KEY/);
  });
});
