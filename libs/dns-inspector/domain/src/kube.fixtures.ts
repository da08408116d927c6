// Builders of the Kubernetes objects the specs feed in, shaped like API responses.
import type { Pod, Service, ServicePort } from 'kubernetes-types/core/v1';
import type { Endpoint, EndpointPort, EndpointSlice } from 'kubernetes-types/discovery/v1';

export const service = (name: string, spec: Service['spec'] = {}, namespace = 'default'): Service => ({
  apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: { type: 'ClusterIP', ...spec },
});

export const port = (p: number, name?: string, protocol: ServicePort['protocol'] = 'TCP'): ServicePort => ({ port: p, protocol, ...(name ? { name } : {}) });

export const endpoint = (ip: string, extra: Partial<Endpoint> = {}): Endpoint => ({ addresses: [ip], conditions: { ready: true }, ...extra });

export const slice = (serviceName: string, endpoints: Endpoint[], ports: EndpointPort[] = [], addressType = 'IPv4'): EndpointSlice => ({
  apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', addressType,
  metadata: { name: `${serviceName}-abcde`, namespace: 'default', labels: { 'kubernetes.io/service-name': serviceName } },
  endpoints, ports,
});

export const pod = (name: string, opts: { ip?: string; phase?: string; ready?: boolean; namespace?: string; labels?: Record<string, string> } = {}): Pod => ({
  apiVersion: 'v1', kind: 'Pod',
  metadata: { name, namespace: opts.namespace ?? 'kube-system', labels: opts.labels ?? { 'k8s-app': 'kube-dns' } },
  status: {
    phase: opts.phase ?? 'Running',
    ...(opts.ip ? { podIP: opts.ip, podIPs: [{ ip: opts.ip }] } : {}),
    conditions: [{ type: 'Ready', status: (opts.ready ?? true) ? 'True' : 'False' }],
  },
});
