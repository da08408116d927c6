import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { decodeBase64 } from './base64.codec';
import {
  apiServerEndpoint, BOOTSTRAP_TOKEN_PATTERN, bootstrapTokenSecret, generateBootstrapToken, joinCommand, parseBootstrapToken, randomTokenString, tokenExpiration,
} from './bootstrap.token';
import { errorsOf, valueOf } from '@bosun/testing';

/** A byte source that replays a fixed sequence (cycling). */
const replay = (bytes: number[]): ((n: number) => Uint8Array) => {
  let at = 0;
  return (n) => Uint8Array.from({ length: n }, () => bytes[at++ % bytes.length]);
};
const text = (b64: string): string => new TextDecoder().decode(decodeBase64(b64));

describe('bootstrap tokens (004:260-430)', () => {
  it('maps bytes onto [a-z0-9] and drops the biased tail (≥ 252)', () => {
    // 0→'0', 35→'z', 36→'0', 251→'z' (251 % 36 = 35); 252..255 are skipped
    expect(randomTokenString(6, replay([0, 252, 35, 255, 36, 253, 251, 254, 10, 11]))).toBe('0z0zab');
  });

  it('a generated token has kubeadm\'s form', () => {
    const token = generateBootstrapToken(replay([...Array(22).keys()].map((i) => i * 11)));
    expect(token.token).toMatch(BOOTSTRAP_TOKEN_PATTERN);
    expect(token.token).toBe(`${token.id}.${token.secret}`);
    expect(token).toEqual({ id: '0bmx8j', secret: 'u5gr2dozalw7it4f', token: '0bmx8j.u5gr2dozalw7it4f' });
  });

  it('property: any byte source that yields usable bytes gives a well-formed token', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 64 }).filter((b) => b.some((x) => x < 252)), (bytes) => {
      expect(generateBootstrapToken(replay(bytes)).token).toMatch(/^[a-z0-9]{6}\.[a-z0-9]{16}$/);
    }));
    for (let i = 0; i < 50; i++) expect(generateBootstrapToken(randomBytes).token).toMatch(BOOTSTRAP_TOKEN_PATTERN);
  });

  it('property: the 36 characters are equally likely over a full cycle of bytes', () => {
    const counts = new Map<string, number>();
    for (const c of randomTokenString(252, replay([...Array(256).keys()]))) counts.set(c, (counts.get(c) ?? 0) + 1);
    expect([...counts.values()]).toEqual(Array(36).fill(7));
  });

  it('refuses a byte source that is not random rather than looping forever', () => {
    expect(() => randomTokenString(6, () => Uint8Array.of(255))).toThrow('not random');
  });

  it.each([['4iwa6j.ejrsfqm26jpcshz2', true], ['eczspu.kjrxrem8xv5x7oqm', true], ['4IWA6J.ejrsfqm26jpcshz2', false], ['4iwa6j-ejrsfqm26jpcshz2', false], ['4iwa6.ejrsfqm26jpcshz2', false]])(
    'parses the seed\'s tokens: %s (004:309, 004:335)', (token, valid) => {
      expect(parseBootstrapToken(token).ok).toBe(valid);
    });

  it('names the field of a malformed token', () => {
    expect(errorsOf(parseBootstrapToken('nope', 'body.token'))).toEqual([{ path: 'body.token', message: 'the bootstrap token "nope" was not of the form "^([a-z0-9]{6})\\.([a-z0-9]{16})$"' }]);
  });

  it('lays out the Secret as kubeadm does: bootstrap-token-<id>, kube-system, its type and keys', () => {
    const token = valueOf(parseBootstrapToken('4iwa6j.ejrsfqm26jpcshz2'));
    const secret = bootstrapTokenSecret(token, { now: new Date('2023-11-12T08:32:40.123Z') });
    expect({ ...secret, data: Object.fromEntries(Object.entries(secret.data).map(([k, v]) => [k, text(v)])) }).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'bootstrap.kubernetes.io/token',
      metadata: { name: 'bootstrap-token-4iwa6j', namespace: 'kube-system', labels: { 'app.kubernetes.io/managed-by': 'bosun' } },
      data: {
        'token-id': '4iwa6j',
        'token-secret': 'ejrsfqm26jpcshz2',
        // 24 h by default, RFC 3339 to the second, like the seed's EXPIRES column (004:321)
        expiration: '2023-11-13T08:32:40Z',
        'usage-bootstrap-authentication': 'true',
        'usage-bootstrap-signing': 'true',
        'auth-extra-groups': 'system:bootstrappers:kubeadm:default-node-token',
        description: 'Bootstrap token created by Bosun for kubeadm join.',
      },
    });
    expect(secret.data['token-id']).toBe('NGl3YTZq');
  });

  it('takes the ttl, description and groups', () => {
    const secret = bootstrapTokenSecret(valueOf(parseBootstrapToken('eczspu.kjrxrem8xv5x7oqm')), {
      now: new Date('2023-11-13T08:32:40Z'), ttlSeconds: 3600, description: 'for n1', extraGroups: ['system:bootstrappers:a', 'system:bootstrappers:b'],
    });
    expect([text(secret.data.expiration), text(secret.data.description), text(secret.data['auth-extra-groups'])])
      .toEqual(['2023-11-13T09:32:40Z', 'for n1', 'system:bootstrappers:a,system:bootstrappers:b']);
    expect(tokenExpiration(new Date('2026-12-01T00:00:00Z'))).toBe('2026-12-02T00:00:00Z');
  });

  it.each([
    ['https://10.0.2.2:6443', '10.0.2.2:6443'],
    ['10.0.2.2:6443', '10.0.2.2:6443'],
    ['https://api.example.test', 'api.example.test:443'],
    ['https://[fd00::1]:6443', '[fd00::1]:6443'],
  ])('the join endpoint of %s is %s', (server, endpoint) => {
    expect(valueOf(apiServerEndpoint(server))).toBe(endpoint);
  });

  it.each(['https://', 'https://host:6443/some/path', 'http://a b'])('refuses %s as an endpoint', (server) => {
    expect(errorsOf(apiServerEndpoint(server))[0].path).toBe('server');
  });

  it('writes the join command of the seed (004:309-310, 004:335)', () => {
    expect(joinCommand('10.0.2.2:6443', '4iwa6j.ejrsfqm26jpcshz2', 'sha256:f8fa90012cd3bcb34f3198b5b6184dc45104534f998ee601ed97c39f2efa8b05')).toBe(
      'kubeadm join 10.0.2.2:6443 --token 4iwa6j.ejrsfqm26jpcshz2 --discovery-token-ca-cert-hash sha256:f8fa90012cd3bcb34f3198b5b6184dc45104534f998ee601ed97c39f2efa8b05',
    );
  });
});
