import type { ClusterRegistry } from '@bosun/kube';
import { QueryContext } from '@bosun/service-kit';
import { DnsCheckQueries } from '../checks/dns-check.queries';
import { FakeKube, forbidden, healthyCluster } from '../testing/fakes';
import { DnsToolQueries } from './dns-tool.queries';

const q = new QueryContext('s', 'default', undefined, { user: 'alice' });
const registryOf = (kube: FakeKube): ClusterRegistry => ({ resolve: async () => kube.port }) as unknown as ClusterRegistry;

describe('DnsToolQueries: the pure questions', () => {
  it('resolv-conf without clusterDNS takes the cluster\'s kube-dns IP (read as the asker)', async () => {
    const kube = new FakeKube(healthyCluster());
    const r = await new DnsToolQueries(registryOf(kube)).resolvConf({ namespace: 'shop' }, q);
    expect(r).toEqual({ nameservers: ['10.96.0.10'], searches: ['shop.svc.cluster.local', 'svc.cluster.local', 'cluster.local'], options: ['ndots:5'], warnings: [] });
    expect(kube.calls).toEqual([{ verb: 'get', kind: 'Service', as: 'alice' }]);
  });

  it('resolv-conf: a given clusterDNS wins; an unreadable cluster falls back with the kubelet\'s warning', async () => {
    const given = await new DnsToolQueries(registryOf(new FakeKube())).resolvConf({ namespace: 'shop', clusterDNS: ['10.0.0.10'] }, q);
    expect(given.nameservers).toEqual(['10.0.0.10']);
    const denied = await new DnsToolQueries(registryOf(new FakeKube([], () => forbidden('services')))).resolvConf({ namespace: 'shop' }, q);
    expect(denied.warnings[0]).toContain('kubelet does not have ClusterDNS IP configured');
  });

  it('resolv-conf: domain refusals are Invalid naming the field', async () => {
    await expect(new DnsToolQueries(registryOf(new FakeKube()))
      .resolvConf({ namespace: 'shop', dnsPolicy: 'None' }, q)).rejects.toMatchObject({ code: 'Invalid', details: { fieldErrors: [{ path: 'dnsConfig' }] } });
  });

  it('query-plan: as the resolver sends them; a label over 63 is Invalid', () => {
    const tools = new DnsToolQueries();
    expect(tools.queryPlan({ name: 'kubernetes.default', searches: ['a.svc.cluster.local', 'svc.cluster.local'], ndots: 1 }))
      .toEqual({ queries: ['kubernetes.default.', 'kubernetes.default.a.svc.cluster.local.', 'kubernetes.default.svc.cluster.local.'], asIsFirst: true });
    expect(() => tools.queryPlan({ name: 'x'.repeat(64), searches: [], ndots: 5 })).toThrow(expect.objectContaining({ code: 'Invalid', details: { fieldErrors: [expect.objectContaining({ path: 'name' })] } }));
  });

  it('corefile-lint: findings; an empty Corefile is Invalid naming corefile', () => {
    const tools = new DnsToolQueries();
    expect(tools.corefileLint({ corefile: '.:53 {\n    proxy . 8.8.8.8\n}\n' }).findings).toContainEqual(expect.objectContaining({ rule: 'unknown-plugin', line: 2 }));
    expect(() => tools.corefileLint({ corefile: '' })).toThrow(expect.objectContaining({ code: 'Invalid', details: { fieldErrors: [expect.objectContaining({ path: 'corefile' })] } }));
  });
});

describe('DnsCheckQueries.validate: what the gateway asks before accepting dns.checks', () => {
  const v = new DnsCheckQueries();
  it('accepts a valid payload, names the bad field, refuses an unknown kind', () => {
    expect(v.validate({ kind: 'dns.checks', payload: { namespace: 'shop', service: 'web' } })).toEqual({ fieldErrors: [] });
    expect(v.validate({ kind: 'dns.checks' })).toEqual({ fieldErrors: [] });
    expect(() => v.validate({ kind: 'dns.checks', payload: { namespace: 'Shop' } })).toThrow(expect.objectContaining({ details: { fieldErrors: [expect.objectContaining({ path: 'namespace' })] } }));
    expect(() => v.validate({ kind: 'dns.other', payload: {} })).toThrow(expect.objectContaining({ details: { fieldErrors: [expect.objectContaining({ path: 'kind' })] } }));
  });
});
