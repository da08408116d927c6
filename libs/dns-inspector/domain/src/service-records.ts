import type { DnsRecord, DnsRecordType, FieldError } from '@bosun/contracts';
import { DNS1123_LABEL } from '@bosun/contracts';
import type { Pod, Service, ServicePort } from 'kubernetes-types/core/v1';
import type { Endpoint, EndpointPort, EndpointSlice } from 'kubernetes-types/discovery/v1';
import { dashed, isIPv4, isIPv6, reverseName } from './ip';
import { DEFAULT_CLUSTER_DOMAIN } from './resolv-conf.builder';
import { subdomainErrors } from './resolv-conf.validation';
import { fail, fieldError, ok, type Result } from '@bosun/contracts';

export interface RecordOptions {
  clusterDomain?: string;
}

/** `<svc>.<ns>.svc.<zone>` (004:2098-2105). */
export const serviceFqdn = (name: string, namespace: string, zone = DEFAULT_CLUSTER_DOMAIN): string => `${name}.${namespace}.svc.${zone}`;

const addressType = (ip: string): DnsRecordType | undefined => (isIPv4(ip) ? 'A' : isIPv6(ip) ? 'AAAA' : undefined);

/** Adds values under (name, type), keeping the first-seen order and no duplicates. */
class RecordSet {
  private readonly records = new Map<string, DnsRecord>();

  add(name: string, type: DnsRecordType, ...values: string[]): void {
    const key = `${name.toLowerCase()} ${type}`;
    const record = this.records.get(key) ?? { name, type, values: [] };
    for (const v of values) if (!record.values.includes(v)) record.values.push(v);
    this.records.set(key, record);
  }

  list(): DnsRecord[] {
    return [...this.records.values()];
  }
}

const srvName = (port: { name?: string; protocol?: string }, fqdn: string): string =>
  `_${port.name?.toLowerCase()}._${(port.protocol ?? 'TCP').toLowerCase()}.${fqdn}`;

const clusterIPRecords = (service: Service, fqdn: string, set: RecordSet): void => {
  const ips = service.spec?.clusterIPs ?? (service.spec?.clusterIP ? [service.spec.clusterIP] : []);
  for (const ip of ips) {
    const type = addressType(ip);
    if (type) set.add(fqdn, type, ip);
    const ptr = reverseName(ip);
    if (ptr) set.add(ptr, 'PTR', fqdn);
  }
  // Unnamed ports have no SRV record (Kubernetes DNS spec 2.3.2).
  for (const port of (service.spec?.ports ?? []).filter((p: ServicePort) => p.name)) {
    set.add(srvName(port, fqdn), 'SRV', `${port.port} ${fqdn}`);
  }
};

/** `conditions.ready` unset means ready (discovery/v1); publishNotReadyAddresses publishes all. */
const isPublished = (endpoint: Endpoint, service: Service): boolean =>
  service.spec?.publishNotReadyAddresses === true || endpoint.conditions?.ready !== false;

const slicesOf = (service: Service, slices: readonly EndpointSlice[]): EndpointSlice[] =>
  slices.filter((s) => {
    const owner = s.metadata?.labels?.['kubernetes.io/service-name'];
    return (owner === undefined || owner === service.metadata?.name) && s.addressType !== 'FQDN';
  });

const endpointRecords = (endpoint: Endpoint, ports: readonly EndpointPort[], fqdn: string, set: RecordSet): void => {
  for (const ip of endpoint.addresses) {
    const type = addressType(ip);
    if (!type) continue;
    // The spec's "system-assigned identifier" is, in CoreDNS, the dashed address (004:2101).
    const host = `${endpoint.hostname ?? dashed(ip)}.${fqdn}`;
    set.add(fqdn, type, ip);
    if (endpoint.hostname) set.add(host, type, ip);
    const ptr = reverseName(ip);
    if (ptr) set.add(ptr, 'PTR', host);
    for (const port of ports.filter((p) => p.name)) set.add(srvName(port, fqdn), 'SRV', `${port.port} ${host}`);
  }
};

const headlessRecords = (service: Service, slices: readonly EndpointSlice[], fqdn: string, set: RecordSet): void => {
  let published = 0;
  for (const slice of slicesOf(service, slices)) {
    const ports = slice.ports ?? [];
    for (const endpoint of slice.endpoints.filter((e) => isPublished(e, service))) {
      published += 1;
      endpointRecords(endpoint, ports, fqdn, set);
    }
  }
  // No ready endpoint: the name does not exist (Kubernetes DNS spec 2.4.1).
  if (published === 0) set.add(fqdn, 'A');
};

const serviceErrors = (service: Service, zone: string): FieldError[] => {
  const errors = subdomainErrors(zone, 'clusterDomain');
  const { name, namespace } = service.metadata ?? {};
  if (!name || !DNS1123_LABEL.test(name)) errors.push(fieldError('service.metadata.name', `must be a DNS-1123 label: "${name ?? ''}"`));
  if (!namespace || !DNS1123_LABEL.test(namespace)) errors.push(fieldError('service.metadata.namespace', `must be a DNS-1123 label: "${namespace ?? ''}"`));
  if (service.spec?.type === 'ExternalName' && !service.spec.externalName) errors.push(fieldError('service.spec.externalName', 'Required value'));
  return errors;
};

/**
 * The records the cluster DNS must serve for a Service (Kubernetes DNS spec 2.3-2.5;
 * 004:2098-2169, 004:3427): ClusterIP → A/AAAA and PTR; named ports → SRV
 * `_<port>._<proto>.<svc>.<ns>.svc.<zone>` with `<port> <target>`; headless → one A per
 * ready endpoint (an empty A, NXDOMAIN, without any), `<hostname>.<svc>…` for StatefulSet
 * pods, SRV per endpoint and port; ExternalName → a CNAME, nothing else.
 */
export const expectedRecords = (service: Service, slices: readonly EndpointSlice[] = [], options: RecordOptions = {}): Result<DnsRecord[]> => {
  const zone = options.clusterDomain ?? DEFAULT_CLUSTER_DOMAIN;
  const errors = serviceErrors(service, zone);
  if (errors.length > 0) return fail(errors);
  const fqdn = serviceFqdn(service.metadata?.name ?? '', service.metadata?.namespace ?? '', zone);
  const set = new RecordSet();
  if (service.spec?.type === 'ExternalName') {
    set.add(fqdn, 'CNAME', service.spec.externalName ?? '');
  } else if (service.spec?.clusterIP === 'None') {
    headlessRecords(service, slices, fqdn, set);
  } else {
    clusterIPRecords(service, fqdn, set);
  }
  return ok(set.list());
};

/** `a-b-c-d.<ns>.pod.<zone>` → the pod's address (000:20653-20675; Kubernetes DNS spec 2.6). */
export const podRecords = (pod: Pod, options: RecordOptions = {}): DnsRecord[] => {
  const zone = options.clusterDomain ?? DEFAULT_CLUSTER_DOMAIN;
  const listed = pod.status?.podIPs?.map((p) => p.ip) ?? [pod.status?.podIP];
  const ips = listed.filter((ip): ip is string => Boolean(ip));
  const set = new RecordSet();
  for (const ip of ips) {
    const type = addressType(ip);
    if (type && pod.metadata?.namespace) set.add(`${dashed(ip)}.${pod.metadata.namespace}.pod.${zone}`, type, ip);
  }
  return set.list();
};
