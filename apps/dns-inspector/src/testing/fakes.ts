// Test-only fakes for unit specs: a DNS client answering from a table, and a KubePort
// holding a few objects (get and list by namespace and equality label selector).
import type { DnsRecordType } from '@bosun/contracts';
import { KubeError } from '@bosun/kube';
import type { KubeObject, KubePort, ListQuery, ObjectRef } from '@bosun/kube';
import type { DnsAnswer, DnsClient, DnsServer } from '../dns/dns.client';

export class FakeDnsClient implements DnsClient {
  readonly asked: Array<{ server: string; name: string; type: DnsRecordType }> = [];
  /** `name type` (fully qualified, lower case) → answers; anything else is NXDOMAIN, or `fallback`. */
  constructor(private readonly table: Record<string, string[] | { rcode: string }> = {}, private readonly fallback = 'NXDOMAIN') {}

  async query(server: DnsServer, name: string, type: DnsRecordType): Promise<DnsAnswer> {
    this.asked.push({ server: `${server.host}:${server.port}`, name, type });
    const entry = this.table[`${name.toLowerCase()} ${type}`];
    if (Array.isArray(entry)) return { rcode: 'NOERROR', answers: entry, ms: 1 };
    return { rcode: entry?.rcode ?? this.fallback, answers: [], ms: 1 };
  }
}

const matches = (labels: Record<string, string> | undefined, selector: string | undefined): boolean =>
  !selector || selector.split(',').every((term) => {
    const [k, v] = term.split('=');
    return labels?.[k] === v;
  });

type Failing = (ref: { kind: string; namespace?: string; name?: string }) => Error | undefined;

export class FakeKube {
  readonly calls: Array<{ verb: string; kind: string; as?: string }> = [];
  constructor(readonly objects: KubeObject[] = [], private readonly failing: Failing = () => undefined) {}

  readonly port = {
    get: async <T extends KubeObject>(ref: ObjectRef, opts?: { as?: { user: string } }): Promise<T | undefined> => {
      this.calls.push({ verb: 'get', kind: ref.kind, as: opts?.as?.user });
      const err = this.failing(ref);
      if (err) throw err;
      return this.objects.find((o) => o.kind === ref.kind && o.metadata.name === ref.name && (o.metadata.namespace ?? undefined) === ref.namespace) as T | undefined;
    },
    list: async <T extends KubeObject>(q: ListQuery, opts?: { as?: { user: string } }): Promise<T[]> => {
      this.calls.push({ verb: 'list', kind: q.kind, as: opts?.as?.user });
      const err = this.failing(q);
      if (err) throw err;
      return this.objects.filter((o) => o.kind === q.kind && (!q.namespace || o.metadata.namespace === q.namespace) && matches(o.metadata.labels as Record<string, string>, q.labelSelector)) as T[];
    },
  } as unknown as KubePort;
}

export const forbidden = (what: string): KubeError => new KubeError(403, 'Forbidden', `${what} is forbidden: User "alice" cannot get resource`);
export const unreachable = (): KubeError => new KubeError(0, 'Unreachable', 'connect ECONNREFUSED 127.0.0.1:16443');

// Objects of a small healthy cluster, as the apiserver returns them.
export const obj = (kind: string, namespace: string, name: string, rest: Record<string, unknown> = {}, labels?: Record<string, string>): KubeObject => ({
  apiVersion: kind === 'EndpointSlice' ? 'discovery.k8s.io/v1' : 'v1', kind, metadata: { name, namespace, ...(labels ? { labels } : {}) }, ...rest,
});
export const readyPod = (namespace: string, name: string, labels: Record<string, string>, ip: string): KubeObject =>
  obj('Pod', namespace, name, { status: { phase: 'Running', podIP: ip, conditions: [{ type: 'Ready', status: 'True' }] } }, labels);
export const slice = (namespace: string, service: string, ips: string[], ports: Array<{ name?: string; port: number; protocol?: string }> = []): KubeObject =>
  obj('EndpointSlice', namespace, `${service}-x1`, { addressType: 'IPv4', endpoints: ips.map((ip) => ({ addresses: [ip], conditions: { ready: true } })), ports }, { 'kubernetes.io/service-name': service });

export const KUBEADM_COREFILE = `.:53 {
    errors
    health {
       lameduck 5s
    }
    ready
    kubernetes cluster.local in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
       ttl 30
    }
    prometheus :9153
    forward . /etc/resolv.conf {
       max_concurrent 1000
    }
    cache 30 {
       disable success cluster.local
       disable denial cluster.local
    }
    loop
    reload
    loadbalance
}
`;

export const healthyCluster = (): KubeObject[] => [
  readyPod('kube-system', 'coredns-a', { 'k8s-app': 'kube-dns' }, '10.244.0.2'),
  readyPod('kube-system', 'coredns-b', { 'k8s-app': 'kube-dns' }, '10.244.1.2'),
  obj('Service', 'kube-system', 'kube-dns', { spec: { clusterIP: '10.96.0.10', selector: { 'k8s-app': 'kube-dns' }, ports: [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }, { name: 'metrics', port: 9153, protocol: 'TCP' }] } }),
  slice('kube-system', 'kube-dns', ['10.244.0.2', '10.244.1.2']),
  obj('Service', 'default', 'kubernetes', { spec: { clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443 }] } }),
  obj('ConfigMap', 'kube-system', 'coredns', { data: { Corefile: KUBEADM_COREFILE } }),
  readyPod('shop', 'web-1', { app: 'web' }, '10.244.2.7'),
  obj('Service', 'shop', 'web', { spec: { clusterIP: '10.96.5.5', selector: { app: 'web' }, ports: [{ name: 'http', port: 80, protocol: 'TCP' }] } }),
  slice('shop', 'web', ['10.244.2.7'], [{ name: 'http', port: 80, protocol: 'TCP' }]),
];

/** What a healthy CoreDNS answers for the healthy cluster above. */
export const healthyAnswers = (): Record<string, string[]> => ({
  'kubernetes.default.svc.cluster.local. A': ['10.96.0.1'],
  'web.shop.svc.cluster.local. A': ['10.96.5.5'],
  '_http._tcp.web.shop.svc.cluster.local. SRV': ['0 100 80 web.shop.svc.cluster.local'],
  '5.5.96.10.in-addr.arpa. PTR': ['web.shop.svc.cluster.local'],
});
