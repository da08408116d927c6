import { DNS_INSPECTOR_QUERIES, querySubject } from '@bosun/contracts';
import { audited, bearer, FakeOperations, moduleUnderTest } from '../testing/module.testing';
import type { ModuleUnderTest } from '../testing/module.testing';
import { OperationsService } from '../operations/operations.service';
import { DnsModule } from './dns.module';

const operations = new FakeOperations('op_dns');
const { submitted } = operations;
const q = (name: string): string => querySubject('dns-inspector', name);
let m: ModuleUnderTest;
beforeAll(async () => { m = await moduleUnderTest(DnsModule, (b) => b.overrideProvider(OperationsService).useValue(operations)); });
afterAll(async () => { await m?.app.close(); });
beforeEach(() => { submitted.length = 0; m.queries.calls.length = 0; });

describe('DnsModule over HTTP (fakes of our own ports)', () => {
  it('401 without a token; every DNS route is open to a viewer', async () => {
    expect((await m.http.post('/v1/dns/checks').send({})).status).toBe(401);
    expect((await m.http.get('/v1/dns/services/default/web/records')).status).toBe(401);
    expect((await m.http.post('/v1/dns/lookups').send({ namespace: 'default', name: 'web' })).status).toBe(401);
    expect(submitted).toEqual([]);
  });

  it('checks: 202 + Location; kind dns.checks to the dns-inspector, target the Service, validated first', async () => {
    const r = await m.http.post('/v1/dns/checks?cluster=edge').set(bearer('viewer')).send({ namespace: 'team-a', service: 'web' });
    expect(r.status).toBe(202);
    expect(r.headers.location).toBe('/v1/operations/op_dns');
    expect(submitted[0]).toMatchObject({
      kind: 'dns.checks', service: 'dns-inspector', action: 'checks',
      target: { cluster: 'edge', namespace: 'team-a', kind: 'Service', name: 'web' }, payload: { namespace: 'team-a', service: 'web' },
      actor: { subject: 'user:viewer', via: 'api' },
    });
    expect(m.queries.calls.map((c) => c.subject)).toEqual([q('validate')]);
    expect(m.queries.calls[0].envelope.params).toEqual({ kind: 'dns.checks', action: 'checks', payload: { namespace: 'team-a', service: 'web' } });
    expect(await audited(m, { action: 'dns.checks', operationId: 'op_dns', status: 202 })).toBeDefined();
  });

  it('checks without a body: the default namespace, no Service', async () => {
    const r = await m.http.post('/v1/dns/checks').set(bearer('viewer'));
    expect(r.status).toBe(202);
    expect(submitted[0]).toMatchObject({ payload: {}, target: { cluster: 'default', namespace: 'default', kind: 'Service' } });
    expect(submitted[0].target.name).toBeUndefined();
  });

  it('checks: bad fields are 422 naming them; the service\'s Invalid refuses before any operation', async () => {
    const bad = await m.http.post('/v1/dns/checks').set(bearer('viewer')).send({ namespace: 'Team_A', bogus: 1 });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['(body)', 'namespace']);
    m.queries.answer(q('validate'), { ok: false, error: { code: 'Invalid', message: 'bad', fieldErrors: [{ path: 'service', message: 'service name is too long' }] } });
    try {
      const r = await m.http.post('/v1/dns/checks').set(bearer('viewer')).send({ service: 'web' });
      expect(r.status).toBe(422);
      expect(r.body.errors).toEqual([{ path: 'service', message: 'service name is too long' }]);
    } finally {
      m.queries.answer(q('validate'), { ok: true, value: { fieldErrors: [] } });
    }
    expect(submitted).toEqual([]);
  });

  it('records: the path names go to the service as {ns, name}; bad ones are 422; NotFound is 404', async () => {
    const value = { expected: [{ name: 'web.team-a.svc.cluster.local', type: 'A', values: ['10.0.0.7'] }], observed: [], mismatches: [] };
    m.queries.answer(q(DNS_INSPECTOR_QUERIES.records), (env) => ((env.params as { name: string }).name === 'nope'
      ? { ok: false, error: { code: 'NotFound', message: 'services "nope" not found' } }
      : { ok: true, value }));
    const r = await m.http.get('/v1/dns/services/team-a/web/records?cluster=edge').set(bearer('viewer'));
    expect(r.status).toBe(200);
    expect(r.body).toEqual(value);
    expect(m.queries.calls[0].envelope).toMatchObject({ cluster: 'edge', params: { ns: 'team-a', name: 'web' }, actor: { subject: 'user:viewer' } });
    expect((await m.http.get('/v1/dns/services/team-a/nope/records').set(bearer('viewer'))).body).toMatchObject({ status: 404, code: 'NotFound' });
    const bad = await m.http.get('/v1/dns/services/Team_A/web/records').set(bearer('viewer'));
    expect(bad.status).toBe(422);
    expect(bad.body.errors).toEqual([{ path: 'ns', message: expect.stringMatching(/^namespace must be a DNS-1123 label/) }]);
  });

  it('the pure queries answer 200 with the service\'s value and pass the body through', async () => {
    const cases: [string, string, Record<string, unknown>, unknown][] = [
      ['/v1/dns/resolv-conf', DNS_INSPECTOR_QUERIES.resolvConf, { namespace: 'team-a', dnsPolicy: 'ClusterFirst' }, { nameservers: ['10.96.0.10'], searches: [], options: ['ndots:5'], warnings: [] }],
      ['/v1/dns/query-plan', DNS_INSPECTOR_QUERIES.queryPlan, { name: 'web', searches: ['team-a.svc.cluster.local'], ndots: 5 }, { queries: ['web.team-a.svc.cluster.local.', 'web.'] }],
      ['/v1/dns/corefile/lint', DNS_INSPECTOR_QUERIES.corefileLint, { corefile: '.:53 {\n  forward . 8.8.8.8\n}\n' }, { findings: [] }],
      ['/v1/dns/lookups', DNS_INSPECTOR_QUERIES.lookup, { namespace: 'team-a', name: 'web', type: 'A' }, { queries: [{ name: 'web.team-a.svc.cluster.local.', rcode: 'NOERROR', answers: ['10.0.0.7'], ms: 1 }], wasted: 0 }],
    ];
    for (const [path, name, body, value] of cases) {
      m.queries.answer(q(name), { ok: true, value });
      const r = await m.http.post(path).set(bearer('viewer')).send(body);
      expect([path, r.status]).toEqual([path, 200]);
      expect(r.body).toEqual(value);
      expect(m.queries.calls.at(-1)).toMatchObject({ subject: q(name), envelope: { params: body } });
    }
    expect(submitted).toEqual([]);
    expect(await audited(m, { action: 'dns.lookup', status: 200 })).toBeDefined();
  });

  it('bad bodies are 422 naming each field, before the service is asked; its Invalid and Unreachable map too', async () => {
    const plan = await m.http.post('/v1/dns/query-plan').set(bearer('viewer')).send({ name: '', searches: 'x', ndots: -1 });
    expect(plan.status).toBe(422);
    expect(plan.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['name', 'ndots', 'searches']);
    const lookup = await m.http.post('/v1/dns/lookups').set(bearer('viewer')).send({ namespace: 'team-a', name: 'web', type: 'MX' });
    expect(lookup.body.errors).toEqual([{ path: 'type', message: 'type must be one of A, AAAA, SRV, CNAME, PTR' }]);
    expect((await m.http.post('/v1/dns/corefile/lint').set(bearer('viewer')).send({})).body.errors).toEqual([{ path: 'corefile', message: 'corefile is required' }]);
    expect(m.queries.calls).toEqual([]);
    m.queries.answer(q(DNS_INSPECTOR_QUERIES.resolvConf), { ok: false, error: { code: 'Invalid', message: 'bad dnsConfig', fieldErrors: [{ path: 'dnsConfig.searches.0', message: 'must be at most 253 characters' }] } });
    const invalid = await m.http.post('/v1/dns/resolv-conf').set(bearer('viewer')).send({ namespace: 'team-a' });
    expect(invalid.status).toBe(422);
    expect(invalid.body.errors).toEqual([{ path: 'dnsConfig.searches.0', message: 'must be at most 253 characters' }]);
    m.queries.answer(q(DNS_INSPECTOR_QUERIES.lookup), { ok: false, error: { code: 'Unreachable', message: 'the cluster DNS cannot be located' } });
    expect((await m.http.post('/v1/dns/lookups').set(bearer('viewer')).send({ namespace: 'team-a', name: 'web' })).body).toMatchObject({ status: 503, code: 'Unreachable' });
  });
});
