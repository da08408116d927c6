import { decodeBase64 } from './base64.codec';
import { fail, fieldError, ok, type Result } from '@bosun/contracts';

// kubeadm's discovery hash (cmd/kubeadm/app/util/pubkeypin): `sha256:` and the hex SHA-256
// of the CA certificate's DER SubjectPublicKeyInfo, the same bytes as
// `openssl x509 -pubkey -noout | openssl pkey -pubin -outform DER | openssl dgst -sha256` (004:324-326).
//
// Hashing is injected: the service passes node:crypto's SHA-256, so the domain holds no
// crypto primitive of its own and stays free of I/O and globals.

/** SHA-256 of the bytes as lower-case hex. */
export type Sha256Hex = (bytes: Uint8Array) => string;

interface Tlv { tag: number; start: number; contentStart: number; end: number }

/** One DER tag-length-value at `offset` (definite lengths only, as DER requires). */
const readTlv = (der: Uint8Array, offset: number): Tlv | undefined => {
  if (offset + 2 > der.length) return undefined;
  const tag = der[offset];
  const first = der[offset + 1];
  let length = first;
  let header = 2;
  if (first & 0x80) {
    const octets = first & 0x7f;
    if (octets === 0 || octets > 4 || offset + 2 + octets > der.length) return undefined;
    length = 0;
    for (let i = 0; i < octets; i++) length = length * 256 + der[offset + 2 + i];
    header += octets;
  }
  const end = offset + header + length;
  return end <= der.length ? { tag, start: offset, contentStart: offset + header, end } : undefined;
};

const children = (der: Uint8Array, parent: Tlv): Tlv[] => {
  const out: Tlv[] = [];
  for (let at = parent.contentStart; at < parent.end;) {
    const tlv = readTlv(der, at);
    if (!tlv) return [];
    out.push(tlv);
    at = tlv.end;
  }
  return out;
};

const SEQUENCE = 0x30;
const VERSION_TAG = 0xa0;

/**
 * The DER SubjectPublicKeyInfo of an X.509 certificate (RFC 5280 §4.1): the seventh field
 * of tbsCertificate, counting the optional `[0] version` (serial, signature, issuer,
 * validity, subject come first).
 */
export const subjectPublicKeyInfo = (der: Uint8Array, path = 'caCertificate'): Result<Uint8Array> => {
  const certificate = readTlv(der, 0);
  const tbs = certificate?.tag === SEQUENCE ? children(der, certificate)[0] : undefined;
  const fields = tbs?.tag === SEQUENCE ? children(der, tbs) : [];
  const afterVersion = fields[0]?.tag === VERSION_TAG ? fields.slice(1) : fields;
  const spki = afterVersion[5];
  if (!spki || spki.tag !== SEQUENCE) return fail([fieldError(path, 'not a DER X.509 certificate: no SubjectPublicKeyInfo found')]);
  return ok(der.slice(spki.start, spki.end));
};

/** The DER bytes of the first `CERTIFICATE` block of a PEM text. */
export const certificateDer = (pem: string, path = 'caCertificate'): Result<Uint8Array> => {
  const match = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/.exec(pem);
  const der = match ? decodeBase64(match[1]) : undefined;
  return der && der.length > 0 ? ok(der) : fail([fieldError(path, 'not a PEM certificate: expected a -----BEGIN CERTIFICATE----- block')]);
};

/** `sha256:<hex>` of SubjectPublicKeyInfo bytes already extracted. */
export const spkiHash = (spki: Uint8Array, sha256: Sha256Hex): string => `sha256:${sha256(spki).toLowerCase()}`;

/** The `--discovery-token-ca-cert-hash` of a CA certificate, given as PEM or DER. */
export const discoveryTokenCaCertHash = (ca: string | Uint8Array, sha256: Sha256Hex, path = 'caCertificate'): Result<string> => {
  const der = typeof ca === 'string' ? certificateDer(ca, path) : ok(ca);
  if (!der.ok) return der;
  const spki = subjectPublicKeyInfo(der.value, path);
  return spki.ok ? ok(spkiHash(spki.value, sha256)) : spki;
};
