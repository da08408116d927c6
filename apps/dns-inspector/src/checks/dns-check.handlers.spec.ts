import type { Progress } from '@bosun/contracts';
import type { BosunConfig } from '@bosun/config';
import type { ClusterRegistry, KubeObject } from '@bosun/kube';
import type { BosunLogger } from '@bosun/logging';
import { Interrupted, OperationContext } from '@bosun/service-kit';
import type { OperationInfo } from '@bosun/service-kit';
import { ClusterDnsLocator } from '../dns/cluster-dns.locator';
import type { DnsClient } from '../dns/dns.client';
import { FakeDnsClient, FakeKube, forbidden, healthyAnswers, healthyCluster, obj, unreachable } from '../testing/fakes';
import { DnsCheckHandlers } from './dns-check.handlers';

const ORDER = ['dns-pods', 'dns-service', 'kubernetes-default', 'service-names', 'resolv-conf', 'service-endpoints', 'corefile'];
const logger = { info: () => undefined, warn: () => undefined, child: () => logger } as unknown as BosunLogger;

const setup = (objects: KubeObject[] = healthyCluster(), client: DnsClient = new FakeDnsClient(healthyAnswers()), kube = new FakeKube(objects), clusterDns?: string) => {
  const registry = { defaultName: 'default', resolve: async () => kube.port } as unknown as ClusterRegistry;
  const locator = new ClusterDnsLocator({ clusterDns } as BosunConfig, registry);
  const progress: Progress[] = [];
  const abort = new AbortController();
  const info = { operationId: 'op_1', cluster: 'default', identity: { user: 'alice' } } as OperationInfo;
  const op = new OperationContext(info, abort.signal, async (p) => void progress.push(p), () => false, {} as never);
  return { handlers: new DnsCheckHandlers(registry, client, locator, logger), op, progress, kube, abort };
};

const statuses = (checks: Array<{ status: string }>): string[] => checks.map((c) => c.status);

describe('DnsCheckHandlers.checks: the checklist over fakes of the cluster and the DNS client', () => {
  it('a healthy cluster passes the seven steps in order, reporting progress after each, reading as the operation subject', async () => {
    const { handlers, op, progress, kube } = setup();
    const { checks } = await handlers.checks({ namespace: 'shop', service: 'web' }, op);
    await op.flush();
    expect(checks.map((c) => `${c.id}:${c.status}`)).toEqual(ORDER.map((id) => `${id}:pass`));
    expect(progress.map((p) => p.current)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(progress[0]).toEqual({ current: 1, total: 7, message: 'DNS pods are Running and Ready: pass' });
    expect(kube.calls.every((c) => c.as === 'alice')).toBe(true);
    expect(checks[2].evidence).toMatchObject({ server: '10.96.0.10:53' });
  });

  it('the kube-dns IP is asked unless BOSUN_CLUSTER_DNS names the default cluster\'s DNS', async () => {
    const client = new FakeDnsClient(healthyAnswers());
    const { handlers, op } = setup(healthyCluster(), client, undefined, '127.0.0.1:1053');
    await handlers.checks({ namespace: 'shop' }, op);
    expect(new Set(client.asked.map((q) => q.server))).toEqual(new Set(['127.0.0.1:1053']));
  });

  it('no DNS pods: step 1 fails with how to scale coredns back; no endpoints: step 2 fails', async () => {
    const objects = healthyCluster().filter((o) => !(o.kind === 'Pod' && o.metadata.namespace === 'kube-system') && !(o.kind === 'EndpointSlice' && o.metadata.namespace === 'kube-system'));
    const { handlers, op } = setup(objects);
    const { checks } = await handlers.checks({ namespace: 'shop' }, op);
    expect(checks[0]).toMatchObject({ status: 'fail', hint: expect.stringContaining('kubectl -n kube-system scale deployment coredns --replicas=2') });
    expect(checks[1]).toMatchObject({ status: 'fail', detail: expect.stringContaining('no endpoints') });
  });

  it('kubernetes.default not resolving fails step 3 with the seed\'s words', async () => {
    const { handlers, op } = setup(healthyCluster(), new FakeDnsClient({}));
    const { checks } = await handlers.checks({ namespace: 'shop' }, op);
    expect(checks[2]).toMatchObject({ status: 'fail', detail: "nslookup: can't resolve 'kubernetes.default' (NXDOMAIN)" });
  });

  it('a selector matching no pods fails step 6 with the hint', async () => {
    const objects = [...healthyCluster(), obj('Service', 'shop', 'lonely', { spec: { clusterIP: '10.96.7.7', selector: { app: 'nobody' }, ports: [{ port: 80 }] } })];
    const { handlers, op } = setup(objects, new FakeDnsClient({ ...healthyAnswers(), 'lonely.shop.svc.cluster.local. A': ['10.96.7.7'] }));
    const { checks } = await handlers.checks({ namespace: 'shop', service: 'lonely' }, op);
    expect(statuses(checks)).toEqual(['pass', 'pass', 'pass', 'pass', 'pass', 'fail', 'pass']);
    expect(checks[5].hint).toContain('no pod has the labels app=nobody');
  });

  it('a step the subject may not read is skipped with Kubernetes\' words; the others still run', async () => {
    const kube = new FakeKube(healthyCluster(), (ref) => (ref.kind === 'ConfigMap' ? forbidden('configmaps "coredns"') : undefined));
    const { handlers, op } = setup(undefined, undefined, kube);
    const { checks } = await handlers.checks({ namespace: 'shop' }, op);
    expect(checks[6]).toMatchObject({ id: 'corefile', status: 'skip', detail: expect.stringContaining('Forbidden: configmaps "coredns" is forbidden') });
    expect(statuses(checks).slice(0, 3)).toEqual(['pass', 'pass', 'pass']);
  });

  it('a step judged on an unreadable step is skipped too, not failed on missing evidence', async () => {
    const kube = new FakeKube(healthyCluster(), (ref) => (ref.kind === 'Service' && ref.name === 'kube-dns' ? forbidden('services "kube-dns"') : undefined));
    const { handlers, op } = setup(undefined, undefined, kube, '127.0.0.1:1053');
    const { checks } = await handlers.checks({ namespace: 'shop' }, op);
    expect(statuses(checks)).toEqual(['pass', 'skip', 'pass', 'skip', 'skip', 'skip', 'pass']);
    expect(checks[4].detail).toContain('Forbidden');
  });

  it('no kube-dns Service and no BOSUN_CLUSTER_DNS: step 2 fails and step 3 fails as Unreachable', async () => {
    const objects = healthyCluster().filter((o) => !(o.kind === 'Service' && o.metadata.name === 'kube-dns'));
    const { handlers, op } = setup(objects);
    const { checks } = await handlers.checks({ namespace: 'shop' }, op);
    expect(checks[1]).toMatchObject({ status: 'fail', detail: expect.stringContaining('NotFound') });
    expect(checks[2]).toMatchObject({ status: 'fail', detail: expect.stringContaining('Unreachable') });
  });

  it('a transient apiserver error is thrown for the kit to retry; a stop signal stops between steps', async () => {
    const kube = new FakeKube(healthyCluster(), () => unreachable());
    const { handlers, op } = setup(undefined, undefined, kube);
    await expect(handlers.checks({ namespace: 'shop' }, op)).rejects.toMatchObject({ reason: 'Unreachable' });
    const stopped = setup();
    stopped.abort.abort();
    await expect(stopped.handlers.checks({ namespace: 'shop' }, stopped.op)).rejects.toBeInstanceOf(Interrupted);
  });
});
