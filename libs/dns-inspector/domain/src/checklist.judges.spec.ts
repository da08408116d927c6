import { coredns, healthy, kubeDns, kubeDnsSlices } from './checklist.fixtures';
import { corefileJudge, dnsPodsJudge, dnsServiceJudge, kubernetesDefaultJudge, runChecklist } from './checklist.judges';
import { KUBEADM_COREFILE } from './corefile.fixtures';
import { lintCorefile } from './corefile.linter';
import { pod, port } from './kube.fixtures';
import { valueOf } from '@bosun/testing';

describe('runChecklist', () => {
  it('gives the seven steps in order; without a target the Service steps are skipped', () => {
    const checks = runChecklist(healthy());
    expect(checks.map((c) => [c.id, c.status])).toEqual([
      ['dns-pods', 'pass'], ['dns-service', 'pass'], ['kubernetes-default', 'pass'], ['service-names', 'skip'],
      ['resolv-conf', 'pass'], ['service-endpoints', 'skip'], ['corefile', 'pass'],
    ]);
    expect(checks.every((c) => c.title.length > 0 && c.detail.length > 0 && c.evidence !== undefined)).toBe(true);
    expect(checks.filter((c) => c.status === 'pass').every((c) => c.hint === undefined)).toBe(true);
  });

  it('skips every step it has no evidence for', () => {
    expect(runChecklist({ namespace: 'default' }).map((c) => c.status)).toEqual(Array(7).fill('skip'));
  });
});

describe('step 1: DNS pods (000:4906-4921)', () => {
  it('passes with every pod Running and Ready', () => {
    expect(dnsPodsJudge(healthy())).toMatchObject({ status: 'pass', detail: '2/2 DNS pods Running and Ready' });
  });

  it('fails with no pod (coredns scaled to 0) and says how to scale it back', () => {
    const c = dnsPodsJudge({ ...healthy(), dnsPods: [] });
    expect(c).toMatchObject({ status: 'fail', detail: expect.stringContaining('-l k8s-app=kube-dns finds no pods') });
    expect(c.hint).toMatch(/kubectl -n kube-system scale deployment coredns --replicas=2/);
  });

  it('fails when no pod is Ready, warns when some are', () => {
    const pending = pod('coredns-x', { phase: 'Pending', ready: false });
    const unready = pod('coredns-y', { ready: false });
    expect(dnsPodsJudge({ ...healthy(), dnsPods: [pending, unready] })).toMatchObject({
      status: 'fail', detail: '0/2 DNS pods Running and Ready; not: coredns-x (Pending), coredns-y (Running, not Ready)', hint: expect.stringContaining('kubectl logs --namespace=kube-system -l k8s-app=kube-dns'),
    });
    expect(dnsPodsJudge({ ...healthy(), dnsPods: [coredns[0], unready] }).status).toBe('warn');
  });
});

describe('step 2: the kube-dns Service (000:4930-4945)', () => {
  it('passes with 53/UDP, 53/TCP, 9153/TCP and endpoints', () => {
    expect(dnsServiceJudge(healthy())).toMatchObject({ status: 'pass', evidence: { clusterIP: '10.0.0.10', ports: ['53/UDP', '53/TCP', '9153/TCP'], endpoints: 1 } });
  });

  it('fails when the Service is missing', () => {
    expect(dnsServiceJudge({ ...healthy(), dnsService: null })).toMatchObject({ status: 'fail', detail: expect.stringContaining('services "kube-dns" not found') });
  });

  it('fails without endpoints: kubectl get ep kube-dns shows none', () => {
    expect(dnsServiceJudge({ ...healthy(), dnsEndpointSlices: kubeDnsSlices(false) })).toMatchObject({ status: 'fail', detail: expect.stringContaining('kubectl get ep kube-dns'), hint: expect.stringContaining('step 1') });
  });

  it('fails without 53/TCP, warns without the metrics port', () => {
    expect(dnsServiceJudge({ ...healthy(), dnsService: kubeDns([port(53, 'dns', 'UDP')]) })).toMatchObject({ status: 'fail', detail: expect.stringContaining('53/TCP') });
    expect(dnsServiceJudge({ ...healthy(), dnsService: kubeDns([port(53, 'dns', 'UDP'), port(53, 'dns-tcp')]) }).status).toBe('warn');
  });
});

describe('step 3: kubernetes.default (000:4883-4915)', () => {
  it('passes on the first IP of the service CIDR', () => {
    expect(kubernetesDefaultJudge(healthy())).toMatchObject({ status: 'pass', detail: 'kubernetes.default → 10.0.0.1' });
  });

  it("fails in the seed's words when it does not resolve (000:4901)", () => {
    const c = kubernetesDefaultJudge({ ...healthy(), kubernetesDefault: { name: 'kubernetes.default', rcode: 'NXDOMAIN', answers: [] } });
    expect(c).toMatchObject({ status: 'fail', detail: "nslookup: can't resolve 'kubernetes.default' (NXDOMAIN)" });
    expect(c.hint).toMatch(/DNS pods run \(step 1\).*Service and its endpoints \(step 2\)/);
  });

  it('fails on a timeout, warns on a wrong address', () => {
    expect(kubernetesDefaultJudge({ ...healthy(), kubernetesDefault: { name: 'kubernetes.default', rcode: 'TIMEOUT', answers: [] } })).toMatchObject({ status: 'fail', detail: expect.stringContaining('no servers could be reached') });
    expect(kubernetesDefaultJudge({ ...healthy(), kubernetesDefault: { name: 'kubernetes.default', rcode: 'NOERROR', answers: ['203.0.113.9'] } }).status).toBe('warn');
  });
});

describe('step 7: the Corefile (000:4946-4986)', () => {
  it('passes the kubeadm default', () => expect(corefileJudge(healthy()).status).toBe('pass'));

  it('fails on errors, with the fix and how to edit it', () => {
    const findings = valueOf(lintCorefile(KUBEADM_COREFILE.replace('pods insecure', 'pods secure')));
    const c = corefileJudge({ ...healthy(), corefile: { findings } });
    expect(c).toMatchObject({ status: 'fail', detail: expect.stringContaining('line 8: wrong value for pods: secure') });
    expect(c.hint).toMatch(/kubectl -n kube-system edit configmap coredns; add `log`/);
  });

  it('warns on warnings, fails without a Corefile', () => {
    const findings = valueOf(lintCorefile(KUBEADM_COREFILE.replace('    loop\n', '')));
    expect(corefileJudge({ ...healthy(), corefile: { findings } }).status).toBe('warn');
    expect(corefileJudge({ ...healthy(), corefile: null }).status).toBe('fail');
  });
});
