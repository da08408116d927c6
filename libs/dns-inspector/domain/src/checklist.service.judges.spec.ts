import type { ChecklistEvidence, TargetEvidence } from './checklist.evidence';
import { healthy } from './checklist.fixtures';
import { resolvConfJudge, serviceEndpointsJudge, serviceNamesJudge } from './checklist.service.judges';
import { endpoint, pod, port, service, slice } from './kube.fixtures';

// 000:17441-17488: the hostnames Deployment behind Service hostnames 10.0.1.175 in default.
const hostnames = service('hostnames', { clusterIP: '10.0.1.175', ports: [port(80, 'default')], selector: { app: 'hostnames' } });
const answer = (name: string, ok = true) => ({ name, rcode: ok ? 'NOERROR' : 'NXDOMAIN', answers: ok ? ['10.0.1.175'] : [] });
const target = (extra: Partial<TargetEvidence> = {}): TargetEvidence => ({
  name: 'hostnames', namespace: 'default', service: hostnames,
  endpointSlices: [slice('hostnames', ['10.244.0.5', '10.244.0.6', '10.244.0.7'].map((ip) => endpoint(ip)))],
  lookups: [answer('hostnames'), answer('hostnames.default'), answer('hostnames.default.svc.cluster.local')],
  ...extra,
});
const withTarget = (t: Partial<TargetEvidence> = {}, e: Partial<ChecklistEvidence> = {}): ChecklistEvidence => ({ ...healthy(), target: target(t), ...e });

describe('step 4: the Service resolves by name (000:17468-17488)', () => {
  it('passes when <svc>, <svc>.<ns> and the full name resolve', () => {
    expect(serviceNamesJudge(withTarget())).toMatchObject({ status: 'pass', detail: expect.stringContaining('hostnames.default.svc.cluster.local: 10.0.1.175') });
  });

  it('fails with the API words when the Service does not exist (000:17436-17440)', () => {
    const c = serviceNamesJudge(withTarget({ service: null }));
    expect(c).toMatchObject({ status: 'fail', detail: 'Error from server (NotFound): services "hostnames" not found (in default)', hint: expect.stringContaining('kubectl expose deployment hostnames') });
  });

  it('from another namespace only <svc>.<ns> works, as the seed says (000:4987-4992)', () => {
    const lookups = [answer('hostnames', false), answer('hostnames.default'), answer('hostnames.default.svc.cluster.local')];
    const c = serviceNamesJudge(withTarget({ lookups }, { namespace: 'shop' }));
    expect(c).toMatchObject({ status: 'pass', detail: expect.stringContaining('from there use hostnames.default') });
    expect(c.hint).toBeUndefined();
  });

  it('fails when only the full name resolves from the same namespace: the search line is wrong', () => {
    const lookups = [answer('hostnames', false), answer('hostnames.default', false), answer('hostnames.default.svc.cluster.local')];
    expect(serviceNamesJudge(withTarget({ lookups }))).toMatchObject({ status: 'fail', hint: expect.stringContaining('search line is wrong (step 5)') });
  });

  it('fails when nothing resolves', () => {
    const lookups = [answer('hostnames', false), answer('hostnames.default', false), answer('hostnames.default.svc.cluster.local', false)];
    expect(serviceNamesJudge(withTarget({ lookups }))).toMatchObject({ status: 'fail', hint: expect.stringContaining('kubernetes.default (step 3)') });
  });

  it('skips without a target or without lookups', () => {
    expect(serviceNamesJudge(healthy()).status).toBe('skip');
    expect(serviceNamesJudge(withTarget({ lookups: undefined })).status).toBe('skip');
  });
});

describe('step 5: the pod resolv.conf (000:17491-17517)', () => {
  const conf = (searches: string[], nameservers = ['10.0.0.10'], options = ['ndots:5']) => withTarget({}, { resolvConf: { searches, nameservers, options } });
  const good = ['default.svc.cluster.local', 'svc.cluster.local', 'cluster.local'];

  it('passes on search <ns>.svc.cluster.local svc.cluster.local cluster.local, the cluster DNS and ndots:5', () => {
    expect(resolvConfJudge(conf(good))).toMatchObject({ status: 'pass', evidence: { ndots: 5, clusterDNS: '10.0.0.10' } });
    expect(resolvConfJudge(conf([...good, 'example.com'], ['10.0.0.10'], ['ndots:2'])).status).toBe('pass');
  });

  it('fails when a cluster search suffix is missing', () => {
    expect(resolvConfJudge(conf(['svc.cluster.local', 'cluster.local']))).toMatchObject({ status: 'fail', detail: expect.stringContaining('missing default.svc.cluster.local') });
  });

  it('fails when the nameserver is not the cluster DNS', () => {
    expect(resolvConfJudge(conf(good, ['169.254.169.254']))).toMatchObject({ status: 'fail', hint: expect.stringContaining('--cluster-dns') });
  });

  it('warns on ndots:1 and on more than 6 search domains', () => {
    expect(resolvConfJudge(conf(good, ['10.0.0.10'], []))).toMatchObject({ status: 'warn', detail: expect.stringContaining('ndots:1') });
    expect(resolvConfJudge(conf([...good, 'a.x', 'b.x', 'c.x', 'd.x'])).status).toBe('warn');
  });
});

describe('step 6: the Service has endpoints (000:17589-17601)', () => {
  it('passes with ready endpoints', () => {
    expect(serviceEndpointsJudge(withTarget())).toMatchObject({ status: 'pass', detail: '3 ready endpoints' });
  });

  it('fails on ENDPOINTS <none> with a selector that matches no pod (app=hostnames against run=hostnames)', () => {
    const c = serviceEndpointsJudge(withTarget({ endpointSlices: [], selectedPods: [] }));
    expect(c).toMatchObject({ status: 'fail', detail: 'ENDPOINTS <none>' });
    expect(c.hint).toMatch(/^no pod has the labels app=hostnames\. ENDPOINTS <none> means the Service's spec.selector does not match.*run=hostnames/);
  });

  it('fails when the matching pods are not ready', () => {
    const pods = [pod('hostnames-1', { namespace: 'default', ready: false, labels: { app: 'hostnames' } })];
    const slices = [slice('hostnames', [endpoint('10.244.0.5', { conditions: { ready: false } })])];
    expect(serviceEndpointsJudge(withTarget({ endpointSlices: slices, selectedPods: pods }))).toMatchObject({
      status: 'fail', detail: 'ENDPOINTS <none> ready (1 not ready)', hint: expect.stringContaining('none is Ready'),
    });
  });

  it('warns for a Service without a selector, skips ExternalName and missing Services', () => {
    expect(serviceEndpointsJudge(withTarget({ service: service('manual', { clusterIP: '10.0.0.9' }), endpointSlices: [] })).status).toBe('warn');
    expect(serviceEndpointsJudge(withTarget({ service: service('ext', { type: 'ExternalName', externalName: 'www.baidu.com' }) })).status).toBe('skip');
    expect(serviceEndpointsJudge(withTarget({ service: null })).status).toBe('skip');
  });
});
