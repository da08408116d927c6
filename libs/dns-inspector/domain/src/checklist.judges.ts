import type { DnsCheck } from '@bosun/contracts';
import type { Service } from 'kubernetes-types/core/v1';
import { check, endpointCounts, isPodReady, resolved, type ChecklistEvidence, type Judge } from './checklist.evidence';
import { resolvConfJudge, serviceEndpointsJudge, serviceNamesJudge } from './checklist.service.judges';

const LOGS = 'kubectl logs --namespace=kube-system -l k8s-app=kube-dns';

/** Step 1: kube-system pods with k8s-app=kube-dns are Running and Ready (000:4906-4921). */
export const dnsPodsJudge: Judge = ({ dnsPods }) => {
  const step = (status: DnsCheck['status'], detail: string, hint?: string): DnsCheck =>
    check('dns-pods', 'DNS pods are Running and Ready', status, detail, { pods: (dnsPods ?? []).map((p) => ({ name: p.metadata?.name, phase: p.status?.phase, ready: isPodReady(p) })) }, hint);
  if (dnsPods === undefined) return step('skip', 'the DNS pods were not listed');
  if (dnsPods.length === 0) {
    return step('fail', 'kubectl get pods --namespace=kube-system -l k8s-app=kube-dns finds no pods',
      'no CoreDNS pod is running: the DNS add-on is not deployed or was scaled to 0. Scale it back up (kubectl -n kube-system scale deployment coredns --replicas=2) or deploy it again (000:4917-4919)');
  }
  const ready = dnsPods.filter(isPodReady);
  const notReady = dnsPods.filter((p) => !isPodReady(p)).map((p) => `${p.metadata?.name} (${p.status?.phase ?? 'Unknown'}${p.status?.phase === 'Running' ? ', not Ready' : ''})`);
  const detail = `${ready.length}/${dnsPods.length} DNS pods Running and Ready${notReady.length > 0 ? `; not: ${notReady.join(', ')}` : ''}`;
  if (ready.length === dnsPods.length) return step('pass', detail);
  const hint = `look for suspicious messages in ${LOGS}; a pod that is failed or completed means the DNS add-on did not deploy properly and must be deployed again (000:4917-4919)`;
  return step(ready.length === 0 ? 'fail' : 'warn', detail, hint);
};

const REQUIRED_PORTS = ['53/UDP', '53/TCP'];
const portsOf = (service: Service): string[] => (service.spec?.ports ?? []).map((p) => `${p.port}/${p.protocol ?? 'TCP'}`);

/** Step 2: the kube-dns Service (53/UDP, 53/TCP, 9153/TCP) exists and has endpoints (000:4930-4945). */
export const dnsServiceJudge: Judge = ({ dnsService, dnsEndpointSlices }) => {
  const title = 'kube-dns Service and its endpoints';
  if (dnsService === undefined) return check('dns-service', title, 'skip', 'the kube-dns Service was not read', {});
  if (dnsService === null) {
    return check('dns-service', title, 'fail', 'Error from server (NotFound): services "kube-dns" not found (in kube-system)', {},
      'CoreDNS and kube-dns both serve behind a Service named kube-dns; without it pods have no DNS server. Re-create it from the add-on manifest (selector k8s-app=kube-dns, ports 53/UDP, 53/TCP, 9153/TCP) (000:4617-4621, 000:4936)');
  }
  const ports = portsOf(dnsService);
  const counts = dnsEndpointSlices ? endpointCounts(dnsEndpointSlices) : undefined;
  const evidence = { clusterIP: dnsService.spec?.clusterIP, ports, endpoints: counts?.ready };
  const missing = REQUIRED_PORTS.filter((p) => !ports.includes(p));
  if (missing.length > 0) {
    return check('dns-service', title, 'fail', `kube-dns does not expose ${missing.join(', ')} (it has ${ports.join(', ') || 'no ports'})`, evidence, 'pods query port 53 over UDP and fall back to TCP for large answers: add both ports to the Service');
  }
  if (counts && counts.ready === 0) {
    return check('dns-service', title, 'fail', 'kubectl get ep kube-dns --namespace=kube-system shows no endpoints', evidence,
      'no DNS pod is Ready behind the Service: see step 1, and check that the selector k8s-app=kube-dns matches the CoreDNS pods (000:4941-4945)');
  }
  const detail = `kube-dns ${dnsService.spec?.clusterIP ?? ''} ${ports.join(',')}${counts ? `, ${counts.ready} ready endpoints` : ''}`;
  if (!ports.includes('9153/TCP')) return check('dns-service', title, 'warn', `${detail}; no 9153/TCP`, evidence, 'CoreDNS serves its Prometheus metrics on 9153/TCP: add the port to scrape them');
  return check('dns-service', title, 'pass', detail, evidence);
};

/** Step 3: `kubernetes.default` resolves to the kubernetes Service IP (000:4883-4915). */
export const kubernetesDefaultJudge: Judge = ({ kubernetesDefault: answer, kubernetesServiceIP }) => {
  const title = 'kubernetes.default resolves';
  if (!answer) return check('kubernetes-default', title, 'skip', 'kubernetes.default was not looked up', {});
  const evidence = { rcode: answer.rcode, answers: answer.answers, expected: kubernetesServiceIP };
  if (resolved(answer)) {
    if (kubernetesServiceIP && !answer.answers.includes(kubernetesServiceIP)) {
      return check('kubernetes-default', title, 'warn', `kubernetes.default → ${answer.answers.join(', ')}, but the kubernetes Service is ${kubernetesServiceIP}`, evidence, 'a search domain outside the cluster may answer first: check the pod\'s resolv.conf (step 5) and stub domains in the Corefile');
    }
    return check('kubernetes-default', title, 'pass', `kubernetes.default → ${answer.answers.join(', ')}`, evidence);
  }
  if (answer.rcode === 'TIMEOUT') {
    return check('kubernetes-default', title, 'fail', ';; connection timed out; no servers could be reached', evidence, `the cluster DNS IP does not answer: check the DNS pods (step 1), the kube-dns endpoints (step 2) and kube-proxy on the node; ${LOGS}`);
  }
  return check('kubernetes-default', title, 'fail', `nslookup: can't resolve 'kubernetes.default' (${answer.rcode})`, evidence,
    `the CoreDNS (or kube-dns) add-on or its Service has a problem (000:4897-4908): check that the DNS pods run (step 1), the Service and its endpoints (step 2), and ${LOGS}`);
};

/** Step 7: the Corefile of ConfigMap kube-system/coredns lints clean (000:4946-4986, 000:4605-4787). */
export const corefileJudge: Judge = ({ corefile }) => {
  const title = 'Corefile (ConfigMap coredns)';
  if (corefile === undefined) return check('corefile', title, 'skip', 'the coredns ConfigMap was not read', {});
  if (corefile === null) {
    return check('corefile', title, 'fail', 'ConfigMap coredns in kube-system has no Corefile', {}, 'kubectl -n kube-system edit configmap coredns and restore the kubeadm default Corefile (000:4641-4666)');
  }
  const { findings } = corefile;
  const errors = findings.filter((f) => f.severity === 'error');
  const warnings = findings.filter((f) => f.severity === 'warning');
  const evidence = { findings };
  const lines = (fs: typeof findings): string => fs.slice(0, 3).map((f) => `${f.line === undefined ? '' : `line ${f.line}: `}${f.message}`).join('; ');
  const editHint = (fs: typeof findings): string =>
    `${fs[0].fix ? `${fs[0].fix}. ` : ''}Edit with kubectl -n kube-system edit configmap coredns; add \`log\` to the block to see each query CoreDNS receives (000:4946-4986)`;
  if (errors.length > 0) return check('corefile', title, 'fail', `${errors.length} error(s): ${lines(errors)}`, evidence, editHint(errors));
  if (warnings.length > 0) return check('corefile', title, 'warn', `${warnings.length} warning(s): ${lines(warnings)}`, evidence, editHint(warnings));
  return check('corefile', title, 'pass', `no errors or warnings${findings.length > 0 ? ` (${findings.length} info: ${lines(findings)})` : ''}`, evidence);
};

/** The seven steps, in the order of the seed's checklist. */
export const CHECKLIST: readonly Judge[] = [
  dnsPodsJudge, dnsServiceJudge, kubernetesDefaultJudge, serviceNamesJudge, resolvConfJudge, serviceEndpointsJudge, corefileJudge,
];

/** Judges the evidence: one check per step, in order, each pass, warn, fail or skip. */
export const runChecklist = (evidence: ChecklistEvidence): DnsCheck[] => CHECKLIST.map((judge) => judge(evidence));
