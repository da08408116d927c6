import type { CorefileFinding, DnsCheck, DnsCheckStatus, ResolvConfLines } from '@bosun/contracts';
import type { Pod, Service } from 'kubernetes-types/core/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';

/** One answered (or not) DNS question, as the service gathered it. */
export interface LookupAnswer {
  name: string;
  rcode: string;
  answers: string[];
  ms?: number;
}

/** What the service knows about the Service the user asked about. */
export interface TargetEvidence {
  name: string;
  namespace: string;
  /** null when the API says NotFound. */
  service: Service | null;
  endpointSlices?: EndpointSlice[];
  /** Pods matching the Service's selector, to tell "no pod matches" from "no pod is ready". */
  selectedPods?: Pod[];
  /** Answers for `<svc>`, `<svc>.<ns>` and `<svc>.<ns>.svc.<zone>`, asked from a pod in the checklist's namespace. */
  lookups?: LookupAnswer[];
}

/**
 * The evidence the service gathers for the checklist (000:4851-5030, 000:17373-17768).
 * A field left undefined was not gathered and its step is skipped; `null` means the
 * object was looked for and does not exist.
 */
export interface ChecklistEvidence {
  /** The namespace whose pods' view of DNS is checked. */
  namespace: string;
  clusterDomain?: string;
  /** kube-system pods labelled k8s-app=kube-dns (CoreDNS and kube-dns alike). */
  dnsPods?: Pod[];
  dnsService?: Service | null;
  dnsEndpointSlices?: EndpointSlice[];
  kubernetesDefault?: LookupAnswer;
  /** default/kubernetes' ClusterIP: the first address of the service CIDR. */
  kubernetesServiceIP?: string;
  resolvConf?: ResolvConfLines;
  target?: TargetEvidence;
  /** Lint findings of the `coredns` ConfigMap's Corefile; null when there is no Corefile. */
  corefile?: { findings: CorefileFinding[] } | null;
}

export type Judge = (evidence: ChecklistEvidence) => DnsCheck;

export const check = (
  id: string, title: string, status: DnsCheckStatus, detail: string, evidence: Record<string, unknown>, hint?: string,
): DnsCheck => ({ id, title, status, detail, ...(hint ? { hint } : {}), evidence });

export const isPodReady = (pod: Pod): boolean =>
  pod.status?.phase === 'Running' && (pod.status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');

export const resolved = (answer: LookupAnswer | undefined): boolean => answer?.rcode === 'NOERROR' && answer.answers.length > 0;

export const selectorText = (service: Service): string =>
  Object.entries(service.spec?.selector ?? {}).map(([k, v]) => `${k}=${v}`).join(',');

/** Ready and not-ready endpoint addresses over a Service's EndpointSlices. */
export const endpointCounts = (slices: readonly EndpointSlice[]): { ready: number; notReady: number } => {
  let ready = 0;
  let notReady = 0;
  for (const endpoint of slices.flatMap((s) => s.endpoints ?? [])) {
    if (endpoint.conditions?.ready === false) notReady += endpoint.addresses.length;
    else ready += endpoint.addresses.length;
  }
  return { ready, notReady };
};
