import { explainLookup, planLookup } from './lookup.explainer';
import { errorsOf, valueOf } from '@bosun/testing';

const nx = (name: string) => ({ name, rcode: 'NXDOMAIN', answers: [], ms: 1 });
const hit = (name: string, ip = '93.184.216.34') => ({ name, rcode: 'NOERROR', answers: [ip], ms: 12 });

describe('planLookup: a pod in <ns> with its dnsPolicy and dnsConfig', () => {
  it('ClusterFirst: www.example.com (2 dots < ndots 5) goes through the three cluster suffixes first', () => {
    const p = valueOf(planLookup({ namespace: 'shop', name: 'www.example.com', clusterDNS: ['10.96.0.10'], node: {} }));
    expect(p.ndots).toBe(5);
    expect(p.plan.queries).toEqual(['www.example.com.shop.svc.cluster.local.', 'www.example.com.svc.cluster.local.', 'www.example.com.cluster.local.', 'www.example.com.']);
  });

  it('dnsConfig ndots:2 sends it as is first', () => {
    const p = valueOf(planLookup({ namespace: 'shop', name: 'www.example.com', clusterDNS: ['10.96.0.10'], node: {}, dnsConfig: { options: [{ name: 'ndots', value: '2' }] } }));
    expect(p.plan.queries[0]).toBe('www.example.com.');
  });

  it('passes on field errors of the resolv.conf and of the name', () => {
    expect(errorsOf(planLookup({ namespace: 'shop', name: 'x', dnsPolicy: 'Cluster' }))[0].path).toBe('dnsPolicy');
    expect(errorsOf(planLookup({ namespace: 'shop', name: `${'x'.repeat(64)}.example`, clusterDNS: ['10.96.0.10'] }))[0].path).toBe('name');
  });
});

describe('explainLookup', () => {
  it('names the answering query and the wasted ones, and suggests a trailing dot or ndots:2 (kubernetes#127137)', () => {
    const queries = [nx('www.example.com.shop.svc.cluster.local.'), nx('www.example.com.svc.cluster.local.'), nx('www.example.com.cluster.local.'), hit('www.example.com.')];
    const r = explainLookup('www.example.com', queries);
    expect(r).toMatchObject({ answeredBy: 'www.example.com.', wasted: 3 });
    expect(r.hint).toBe('3 queries went to the search list before www.example.com. answered: write the name with a trailing dot (www.example.com.) or set dnsConfig options ndots:2 so names with 2 dots go out as they are first (ndots:5 amplification, kubernetes/kubernetes#127137)');
    expect(r.queries).toEqual(queries);
  });

  it('no hint when the first query answered (a Service name from its own namespace)', () => {
    const r = explainLookup('hostnames', [hit('hostnames.default.svc.cluster.local.', '10.0.1.175'), nx('hostnames.svc.cluster.local.')]);
    expect(r).toEqual({ queries: expect.any(Array), answeredBy: 'hostnames.default.svc.cluster.local.', wasted: 0 });
  });

  it('<svc>.<ns> answered by the second suffix: ask for the full name', () => {
    const r = explainLookup('hostnames.default', [nx('hostnames.default.shop.svc.cluster.local.'), hit('hostnames.default.svc.cluster.local.', '10.0.1.175')]);
    expect(r).toMatchObject({ wasted: 1, hint: expect.stringContaining('ask for hostnames.default.svc.cluster.local.') });
  });

  it('NODATA (NOERROR without records) and SERVFAIL do not answer', () => {
    const r = explainLookup('db.example', [{ name: 'db.example.a.', rcode: 'NOERROR', answers: [], ms: 1 }, { name: 'db.example.b.', rcode: 'SERVFAIL', answers: [], ms: 1 }, hit('db.example.')]);
    expect(r).toMatchObject({ answeredBy: 'db.example.', wasted: 2, hint: expect.stringContaining('ndots:1 so names with 1 dot') });
  });

  it('when nothing answered every query was wasted', () => {
    expect(explainLookup('nope', [nx('nope.default.svc.cluster.local.'), nx('nope.')])).toMatchObject({ wasted: 2, hint: expect.stringContaining('none of the 2 queries') });
    expect(explainLookup('x', [{ name: 'x.', rcode: 'TIMEOUT', answers: [], ms: 5000 }])).not.toHaveProperty('answeredBy');
    expect(explainLookup('x', [{ name: 'x.', rcode: 'TIMEOUT', answers: [], ms: 5000 }])).toMatchObject({ wasted: 1, hint: expect.stringContaining('TIMEOUT') });
  });
});
