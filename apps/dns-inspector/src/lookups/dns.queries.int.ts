import type { CorefileLintResult, DnsLookupResult, QueryPlanResult, ResolvConfResult, ServiceRecordsResult } from '@bosun/contracts';
import { testCluster } from '@bosun/testing';
import { DnsHarness } from '../testing/dns.harness';

// The dns-inspector's queries against the local control plane and its real CoreDNS
// (127.0.0.1:1053, the kubernetes plugin for cluster.local), asked as the gateway asks.
let h: DnsHarness;
let ns: string;

beforeAll(async () => {
  h = await DnsHarness.create();
  await h.start();
  ns = await h.namespace('dns-q');
}, 60_000);
afterAll(async () => h?.close(), 60_000);

const value = <T>(reply: { ok: boolean; value?: T; error?: unknown }): T => {
  if (!reply.ok) throw new Error(`query failed: ${JSON.stringify(reply.error)}`);
  return reply.value as T;
};

describe('dns-inspector pure queries through the service', () => {
  it('resolv-conf: a ClusterFirst pod of the namespace gets the cluster DNS, its search list and ndots:5', async () => {
    expect(value(await h.query<ResolvConfResult>('resolv-conf', { namespace: ns }))).toEqual({
      nameservers: ['10.96.0.10'], searches: [`${ns}.svc.cluster.local`, 'svc.cluster.local', 'cluster.local'], options: ['ndots:5'], warnings: [],
    });
    const none = value(await h.query<ResolvConfResult>('resolv-conf', { namespace: ns, dnsPolicy: 'None', dnsConfig: { nameservers: ['1.1.1.1'], searches: ['corp.example'], options: [{ name: 'ndots', value: '2' }] } }));
    expect(none).toEqual({ nameservers: ['1.1.1.1'], searches: ['corp.example'], options: ['ndots:2'], warnings: [] });
  });

  it('query-plan: the search list first for a name with fewer than ndots dots', async () => {
    const plan = value(await h.query<QueryPlanResult>('query-plan', { name: 'web', searches: ['a.svc.cluster.local', 'svc.cluster.local', 'cluster.local'], ndots: 5 }));
    expect(plan.queries).toEqual(['web.a.svc.cluster.local.', 'web.svc.cluster.local.', 'web.cluster.local.', 'web.']);
  });

  it('corefile-lint: the cluster\'s kubeadm Corefile is clean; the seed\'s proxy is an error with its line', async () => {
    const kubeadm = await h.admin.get<any>({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'kube-system', name: 'coredns' });
    expect(value(await h.query<CorefileLintResult>('corefile-lint', { corefile: kubeadm?.data.Corefile }))).toEqual({ findings: [] });
    const bad = value(await h.query<CorefileLintResult>('corefile-lint', { corefile: '.:53 {\n    errors\n    health\n    ready\n    kubernetes cluster.local in-addr.arpa ip6.arpa\n    proxy . /etc/resolv.conf\n}\n' }));
    expect(bad.findings).toContainEqual(expect.objectContaining({ severity: 'error', rule: 'unknown-plugin', line: 6 }));
  });

  it.each([
    ['lookup', { namespace: 'default', name: `${'a'.repeat(60)}.${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}.${'e'.repeat(20)}.example` }, 'name', /253/],
    ['lookup', { namespace: 'default', name: `${'x'.repeat(64)}.example` }, 'name', /63/],
    ['query-plan', { name: `${'x'.repeat(64)}`, searches: [], ndots: 5 }, 'name', /63/],
    ['lookup', { namespace: 'default', name: 'web', dnsPolicy: 'ClusterFirts' }, 'dnsPolicy', /dnsPolicy must be one of/],
    ['resolv-conf', { namespace: 'default', dnsPolicy: 'Sometimes' }, 'dnsPolicy', /dnsPolicy must be one of/],
    ['corefile-lint', { corefile: '' }, 'corefile', /must not be empty/],
    ['corefile-lint', { corefile: '\n# only a comment\n' }, 'corefile', /must not be empty/],
    ['records', { ns: 'default', name: 'Web' }, 'name', /DNS-1123/],
  ])('bad input to %s (case %#) → Invalid naming the field', async (query, params, path, message) => {
    const reply = await h.query(query, params);
    expect(reply).toMatchObject({ ok: false, error: { code: 'Invalid', fieldErrors: [expect.objectContaining({ path, message: expect.stringMatching(message) })] } });
  });
});

describe('dns-inspector lookups against CoreDNS', () => {
  beforeAll(async () => {
    await h.deployment(ns, 'web', 1);
    await h.applyService(ns, 'web', { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 80 }] });
    await h.answered(`web.${ns}.svc.cluster.local`, 'A', (a) => a.length === 1);
  }, 60_000);

  it('a short name goes through the search list: answered by the first suffix, nothing wasted', async () => {
    const r = value(await h.query<DnsLookupResult>('lookup', { namespace: ns, name: 'web' }));
    expect(r.resolvConf?.searches).toEqual([`${ns}.svc.cluster.local`, 'svc.cluster.local', 'cluster.local']);
    expect(r.queries).toEqual([{ name: `web.${ns}.svc.cluster.local.`, rcode: 'NOERROR', answers: [expect.stringMatching(/^10\.96\./)], ms: expect.any(Number) }]);
    expect(r).toMatchObject({ answeredBy: `web.${ns}.svc.cluster.local.`, wasted: 0, server: testCluster().dns });
  });

  it('kubernetes.default from another namespace: NXDOMAIN for the first suffix, then the answer, and the ndots hint', async () => {
    const r = value(await h.query<DnsLookupResult>('lookup', { namespace: ns, name: 'kubernetes.default' }));
    expect(r.queries.map((q) => [q.name, q.rcode])).toEqual([
      [`kubernetes.default.${ns}.svc.cluster.local.`, 'NXDOMAIN'],
      ['kubernetes.default.svc.cluster.local.', 'NOERROR'],
    ]);
    expect(r.queries[1].answers).toEqual(['10.96.0.1']);
    expect(r).toMatchObject({ answeredBy: 'kubernetes.default.svc.cluster.local.', wasted: 1, hint: expect.stringContaining('kubernetes.default.svc.cluster.local.') });
  });

  it('a name that exists nowhere: every query of the search list, all NXDOMAIN, all wasted', async () => {
    const r = value(await h.query<DnsLookupResult>('lookup', { namespace: ns, name: 'no-such-svc' }));
    expect(r.queries.map((q) => q.name)).toEqual([`no-such-svc.${ns}.svc.cluster.local.`, 'no-such-svc.svc.cluster.local.', 'no-such-svc.cluster.local.', 'no-such-svc.']);
    expect(r.queries.slice(0, 3).every((q) => q.rcode === 'NXDOMAIN')).toBe(true);
    expect(r.answeredBy).toBeUndefined();
    expect(r.wasted).toBe(4);
  });

  it('a PTR lookup of the kubernetes Service IP: its reverse name, answered by the kubernetes plugin', async () => {
    const r = value(await h.query<DnsLookupResult>('lookup', { namespace: ns, name: '10.96.0.1', type: 'PTR' }));
    expect(r.queries).toEqual([{ name: '1.0.96.10.in-addr.arpa.', rcode: 'NOERROR', answers: ['kubernetes.default.svc.cluster.local'], ms: expect.any(Number) }]);
  });

  it('a trailing dot sends one query; SRV of a named port', async () => {
    const r = value(await h.query<DnsLookupResult>('lookup', { namespace: ns, name: `_http._tcp.web.${ns}.svc.cluster.local.`, type: 'SRV' }));
    expect(r.queries).toHaveLength(1);
    expect(r.queries[0].answers).toEqual([expect.stringMatching(new RegExp(` 80 web\\.${ns}\\.svc\\.cluster\\.local$`))]);
    expect(r.hint).toBeUndefined();
  });
});

describe('dns-inspector records against CoreDNS', () => {
  const records = async (name: string): Promise<ServiceRecordsResult> => value(await h.query<ServiceRecordsResult>('records', { ns, name }));

  it('ClusterIP: A, PTR and SRV of the named port, as CoreDNS answers them', async () => {
    await h.applyService(ns, 'api', { selector: { app: 'web' }, ports: [{ name: 'http', port: 8080, targetPort: 80 }, { port: 9000, targetPort: 9000, name: 'grpc' }] });
    const fqdn = `api.${ns}.svc.cluster.local`;
    await h.answered(fqdn, 'A', (a) => a.length === 1);
    const r = await records('api');
    const ip = (await h.admin.get<any>({ apiVersion: 'v1', kind: 'Service', namespace: ns, name: 'api' }))?.spec.clusterIP;
    expect(r.expected).toEqual(expect.arrayContaining([
      { name: fqdn, type: 'A', values: [ip] },
      { name: `_http._tcp.${fqdn}`, type: 'SRV', values: [`8080 ${fqdn}`] },
      { name: `_grpc._tcp.${fqdn}`, type: 'SRV', values: [`9000 ${fqdn}`] },
      expect.objectContaining({ type: 'PTR', values: [fqdn] }),
    ]));
    expect(r.observed).toContainEqual({ name: fqdn, type: 'A', values: [ip], rcode: 'NOERROR' });
    expect(r.mismatches).toEqual([]);
  });

  it('headless: one A per ready pod IP (kwok assigns them), SRV per endpoint', async () => {
    await h.deployment(ns, 'db', 2);
    await h.applyService(ns, 'db', { clusterIP: 'None', selector: { app: 'db' }, ports: [{ name: 'pg', port: 5432 }] });
    const ips = await h.podIPs(ns, 'db');
    const fqdn = `db.${ns}.svc.cluster.local`;
    await h.answered(fqdn, 'A', (a) => a.length === 2);
    const r = await records('db');
    const a = r.expected.find((x) => x.type === 'A');
    expect({ ...a, values: [...(a?.values ?? [])].sort() }).toEqual({ name: fqdn, type: 'A', values: ips });
    expect(r.observed.find((x) => x.type === 'A' && x.name === fqdn)?.values.sort()).toEqual(ips);
    expect(r.expected.find((x) => x.type === 'SRV')?.values).toHaveLength(2);
    expect(r.mismatches).toEqual([]);
  }, 60_000);

  it('ExternalName: a CNAME and nothing else', async () => {
    await h.applyService(ns, 'ext', { type: 'ExternalName', externalName: 'db.example.com' });
    const fqdn = `ext.${ns}.svc.cluster.local`;
    await h.answered(fqdn, 'CNAME', (a) => a.length === 1);
    const r = await records('ext');
    expect(r.expected).toEqual([{ name: fqdn, type: 'CNAME', values: ['db.example.com'] }]);
    expect(r.observed).toEqual([{ name: fqdn, type: 'CNAME', values: ['db.example.com'], rcode: 'NOERROR' }]);
    expect(r.mismatches).toEqual([]);
  });

  it('reads are made as the asking subject: one without RBAC rights gets Kubernetes\' Forbidden', async () => {
    const nobody = { subject: 'user:nobody', groups: [], via: 'api' as const };
    expect(await h.query('records', { ns, name: 'api' }, nobody)).toMatchObject({ ok: false, error: { code: 'Forbidden', message: expect.stringContaining('"nobody"') } });
  });

  it('a Service that does not exist → NotFound', async () => {
    expect(await h.query('records', { ns, name: 'nope' })).toMatchObject({ ok: false, error: { code: 'NotFound', message: `services "nope" not found (in ${ns})` } });
  });
});
