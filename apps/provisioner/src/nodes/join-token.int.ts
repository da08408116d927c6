import { execFileSync } from 'node:child_process';
import type { JoinTokenResponse } from '@bosun/contracts';
import { eventually, testCluster } from '@bosun/testing';
import { ProvisionerHarness } from '../testing/provisioner.harness';

// A join token is real: the apiserver's bootstrap authenticator takes it as
// system:bootstrap:<id>, the bootstrapsigner signs cluster-info for it, and the join
// command pins the cluster CA's public key exactly as openssl hashes it.
let h: ProvisionerHarness;
const created: string[] = [];

beforeAll(async () => {
  h = await ProvisionerHarness.create();
  await h.start();
}, 60_000);
afterAll(async () => {
  for (const id of created) await h.admin.delete({ apiVersion: 'v1', kind: 'Secret', namespace: 'kube-system', name: `bootstrap-token-${id}` }).catch(() => undefined);
  await h?.close();
}, 60_000);

/** The test control plane's CA certificate (testenv.json `caCert`). */
const caFile = (): string => (testCluster() as { caCert?: string }).caCert ?? '';
const openssl = (caFile: string): string =>
  execFileSync('bash', ['-c', `openssl x509 -pubkey -noout -in '${caFile}' | openssl pkey -pubin -outform DER | openssl dgst -sha256 -hex | sed 's/^.* //'`], { encoding: 'utf8' }).trim();

describe('provisioner: join tokens', () => {
  it('creates bootstrap-token-<id>, authenticates as system:bootstrap:<id>, gets cluster-info signed, pins the CA hash', async () => {
    const before = Date.now();
    const reply = await h.query<JoinTokenResponse>('join-token', { ttlSeconds: 3600 });
    if (!reply.ok) throw new Error(JSON.stringify(reply.error));
    const { token, expiresAt, joinCommand } = reply.value;
    const [id] = token.split('.');
    created.push(id);
    expect(token).toMatch(/^[a-z0-9]{6}\.[a-z0-9]{16}$/);
    expect(Math.abs(Date.parse(expiresAt) - (before + 3_600_000))).toBeLessThan(10_000);

    const secret = await h.get('v1', 'Secret', 'kube-system', `bootstrap-token-${id}`);
    expect(secret?.type).toBe('bootstrap.kubernetes.io/token');
    const data = Object.fromEntries(Object.entries(secret?.data ?? {}).map(([k, v]) => [k, Buffer.from(String(v), 'base64').toString()]));
    expect(data).toMatchObject({ 'token-id': id, 'usage-bootstrap-authentication': 'true', 'usage-bootstrap-signing': 'true', expiration: expiresAt });

    const env = testCluster();
    const review = JSON.parse(await h.kubectl(['--kubeconfig', '/dev/null', '--server', env.apiserver, '--certificate-authority', caFile(), '--token', token, 'auth', 'whoami', '-o', 'json']));
    expect(review).toMatchObject({ apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview', status: { userInfo: { username: `system:bootstrap:${id}` } } });
    expect(review.status.userInfo.groups).toEqual(expect.arrayContaining(['system:bootstrappers', 'system:bootstrappers:kubeadm:default-node-token']));

    await eventually(async () => ((await h.get('v1', 'ConfigMap', 'kube-public', 'cluster-info'))?.data?.[`jws-kubeconfig-${id}`] ? true : undefined), `jws-kubeconfig-${id} in cluster-info`);

    const hash = openssl(caFile());
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(joinCommand).toBe(`kubeadm join ${new URL(testCluster().apiserver).host} --token ${token} --discovery-token-ca-cert-hash sha256:${hash}`);
  }, 60_000);

  it('a wrong secret does not authenticate', async () => {
    const reply = await h.query<JoinTokenResponse>('join-token', {});
    if (!reply.ok) throw new Error(JSON.stringify(reply.error));
    const [id] = reply.value.token.split('.');
    created.push(id);
    const env = testCluster();
    const wrong = `${id}.${'0'.repeat(16)}`;
    const out = await h.kubectl(['--kubeconfig', '/dev/null', '--server', env.apiserver, '--certificate-authority', caFile(), '--token', wrong, 'auth', 'whoami'])
      .then(() => 'authenticated', (err: { stderr?: string }) => err.stderr ?? '');
    expect(out).toMatch(/Unauthorized|must be logged in/);
  }, 30_000);

  it('refuses a ttl out of range naming the field, and a subject without rights on kube-system secrets', async () => {
    expect(await h.query('join-token', { ttlSeconds: 10 })).toMatchObject({ ok: false, error: { code: 'Invalid', fieldErrors: [{ path: 'ttlSeconds', message: 'ttlSeconds must be at least 60' }] } });
    expect(await h.query('join-token', { ttl: 60 })).toMatchObject({ ok: false, error: { code: 'Invalid', fieldErrors: [{ path: '(body)' }] } });
    const stranger = await h.query('join-token', {}, { subject: 'user:prov-stranger', groups: [], via: 'api' });
    expect(stranger).toMatchObject({ ok: false, error: { code: 'Forbidden', message: expect.stringContaining('User "prov-stranger" cannot create resource "secrets"') } });
  }, 30_000);
});
