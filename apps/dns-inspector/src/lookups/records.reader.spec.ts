import type { ClusterDns } from '../dns/cluster-dns.locator';
import { DnsClusterReader } from '../dns/cluster.reader';
import { FakeDnsClient, FakeKube, healthyAnswers, healthyCluster, obj, slice } from '../testing/fakes';
import { RecordsReader } from './records.reader';

const dns = (): ClusterDns => ({ server: { host: '10.96.0.10', port: 53 }, address: '10.96.0.10:53', source: 'kube-dns', nameserver: '10.96.0.10' });
const reader = (objects = healthyCluster()): DnsClusterReader => new DnsClusterReader(new FakeKube(objects).port, { user: 'alice' });

describe('RecordsReader: expected from the API objects against what the cluster DNS answers', () => {
  it('a ClusterIP Service answered right: no mismatches; A and CNAME of the name always asked', async () => {
    const client = new FakeDnsClient(healthyAnswers(), 'NOERROR');
    const r = await new RecordsReader(reader(), client).records('shop', 'web', dns);
    expect(r.mismatches).toEqual([]);
    expect(client.asked.map((q) => `${q.name} ${q.type}`).sort()).toEqual([
      '5.5.96.10.in-addr.arpa. PTR', '_http._tcp.web.shop.svc.cluster.local. SRV', 'web.shop.svc.cluster.local. A', 'web.shop.svc.cluster.local. CNAME',
    ]);
    expect(r.observed).toContainEqual({ name: 'web.shop.svc.cluster.local', type: 'CNAME', values: [], rcode: 'NOERROR' });
    expect(r.server).toBe('10.96.0.10:53');
  });

  it('a stale answer and a missing SRV are named', async () => {
    const client = new FakeDnsClient({ ...healthyAnswers(), 'web.shop.svc.cluster.local. A': ['10.96.9.9'], '_http._tcp.web.shop.svc.cluster.local. SRV': { rcode: 'NXDOMAIN' } } as never);
    const r = await new RecordsReader(reader(), client).records('shop', 'web', dns);
    expect(r.mismatches.map((m) => `${m.kind} ${m.type} ${m.name}`)).toEqual([
      'wrong-values A web.shop.svc.cluster.local', 'wrong-values SRV _http._tcp.web.shop.svc.cluster.local',
    ]);
    expect(r.mismatches[0].message).toContain('expected 10.96.5.5, got 10.96.9.9');
  });

  it('an answer no API object explains is unexpected (a CNAME on a ClusterIP name)', async () => {
    const client = new FakeDnsClient({ ...healthyAnswers(), 'web.shop.svc.cluster.local. CNAME': ['elsewhere.example'] });
    const r = await new RecordsReader(reader(), client).records('shop', 'web', dns);
    expect(r.mismatches).toEqual([expect.objectContaining({ kind: 'unexpected', type: 'CNAME', observed: ['elsewhere.example'] })]);
  });

  it('headless: one A per ready endpoint; ExternalName: the CNAME only, its A not asked', async () => {
    const objects = [...healthyCluster(),
      obj('Service', 'shop', 'db', { spec: { clusterIP: 'None', selector: { app: 'db' }, ports: [{ name: 'pg', port: 5432 }] } }), slice('shop', 'db', ['10.244.0.8', '10.244.1.9']),
      obj('Service', 'shop', 'ext', { spec: { type: 'ExternalName', externalName: 'db.example.com' } })];
    const r = await new RecordsReader(reader(objects), new FakeDnsClient()).records('shop', 'db', dns);
    expect(r.expected.find((x) => x.type === 'A')).toEqual({ name: 'db.shop.svc.cluster.local', type: 'A', values: ['10.244.0.8', '10.244.1.9'] });
    const client = new FakeDnsClient({ 'ext.shop.svc.cluster.local. CNAME': ['db.example.com'] });
    const ext = await new RecordsReader(reader(objects), client).records('shop', 'ext', dns);
    expect(ext.mismatches).toEqual([]);
    expect(client.asked.map((q) => q.type)).toEqual(['CNAME']);
  });

  it('a missing Service is NotFound; a DNS server answering nothing is Unreachable', async () => {
    await expect(new RecordsReader(reader(), new FakeDnsClient()).records('shop', 'nope', dns)).rejects.toMatchObject({ code: 'NotFound', message: 'services "nope" not found (in shop)' });
    await expect(new RecordsReader(reader(), new FakeDnsClient({}, 'TIMEOUT')).records('shop', 'web', dns)).rejects.toMatchObject({ code: 'Unreachable', message: expect.stringContaining('10.96.0.10:53 (kube-dns) did not answer') });
  });
});

describe('RecordsReader: an answer that is not NXDOMAIN is named as what it was', () => {
  it('SERVFAIL on the SRV', async () => {
    const client = new FakeDnsClient({ ...healthyAnswers(), '_http._tcp.web.shop.svc.cluster.local. SRV': { rcode: 'SERVFAIL' } } as never);
    const r = await new RecordsReader(reader(), client).records('shop', 'web', dns);
    expect(r.mismatches).toEqual([expect.objectContaining({ type: 'SRV', message: expect.stringContaining('got no answer (SERVFAIL)') })]);
  });
});
