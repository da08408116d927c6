import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { certificateDer, discoveryTokenCaCertHash, subjectPublicKeyInfo } from './ca-cert.hash';
import { errorsOf, valueOf } from '@bosun/testing';

// Fixtures made once with openssl (self-signed, 10 years):
//   openssl req -x509 -newkey rsa:2048 -nodes -keyout /dev/null -out fixtures/ca.crt -days 3650 -subj /CN=bosun-test-ca
//   openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout /dev/null -out fixtures/ca-ec.crt -days 3650 -subj /CN=bosun-test-ec-ca
// and the expected hashes the way the seed computes them (004:324-326):
//   openssl x509 -in fixtures/ca.crt -pubkey -noout | openssl pkey -pubin -outform der | sha256sum
//   → 14bd132b0d7964f3848a53e147c1794963842f3870590f293f9ab0e973356e5f
//   openssl x509 -in fixtures/ca-ec.crt -pubkey -noout | openssl pkey -pubin -outform der | sha256sum
//   → 0f9470a12858193136aacc1aea397631c8c3357ece7acf2712b4a57353edccd0
const fixture = (name: string): string => readFileSync(join(__dirname, 'fixtures', name), 'utf8');
const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

describe('discoveryTokenCaCertHash (kubeadm pubkeypin)', () => {
  it.each([
    ['ca.crt', 'sha256:14bd132b0d7964f3848a53e147c1794963842f3870590f293f9ab0e973356e5f'],
    ['ca-ec.crt', 'sha256:0f9470a12858193136aacc1aea397631c8c3357ece7acf2712b4a57353edccd0'],
  ])('%s → %s', (file, hash) => {
    expect(valueOf(discoveryTokenCaCertHash(fixture(file), sha256))).toBe(hash);
  });

  it('takes DER too, and the SPKI is what node:crypto exports as the public key', () => {
    const der = valueOf(certificateDer(fixture('ca.crt')));
    expect(valueOf(discoveryTokenCaCertHash(der, sha256))).toBe('sha256:14bd132b0d7964f3848a53e147c1794963842f3870590f293f9ab0e973356e5f');
    const { X509Certificate } = jest.requireActual<typeof import('node:crypto')>('node:crypto');
    const exported = new X509Certificate(fixture('ca.crt')).publicKey.export({ type: 'spki', format: 'der' });
    expect(Buffer.from(valueOf(subjectPublicKeyInfo(der)))).toEqual(exported);
  });

  it('uses the first certificate of a bundle', () => {
    expect(valueOf(discoveryTokenCaCertHash(fixture('ca-ec.crt') + fixture('ca.crt'), sha256))).toBe('sha256:0f9470a12858193136aacc1aea397631c8c3357ece7acf2712b4a57353edccd0');
  });

  it.each([
    ['not PEM', 'hello', 'not a PEM certificate: expected a -----BEGIN CERTIFICATE----- block'],
    ['a truncated certificate', fixture('ca.crt').replace(/\n[A-Za-z0-9+/]{64}\n/, '\n'), 'not a DER X.509 certificate: no SubjectPublicKeyInfo found'],
    ['a key instead of a certificate', '-----BEGIN CERTIFICATE-----\nMAMCAQA=\n-----END CERTIFICATE-----', 'not a DER X.509 certificate: no SubjectPublicKeyInfo found'],
  ])('refuses %s', (_, pem, message) => {
    expect(errorsOf(discoveryTokenCaCertHash(pem, sha256, 'caPem'))).toEqual([{ path: 'caPem', message }]);
  });
});
