import type { DnsCheck } from '@bosun/contracts';
import { sameName } from './dns-name';
import { check, endpointCounts, isPodReady, resolved, selectorText, type ChecklistEvidence, type Judge, type LookupAnswer, type TargetEvidence } from './checklist.evidence';
import { ndotsOf } from './resolv-conf.parser';
import { DEFAULT_CLUSTER_DOMAIN } from './resolv-conf.builder';
import { OLD_GLIBC_MAX_SEARCH_PATHS } from './resolv-conf.limits';

const notFound = (t: TargetEvidence): string => `Error from server (NotFound): services "${t.name}" not found (in ${t.namespace})`;

const namesOf = (t: TargetEvidence, zone: string): string[] => [t.name, `${t.name}.${t.namespace}`, `${t.name}.${t.namespace}.svc.${zone}`];

const answerFor = (lookups: readonly LookupAnswer[], name: string, i: number): LookupAnswer | undefined =>
  lookups.find((l) => sameName(l.name, name)) ?? lookups[i];

interface Verdict {
  status: DnsCheck['status'];
  note?: string;
  hint?: string;
}

const namesVerdict = (t: TargetEvidence, e: ChecklistEvidence, ok: boolean[]): Verdict => {
  const [short, withNs, fqdn] = ok;
  if (!fqdn) {
    return { status: 'fail', hint: 'not even the full name resolves: check kubernetes.default (step 3); a headless Service without ready endpoints has no A record (step 6)' };
  }
  if (!short && e.namespace !== t.namespace) {
    const note = `names without a namespace only resolve in the pod's own namespace (${e.namespace}); from there use ${t.name}.${t.namespace} (000:4987-4992)`;
    return withNs ? { status: 'pass', note } : { status: 'warn', hint: note };
  }
  return { status: 'fail', hint: 'the full name resolves but shorter ones do not: the pod\'s resolv.conf search line is wrong (step 5) (000:17491-17513)' };
};

/** Step 4: the target resolves as `<svc>`, `<svc>.<ns>`, `<svc>.<ns>.svc.<zone>` (000:17468-17488). */
export const serviceNamesJudge: Judge = (e) => {
  const title = 'The Service resolves by name';
  const t = e.target;
  if (!t) return check('service-names', title, 'skip', 'no Service was named', {});
  if (t.service === null) {
    return check('service-names', title, 'fail', notFound(t), {}, `the Service does not exist: create it, e.g. kubectl expose deployment ${t.name} --port=80 --target-port=9376 (000:17441-17449)`);
  }
  if (!t.lookups) return check('service-names', title, 'skip', 'the Service names were not looked up', {});
  const names = namesOf(t, e.clusterDomain ?? DEFAULT_CLUSTER_DOMAIN);
  const answers = names.map((n, i) => answerFor(t.lookups ?? [], n, i));
  const ok = answers.map(resolved);
  const evidence = { from: e.namespace, names: names.map((n, i) => ({ name: n, rcode: answers[i]?.rcode, answers: answers[i]?.answers ?? [] })) };
  const detail = names.map((n, i) => `${n}: ${ok[i] ? answers[i]?.answers.join(', ') : answers[i]?.rcode ?? 'not asked'}`).join('; ');
  if (ok.every(Boolean)) return check('service-names', title, 'pass', detail, evidence);
  const { status, note, hint } = namesVerdict(t, e, ok);
  return check('service-names', title, status, note ? `${detail} — ${note}` : detail, evidence, hint);
};

const zoneSearch = (namespace: string, zone: string): string[] => [`${namespace}.svc.${zone}`, `svc.${zone}`, zone];

/** Step 5: `search <ns>.svc.<zone> svc.<zone> <zone>`, the cluster DNS IP, `ndots:5` (000:4886-4895, 000:17491-17517). */
export const resolvConfJudge: Judge = (e) => {
  const title = 'Pod resolv.conf';
  const conf = e.resolvConf;
  if (!conf) return check('resolv-conf', title, 'skip', 'the pod resolv.conf was not read', {});
  const zone = e.clusterDomain ?? DEFAULT_CLUSTER_DOMAIN;
  const clusterDNS = e.dnsService?.spec?.clusterIP;
  const ndots = ndotsOf(conf.options);
  const evidence = { ...conf, ndots, clusterDNS };
  const detail = `search ${conf.searches.join(' ')}; nameserver ${conf.nameservers.join(' ')}; options ${conf.options.join(' ')}`;
  const missing = zoneSearch(e.namespace, zone).filter((s) => !conf.searches.includes(s));
  if (missing.length > 0) {
    return check('resolv-conf', title, 'fail', `${detail} — missing ${missing.join(' ')}`, evidence, `short Service names cannot resolve: the pod's dnsPolicy is not ClusterFirst, or the kubelet's --cluster-domain is not ${zone} (000:17503-17513)`);
  }
  if (clusterDNS && !conf.nameservers.includes(clusterDNS)) {
    return check('resolv-conf', title, 'fail', `${detail} — the nameserver is not the cluster DNS ${clusterDNS}`, evidence, 'the nameserver line must be the kube-dns Service IP, passed to the kubelet with --cluster-dns (000:17499-17502)');
  }
  if (ndots < 2) {
    return check('resolv-conf', title, 'warn', `${detail} — ndots:${ndots}`, evidence, `with ndots below 2 a name such as <svc>.<ns> is first sent as an absolute name outside the cluster; Kubernetes sets ndots:5 (000:17516-17517)`);
  }
  if (conf.searches.length > OLD_GLIBC_MAX_SEARCH_PATHS) {
    return check('resolv-conf', title, 'warn', `${detail} — ${conf.searches.length} search domains`, evidence, 'glibc before 2.17-222 uses only the first 6 search domains (000:5007-5030)');
  }
  return check('resolv-conf', title, 'pass', detail, evidence);
};

const noEndpointsHint = (t: TargetEvidence, selector: string): string => {
  const pods = t.selectedPods;
  if (pods && pods.length > 0 && !pods.some(isPodReady)) {
    return `${pods.length} pods match ${selector} but none is Ready: look at their readiness probes (kubectl describe pod)`;
  }
  const none = pods?.length === 0 ? `no pod has the labels ${selector}. ` : '';
  return `${none}ENDPOINTS <none> means the Service's spec.selector does not match the pods' metadata.labels, or the pods are not ready: compare kubectl get pods -l ${selector} with the labels you expect (a common slip: app=${t.name} against run=${t.name}) (000:17589-17601)`;
};

/** Step 6: the target has endpoints; `<none>` means its selector matches no (ready) pod (000:17589-17601). */
export const serviceEndpointsJudge: Judge = (e) => {
  const title = 'The Service has endpoints';
  const t = e.target;
  if (!t) return check('service-endpoints', title, 'skip', 'no Service was named', {});
  if (t.service === null) return check('service-endpoints', title, 'skip', `${notFound(t)} (step 4)`, {});
  if (t.service.spec?.type === 'ExternalName') return check('service-endpoints', title, 'skip', 'an ExternalName Service has no endpoints: it is a CNAME', {});
  if (!t.endpointSlices) return check('service-endpoints', title, 'skip', 'the EndpointSlices were not read', {});
  const selector = selectorText(t.service);
  const counts = endpointCounts(t.endpointSlices);
  const evidence = { selector, ...counts, selectedPods: t.selectedPods?.length };
  if (counts.ready > 0) return check('service-endpoints', title, 'pass', `${counts.ready} ready endpoints${counts.notReady > 0 ? `, ${counts.notReady} not ready` : ''}`, evidence);
  if (!selector) {
    return check('service-endpoints', title, 'warn', 'the Service has no selector and no ready endpoints', evidence, 'without a selector nothing creates endpoints: create the EndpointSlice (or Endpoints) for it yourself, or give the Service a selector');
  }
  const detail = counts.notReady > 0 ? `ENDPOINTS <none> ready (${counts.notReady} not ready)` : 'ENDPOINTS <none>';
  return check('service-endpoints', title, 'fail', detail, evidence, noEndpointsHint(t, selector));
};
