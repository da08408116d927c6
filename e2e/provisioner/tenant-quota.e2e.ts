// Two services end to end, in-process: a tenant made by the provisioner, a deploy into it by the
// deployer. The tenant's ResourceQuota bites the deploy, and the deployer's diagnosis says why.
import { ProvisionerHarness } from '../../apps/provisioner/src/testing/provisioner.harness';
import { DeployerHarness } from '../../apps/deployer/src/testing/deployer.harness';

let p: ProvisionerHarness;
let d: DeployerHarness;

beforeAll(async () => {
  p = await ProvisionerHarness.create();
  await p.start();
  d = await DeployerHarness.create();
  await d.start();
}, 60_000);
afterAll(async () => {
  await d?.close();
  await p?.close();
}, 60_000);

describe('provisioner + deployer: a tenant\'s quota (real NATS, Redis and Kubernetes)', () => {
  it('a deploy over the tenant\'s pod quota fails, and the diagnosis says QuotaExceeded in Kubernetes\' words', async () => {
    const tenant = p.tenantName('quota');
    await p.succeeded(await p.command('tenant-create', { name: tenant, quota: { pods: 1 } }));
    const op = await d.command('deploy', { namespace: tenant, name: 'web', image: 'nginx:1.27', replicas: 3, progressDeadlineSeconds: 8 });
    const failed = await d.terminal(op, 90_000);
    expect(failed).toMatchObject({ type: 'failed', error: { code: 'ProgressDeadlineExceeded' } });
    const findings = (failed.result as { diagnosis?: { findings: { code: string; message: string }[] } }).diagnosis?.findings ?? [];
    expect(findings).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'QuotaExceeded', message: expect.stringMatching(/exceeded quota: bosun-quota/) })]));
    const pods = await d.admin.list({ apiVersion: 'v1', kind: 'Pod', namespace: tenant });
    expect(pods).toHaveLength(1);
  }, 120_000);
});
