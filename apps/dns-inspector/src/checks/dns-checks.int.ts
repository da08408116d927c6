import type { DnsCheck } from '@bosun/contracts';
import { eventually, testCluster } from '@bosun/testing';
import { DnsHarness } from '../testing/dns.harness';
import type { Json } from '../testing/dns.harness';

// The DNS checklist as an operation (a BullMQ job through the kit), against the local
// control plane and its real CoreDNS, driven as the gateway drives it.
let h: DnsHarness;
let ns: string;

const ORDER = ['dns-pods', 'dns-service', 'kubernetes-default', 'service-names', 'resolv-conf', 'service-endpoints', 'corefile'];

beforeAll(async () => {
  h = await DnsHarness.create();
  await h.start();
  ns = await h.namespace('dns-chk');
  await h.deployment(ns, 'web', 2);
  await h.applyService(ns, 'web', { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 80 }] });
  await h.answered(`web.${ns}.svc.cluster.local`, 'A', (a) => a.length === 1);
}, 90_000);
afterAll(async () => h?.close(), 60_000);

const checks = async (payload: Record<string, unknown>): Promise<{ op: string; checks: DnsCheck[] }> => {
  const op = await h.command('checks', payload);
  const done = await h.succeeded(op);
  return { op, checks: (done.result as { checks: DnsCheck[] }).checks };
};
const byId = (cs: DnsCheck[], id: string): DnsCheck => cs.find((c) => c.id === id)!;

describe('dns-inspector: the checklist (real NATS, Redis, Kubernetes and CoreDNS)', () => {
  it('passes on a healthy cluster, the seven steps in order, with progress per step and the evidence', async () => {
    const { op, checks: cs } = await checks({ namespace: ns, service: 'web' });
    expect(cs.map((c) => `${c.id}:${c.status}`)).toEqual(ORDER.map((id) => `${id}:pass`));
    expect(h.of(op, 'progressed').map((e) => e.progress?.current)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(h.of(op).map((e) => e.type)).toEqual(['started', ...ORDER.map(() => 'progressed'), 'succeeded']);
    expect(byId(cs, 'dns-pods').evidence?.pods).toEqual([expect.objectContaining({ name: expect.stringMatching(/^coredns-/), phase: 'Running', ready: true }), expect.anything()]);
    expect(byId(cs, 'dns-service').evidence).toMatchObject({ clusterIP: '10.96.0.10', ports: ['53/UDP', '53/TCP', '9153/TCP'], endpoints: 2 });
    expect(byId(cs, 'kubernetes-default').evidence).toMatchObject({ rcode: 'NOERROR', answers: ['10.96.0.1'], expected: '10.96.0.1', server: testCluster().dns });
    // every form a pod types, each through the pod's search list
    const forms = byId(cs, 'service-names').evidence?.lookups as Array<{ typed: string; answeredBy: string; wasted: number }>;
    expect(forms.map((f) => [f.typed, f.answeredBy, f.wasted])).toEqual([
      ['web', `web.${ns}.svc.cluster.local.`, 0],
      [`web.${ns}`, `web.${ns}.svc.cluster.local.`, 1],
      [`web.${ns}.svc.cluster.local`, `web.${ns}.svc.cluster.local.`, 3],
    ]);
    expect(byId(cs, 'resolv-conf').evidence).toMatchObject({ nameservers: ['10.96.0.10'], searches: [`${ns}.svc.cluster.local`, 'svc.cluster.local', 'cluster.local'], options: ['ndots:5'] });
    expect(byId(cs, 'service-endpoints').evidence).toMatchObject({ selector: 'app=web', ready: 2, selectedPods: 2 });
    expect(byId(cs, 'corefile').evidence).toEqual({ findings: [] });
    expect(cs.every((c) => c.hint === undefined)).toBe(true);
  }, 60_000);

  it('without a service the Service steps are skipped, the others pass', async () => {
    const { checks: cs } = await checks({ namespace: ns });
    expect(cs.map((c) => c.status)).toEqual(['pass', 'pass', 'pass', 'skip', 'pass', 'skip', 'pass']);
  }, 60_000);

  it('a Service whose selector matches no pods fails step 6 with the hint', async () => {
    await h.applyService(ns, 'lonely', { selector: { app: 'nobody' }, ports: [{ name: 'http', port: 80 }] });
    const { checks: cs } = await checks({ namespace: ns, service: 'lonely' });
    const step6 = cs[5];
    expect(step6).toMatchObject({ id: 'service-endpoints', status: 'fail', detail: 'ENDPOINTS <none>', evidence: { selector: 'app=nobody', ready: 0, selectedPods: 0 } });
    expect(step6.hint).toContain('no pod has the labels app=nobody');
    expect(step6.hint).toContain("spec.selector does not match the pods' metadata.labels");
    expect(byId(cs, 'service-names').status).toBe('pass');
  }, 60_000);

  it('a Service that does not exist fails step 4 with NotFound, step 6 is skipped', async () => {
    const { checks: cs } = await checks({ namespace: ns, service: 'ghost' });
    expect(cs[3]).toMatchObject({ status: 'fail', detail: `Error from server (NotFound): services "ghost" not found (in ${ns})` });
    expect(cs[5].status).toBe('skip');
  }, 60_000);

  it('the coredns Deployment scaled to 0 fails step 1 (and 2) and says how to fix it', async () => {
    try {
      await h.scaleCoreDns(0);
      await eventually(async () => ((await h.admin.list<Json>({ apiVersion: 'v1', kind: 'Pod', namespace: 'kube-system', labelSelector: 'k8s-app=kube-dns' })).length === 0 ? true : undefined), 'no coredns pods', 60_000, 250);
      const { checks: cs } = await checks({ namespace: ns });
      expect(cs[0]).toMatchObject({ id: 'dns-pods', status: 'fail', detail: expect.stringContaining('finds no pods') });
      expect(cs[0].hint).toContain('kubectl -n kube-system scale deployment coredns --replicas=2');
      expect(cs[1]).toMatchObject({ id: 'dns-service', status: 'fail', detail: expect.stringContaining('no endpoints') });
    } finally {
      await h.coreDnsHealthy(2);
    }
  }, 120_000);

  it('an invalid payload fails the operation at acceptance, naming the field; the validate query says the same', async () => {
    const op = await h.command('checks', { namespace: 'Not_A_Label' });
    expect(await h.terminal(op)).toMatchObject({ type: 'failed', error: { code: 'Invalid', message: expect.stringContaining('namespace') } });
    expect(h.of(op, 'started')).toEqual([]);
    expect(await h.query('validate', { kind: 'dns.checks', payload: { service: 'a_b' } })).toMatchObject({ ok: false, error: { code: 'Invalid', fieldErrors: [{ path: 'service' }] } });
    expect(await h.query('validate', { kind: 'dns.checks', payload: { namespace: ns } })).toEqual({ ok: true, value: { fieldErrors: [] } });
    expect(await h.query('validate', { kind: 'dns.nope', payload: {} })).toMatchObject({ ok: false, error: { code: 'Invalid', fieldErrors: [{ path: 'kind' }] } });
  });
});
