import { execFileSync } from 'node:child_process';
import { eventually, testCluster, uniqueName } from '@bosun/testing';
import { api, finishOperation, startStack } from '../support/stack';
import type { Stack } from '../support/stack';

jest.setTimeout(120_000);

/** The DNS endpoints as a user calls them: HTTP → gateway → dns-inspector → the cluster and its real CoreDNS. */
describe('DNS end to end (HTTP → gateway → dns-inspector → CoreDNS)', () => {
  let stack: Stack;
  let call: ReturnType<typeof api>;
  const ns = uniqueName('e2e-dns');
  const cluster = testCluster();
  const kubectl = (...args: string[]): string => execFileSync(cluster.kubectl, ['--kubeconfig', cluster.kubeconfig, ...args], { encoding: 'utf8' });

  const finish = (opId: string): Promise<any> => finishOperation(call, opId, 60_000);

  beforeAll(async () => {
    stack = await startStack(['gateway', 'dns-inspector']);
    call = api(stack);
    kubectl('create', 'namespace', ns);
    kubectl('-n', ns, 'create', 'service', 'clusterip', 'web', '--tcp=80:8080');
    await eventually(async () => ((await call('GET', '/v1/status')).body.services?.find((s: any) => s.name === 'dns-inspector')?.ready ? true : undefined), 'dns-inspector ready', 60_000, 250);
  });
  afterAll(async () => {
    await stack?.stop();
    try { kubectl('delete', 'namespace', ns, '--wait=false'); } catch { /* already gone */ }
  });

  it('POST /v1/dns/checks: an operation whose result is the seven steps in order', async () => {
    const r = await call('POST', '/v1/dns/checks', { namespace: ns });
    expect(r.status).toBe(202);
    expect(r.headers.get('location')).toBe(`/v1/operations/${r.body.id}`);
    const op = await finish(r.body.id);
    expect(op.status).toBe('succeeded');
    expect(op.result.checks.map((c: any) => c.id)).toEqual(['dns-pods', 'dns-service', 'kubernetes-default', 'service-names', 'resolv-conf', 'service-endpoints', 'corefile']);
    expect(op.result.checks.find((c: any) => c.id === 'kubernetes-default').status).toBe('pass');
  });

  it('POST /v1/dns/lookups: a short name resolved the way a pod in the namespace would, query by query', async () => {
    const r = await call('POST', '/v1/dns/lookups', { namespace: ns, name: 'web' });
    expect(r.status).toBe(200);
    expect(r.body.queries[0]).toMatchObject({ name: `web.${ns}.svc.cluster.local.`, rcode: 'NOERROR' });
    expect(r.body.answeredBy).toBe(`web.${ns}.svc.cluster.local.`);
    const far = await call('POST', '/v1/dns/lookups', { namespace: ns, name: 'kubernetes.default' });
    expect(far.body.queries.slice(0, 1)).toEqual([expect.objectContaining({ rcode: 'NXDOMAIN' })]);
    expect(far.body.wasted).toBeGreaterThan(0);
  });

  it('GET /v1/dns/services/{ns}/{name}/records: expected from the API objects, observed from CoreDNS, no mismatch', async () => {
    const r = await eventually(async () => {
      const res = await call('GET', `/v1/dns/services/${ns}/web/records`);
      return res.status === 200 && res.body.mismatches.length === 0 ? res : undefined;
    }, 'records to match', 30_000, 500);
    expect(r.body.expected).toEqual(expect.arrayContaining([expect.objectContaining({ name: `web.${ns}.svc.cluster.local`, type: 'A' })]));
  });

  it('the pure endpoints: resolv-conf, query-plan and the Corefile linter', async () => {
    const conf = await call('POST', '/v1/dns/resolv-conf', { namespace: ns });
    expect(conf.body).toMatchObject({ searches: [`${ns}.svc.cluster.local`, 'svc.cluster.local', 'cluster.local'], options: expect.arrayContaining(['ndots:5']) });
    const plan = await call('POST', '/v1/dns/query-plan', { name: 'web', searches: ['a.svc.cluster.local'], ndots: 5 });
    expect(plan.body.queries).toEqual(['web.a.svc.cluster.local.', 'web.']);
    const lint = await call('POST', '/v1/dns/corefile/lint', { corefile: '.:53 {\n  forward . 127.0.0.1\n}\n' });
    expect(lint.status).toBe(200);
    expect(lint.body.findings.length).toBeGreaterThan(0);
  });

  it('bad input is a 422 naming the field', async () => {
    const long = await call('POST', '/v1/dns/lookups', { namespace: ns, name: `${'a'.repeat(64)}.example` });
    expect(long.status).toBe(422);
    expect(long.body.errors[0].path).toBe('name');
    const policy = await call('POST', '/v1/dns/resolv-conf', { namespace: ns, dnsPolicy: 'Sometimes' });
    expect(policy.status).toBe(422);
    expect(policy.body.errors[0].path).toBe('dnsPolicy');
    const empty = await call('POST', '/v1/dns/corefile/lint', { corefile: '' });
    expect(empty.status).toBe(422);
    expect(empty.body.errors[0].path).toBe('corefile');
  });
});
