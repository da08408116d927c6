import type { ConfigMap, Pod, Service } from 'kubernetes-types/core/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import type { Identity, KubeObject, KubePort } from '@bosun/kube';

type K<T> = KubeObject & T;

const SERVICE = { apiVersion: 'v1', kind: 'Service' };
export const DNS_NAMESPACE = 'kube-system';
export const DNS_SERVICE = 'kube-dns';
export const DNS_POD_SELECTOR = 'k8s-app=kube-dns';

/** `{a: 'x', b: 'y'}` → `a=x,b=y`. */
export const selectorOf = (labels: Record<string, string>): string => Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(',');

/**
 * What the dns-inspector reads from one cluster, as the asking subject (so RBAC decides).
 * Plain reads, not informers: each question is one-shot and must carry the asker's identity.
 */
export class DnsClusterReader {
  constructor(private readonly port: KubePort, private readonly as?: Identity, private readonly signal?: AbortSignal) {}

  private get opts(): { as?: Identity; signal?: AbortSignal } {
    return { as: this.as, signal: this.signal };
  }

  /** null when the Service does not exist. */
  async service(namespace: string, name: string): Promise<Service | null> {
    return (await this.port.get<K<Service>>({ ...SERVICE, namespace, name }, this.opts)) ?? null;
  }

  endpointSlices(namespace: string, service: string): Promise<EndpointSlice[]> {
    return this.port.list<K<EndpointSlice>>({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', namespace, labelSelector: `kubernetes.io/service-name=${service}` }, this.opts);
  }

  pods(namespace: string, labelSelector: string): Promise<Pod[]> {
    return this.port.list<K<Pod>>({ apiVersion: 'v1', kind: 'Pod', namespace, labelSelector }, this.opts);
  }

  dnsPods(): Promise<Pod[]> {
    return this.pods(DNS_NAMESPACE, DNS_POD_SELECTOR);
  }

  dnsService(): Promise<Service | null> {
    return this.service(DNS_NAMESPACE, DNS_SERVICE);
  }

  /** The Corefile of ConfigMap kube-system/coredns; null when the ConfigMap or its key is missing. */
  async corefile(): Promise<string | null> {
    const cm = await this.port.get<K<ConfigMap>>({ apiVersion: 'v1', kind: 'ConfigMap', namespace: DNS_NAMESPACE, name: 'coredns' }, this.opts);
    return cm?.data?.Corefile ?? null;
  }

  /** default/kubernetes' ClusterIP: the first address of the service CIDR. */
  async kubernetesServiceIP(): Promise<string | undefined> {
    return (await this.service('default', 'kubernetes'))?.spec?.clusterIP;
  }
}
