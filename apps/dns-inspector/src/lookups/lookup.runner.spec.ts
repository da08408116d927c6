import { OperationFailure } from '@bosun/service-kit';
import type { ClusterDns } from '../dns/cluster-dns.locator';
import type { DnsAnswer, DnsClient } from '../dns/dns.client';
import { FakeDnsClient } from '../testing/fakes';
import { LookupRunner } from './lookup.runner';

const dns: ClusterDns = { server: { host: '127.0.0.1', port: 1053 }, address: '127.0.0.1:1053', source: 'BOSUN_CLUSTER_DNS', nameserver: '10.96.0.10' };

describe('LookupRunner: a name resolved as a pod of the namespace resolves it', () => {
  it('sends the search list in order and stops at the first answer', async () => {
    const client = new FakeDnsClient({ 'kubernetes.default.svc.cluster.local. A': ['10.96.0.1'] });
    const r = await new LookupRunner(client).lookup({ namespace: 'shop', name: 'kubernetes.default' }, dns);
    expect(client.asked).toEqual([
      { server: '127.0.0.1:1053', name: 'kubernetes.default.shop.svc.cluster.local.', type: 'A' },
      { server: '127.0.0.1:1053', name: 'kubernetes.default.svc.cluster.local.', type: 'A' },
    ]);
    expect(r).toMatchObject({
      queries: [{ rcode: 'NXDOMAIN', answers: [] }, { rcode: 'NOERROR', answers: ['10.96.0.1'] }],
      answeredBy: 'kubernetes.default.svc.cluster.local.', wasted: 1, server: '127.0.0.1:1053',
      resolvConf: { nameservers: ['10.96.0.10'], searches: ['shop.svc.cluster.local', 'svc.cluster.local', 'cluster.local'], options: ['ndots:5'] },
    });
    expect(r.hint).toMatch(/ndots|trailing dot/);
  });

  it('an external name with few dots costs the whole search list first (ndots:5 amplification) and the hint says so', async () => {
    const client = new FakeDnsClient({ 'www.example.com. A': ['93.184.216.34'] });
    const r = await new LookupRunner(client).lookup({ namespace: 'shop', name: 'www.example.com' }, dns);
    expect(r.queries.map((q) => q.rcode)).toEqual(['NXDOMAIN', 'NXDOMAIN', 'NXDOMAIN', 'NOERROR']);
    expect(r).toMatchObject({ wasted: 3, hint: expect.stringContaining('www.example.com.') });
  });

  it('a trailing dot is one query; the type is passed through', async () => {
    const client = new FakeDnsClient({ '_http._tcp.web.shop.svc.cluster.local. SRV': ['0 100 80 web.shop.svc.cluster.local'] });
    const r = await new LookupRunner(client).lookup({ namespace: 'shop', name: '_http._tcp.web.shop.svc.cluster.local.', type: 'SRV' }, dns);
    expect(client.asked).toEqual([{ server: '127.0.0.1:1053', name: '_http._tcp.web.shop.svc.cluster.local.', type: 'SRV' }]);
    expect(r).toMatchObject({ wasted: 0, answeredBy: '_http._tcp.web.shop.svc.cluster.local.' });
  });

  it('dnsConfig and dnsPolicy shape the search list (None: only dnsConfig)', async () => {
    const client = new FakeDnsClient();
    const r = await new LookupRunner(client).lookup({ namespace: 'shop', name: 'db', dnsPolicy: 'None', dnsConfig: { nameservers: ['1.1.1.1'], searches: ['corp.example'] } }, dns);
    expect(r.queries.map((q) => q.name)).toEqual(['db.corp.example.', 'db.']);
    expect(r.answeredBy).toBeUndefined();
    expect(r.wasted).toBe(2);
  });

  it('no server answering: every query TIMEOUT, and the hint points at the checklist', async () => {
    const r = await new LookupRunner(new FakeDnsClient({}, 'TIMEOUT')).lookup({ namespace: 'shop', name: 'web' }, dns);
    expect(r.queries.every((q) => q.rcode === 'TIMEOUT')).toBe(true);
    expect(r.hint).toContain('/v1/dns/checks');
  });

  it('a PTR lookup of an address asks its reverse name once', async () => {
    const client = new FakeDnsClient({ '1.0.96.10.in-addr.arpa. PTR': ['kubernetes.default.svc.cluster.local'] });
    const r = await new LookupRunner(client).lookup({ namespace: 'shop', name: '10.96.0.1', type: 'PTR' }, dns);
    expect(r).toMatchObject({ queries: [{ name: '1.0.96.10.in-addr.arpa.', answers: ['kubernetes.default.svc.cluster.local'] }], wasted: 0 });
  });

  it('past its budget no further query is sent', async () => {
    const slow: DnsClient = { query: async (): Promise<DnsAnswer> => { await new Promise((r) => setTimeout(r, 30)); return { rcode: 'TIMEOUT', answers: [], ms: 30 }; } };
    const r = await new LookupRunner(slow, 50).lookup({ namespace: 'shop', name: 'web' }, dns);
    expect(r.queries.length).toBeLessThan(4);
  });

  it.each([
    [{ namespace: 'shop', name: `${'x'.repeat(64)}.example` }, 'name'],
    [{ namespace: 'shop', name: Array.from({ length: 5 }, () => 'y'.repeat(60)).join('.') }, 'name'],
    [{ namespace: 'shop', name: 'a..b' }, 'name'],
    [{ namespace: 'shop', name: 'db', dnsPolicy: 'None' as const }, 'dnsConfig'],
    [{ namespace: 'shop', name: 'db', dnsConfig: { searches: ['Bad_Domain'] } }, 'dnsConfig.searches.0'],
  ])('bad input (%#) → Invalid naming %s, nothing sent', async (request, path) => {
    const client = new FakeDnsClient();
    const err = await new LookupRunner(client).lookup(request, dns).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OperationFailure);
    expect(err).toMatchObject({ code: 'Invalid', details: { fieldErrors: [expect.objectContaining({ path })] } });
    expect(client.asked).toEqual([]);
  });
});
