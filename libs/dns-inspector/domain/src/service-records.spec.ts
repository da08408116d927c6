import { endpoint, pod, port, service, slice } from './kube.fixtures';
import { compareRecords } from './records.compare';
import { errorsOf, valueOf } from '@bosun/testing';
import { expectedRecords, podRecords } from './service-records';

describe('expectedRecords: a ClusterIP Service', () => {
  // 000:17451-17466: hostnames, 10.0.1.175, port "default" 80/TCP
  const hostnames = service('hostnames', { clusterIP: '10.0.1.175', ports: [port(80, 'default')], selector: { app: 'hostnames' } });

  it('has an A record for the ClusterIP, an SRV for the named port and a PTR (000:17468-17482)', () => {
    expect(valueOf(expectedRecords(hostnames))).toEqual([
      { name: 'hostnames.default.svc.cluster.local', type: 'A', values: ['10.0.1.175'] },
      { name: '175.1.0.10.in-addr.arpa', type: 'PTR', values: ['hostnames.default.svc.cluster.local'] },
      { name: '_default._tcp.hostnames.default.svc.cluster.local', type: 'SRV', values: ['80 hostnames.default.svc.cluster.local'] },
    ]);
  });

  it('unnamed ports have no SRV record (Kubernetes DNS spec 2.3.2)', () => {
    const records = valueOf(expectedRecords(service('web', { clusterIP: '20.1.151.162', ports: [port(3000)] })));
    expect(records.map((r) => r.type)).toEqual(['A', 'PTR']);
  });

  it('names the protocol: _dns._udp and _dns-tcp._tcp for kube-dns', () => {
    const kubeDns = service('kube-dns', { clusterIP: '10.96.0.10', ports: [port(53, 'dns', 'UDP'), port(53, 'dns-tcp'), port(9153, 'metrics')] }, 'kube-system');
    const srv = valueOf(expectedRecords(kubeDns)).filter((r) => r.type === 'SRV').map((r) => r.name);
    expect(srv).toEqual([
      '_dns._udp.kube-dns.kube-system.svc.cluster.local',
      '_dns-tcp._tcp.kube-dns.kube-system.svc.cluster.local',
      '_metrics._tcp.kube-dns.kube-system.svc.cluster.local',
    ]);
  });

  it('a dual-stack Service has A and AAAA, and an ip6.arpa PTR', () => {
    const records = valueOf(expectedRecords(service('dual', { clusterIP: '10.0.0.5', clusterIPs: ['10.0.0.5', 'fd00::5'] }), [], { clusterDomain: 'corp.internal' }));
    expect(records).toContainEqual({ name: 'dual.default.svc.corp.internal', type: 'AAAA', values: ['fd00::5'] });
    expect(records).toContainEqual({ name: `5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.f.ip6.arpa`, type: 'PTR', values: ['dual.default.svc.corp.internal'] });
  });
});

describe('expectedRecords: a headless Service (004:2098-2105)', () => {
  const headless = service('service-hellok8s-clusterip-headless', { clusterIP: 'None', ports: [port(3000, 'http')] });
  const slices = [slice('service-hellok8s-clusterip-headless', [endpoint('20.2.36.77'), endpoint('20.2.36.78'), endpoint('20.2.36.79', { conditions: { ready: false } })], [{ name: 'http', port: 3000, protocol: 'TCP' }])];

  it('has one A per ready endpoint, SRV targets named by the dashed address (004:2101-2102)', () => {
    const records = valueOf(expectedRecords(headless, slices));
    const fqdn = 'service-hellok8s-clusterip-headless.default.svc.cluster.local';
    expect(records.find((r) => r.type === 'A')).toEqual({ name: fqdn, type: 'A', values: ['20.2.36.77', '20.2.36.78'] });
    expect(records.find((r) => r.type === 'SRV')).toEqual({ name: `_http._tcp.${fqdn}`, type: 'SRV', values: [`3000 20-2-36-77.${fqdn}`, `3000 20-2-36-78.${fqdn}`] });
  });

  it('without ready endpoints the name is NXDOMAIN: an A record with no values', () => {
    const none = [slice('service-hellok8s-clusterip-headless', [endpoint('20.2.36.79', { conditions: { ready: false } })])];
    expect(valueOf(expectedRecords(headless, none))).toEqual([{ name: 'service-hellok8s-clusterip-headless.default.svc.cluster.local', type: 'A', values: [] }]);
    expect(valueOf(expectedRecords(headless, []))).toEqual([{ name: 'service-hellok8s-clusterip-headless.default.svc.cluster.local', type: 'A', values: [] }]);
  });

  it('an unset ready condition counts as ready; publishNotReadyAddresses publishes unready ones', () => {
    const unknown = [slice('service-hellok8s-clusterip-headless', [{ addresses: ['10.1.0.1'] }])];
    expect(valueOf(expectedRecords(headless, unknown))[0].values).toEqual(['10.1.0.1']);
    const publish = service('service-hellok8s-clusterip-headless', { clusterIP: 'None', publishNotReadyAddresses: true });
    expect(valueOf(expectedRecords(publish, slices))[0].values).toEqual(['20.2.36.77', '20.2.36.78', '20.2.36.79']);
  });

  it('StatefulSet pods get <hostname>.<svc>.<ns>.svc.<zone> (004:3422-3431)', () => {
    const sts = service('stateful-svc', { clusterIP: 'None', ports: [port(80, 'web')] });
    const eps = [slice('stateful-svc', [endpoint('20.2.36.84', { hostname: 'statefulset-0' }), endpoint('20.2.235.201', { hostname: 'statefulset-1' })], [{ name: 'web', port: 80 }])];
    const records = valueOf(expectedRecords(sts, eps));
    expect(records).toContainEqual({ name: 'statefulset-0.stateful-svc.default.svc.cluster.local', type: 'A', values: ['20.2.36.84'] });
    expect(records).toContainEqual({ name: 'statefulset-1.stateful-svc.default.svc.cluster.local', type: 'A', values: ['20.2.235.201'] });
    expect(records).toContainEqual({ name: '84.36.2.20.in-addr.arpa', type: 'PTR', values: ['statefulset-0.stateful-svc.default.svc.cluster.local'] });
    expect(records).toContainEqual({
      name: '_web._tcp.stateful-svc.default.svc.cluster.local', type: 'SRV',
      values: ['80 statefulset-0.stateful-svc.default.svc.cluster.local', '80 statefulset-1.stateful-svc.default.svc.cluster.local'],
    });
  });

  it('ignores slices of other Services and FQDN slices; IPv6 endpoints give AAAA', () => {
    const eps = [slice('other', [endpoint('10.9.9.9')]), slice('service-hellok8s-clusterip-headless', [endpoint('fd00::7')], [], 'IPv6'), slice('service-hellok8s-clusterip-headless', [endpoint('db.example')], [], 'FQDN')];
    expect(valueOf(expectedRecords(headless, eps)).filter((r) => r.type !== 'PTR')).toEqual([{ name: 'service-hellok8s-clusterip-headless.default.svc.cluster.local', type: 'AAAA', values: ['fd00::7'] }]);
  });
});

describe('expectedRecords: ExternalName and bad input', () => {
  it('an ExternalName Service is a CNAME and nothing else (004:2113-2150)', () => {
    const ext = service('service-hellok8s-externalname', { type: 'ExternalName', externalName: 'www.baidu.com', ports: [port(80, 'http')] });
    expect(valueOf(expectedRecords(ext))).toEqual([{ name: 'service-hellok8s-externalname.default.svc.cluster.local', type: 'CNAME', values: ['www.baidu.com'] }]);
  });

  it.each([
    ['a Service without a name', { metadata: { namespace: 'default' } }, 'service.metadata.name'],
    ['a namespace that is no DNS label', { metadata: { name: 'a', namespace: 'Team_A' } }, 'service.metadata.namespace'],
    ['an ExternalName without externalName', { metadata: { name: 'a', namespace: 'b' }, spec: { type: 'ExternalName' } }, 'service.spec.externalName'],
  ])('%s is a field error', (_what, svc, path) => {
    expect(errorsOf(expectedRecords(svc))).toEqual([expect.objectContaining({ path })]);
  });

  it('a cluster domain with a label over 63 characters is a field error', () => {
    expect(errorsOf(expectedRecords(service('a'), [], { clusterDomain: `${'c'.repeat(64)}.local` }))).toEqual([expect.objectContaining({ path: 'clusterDomain' })]);
  });
});

describe('podRecords: a-b-c-d.<ns>.pod.<zone> (000:20653-20675)', () => {
  it('dashes the address', () => {
    expect(podRecords(pod('my-pod', { ip: '10.0.34.2', namespace: 'my-namespace' }))).toEqual([{ name: '10-0-34-2.my-namespace.pod.cluster.local', type: 'A', values: ['10.0.34.2'] }]);
  });

  it('dashes IPv6 as CoreDNS does, a trailing :: ending in -0', () => {
    expect(podRecords(pod('p', { ip: 'fd00:10::', namespace: 'ns' }), { clusterDomain: 'k.local' })).toEqual([{ name: 'fd00-10--0.ns.pod.k.local', type: 'AAAA', values: ['fd00:10::'] }]);
  });

  it('a pod without an IP has none', () => expect(podRecords(pod('p'))).toEqual([]));
});

describe('compareRecords', () => {
  const expected = [
    { name: 'web.default.svc.cluster.local', type: 'A' as const, values: ['10.0.0.7'] },
    { name: '_http._tcp.web.default.svc.cluster.local', type: 'SRV' as const, values: ['80 web.default.svc.cluster.local'] },
    { name: 'gone.default.svc.cluster.local', type: 'A' as const, values: [] },
  ];

  it('matches case-insensitively, without trailing dots, SRV priority and weight ignored', () => {
    const observed = [
      { name: 'WEB.default.svc.cluster.local.', type: 'A' as const, values: ['10.0.0.7'] },
      { name: '_http._tcp.web.default.svc.cluster.local.', type: 'SRV' as const, values: ['0 100 80 web.default.svc.cluster.local.'] },
    ];
    expect(compareRecords(expected, observed)).toEqual([]);
  });

  it('names missing, unexpected and wrong values', () => {
    const observed = [
      { name: 'web.default.svc.cluster.local', type: 'A' as const, values: ['10.0.0.8'] },
      { name: 'gone.default.svc.cluster.local', type: 'A' as const, values: ['10.0.0.9'] },
      { name: 'web.default.svc.cluster.local', type: 'AAAA' as const, values: ['fd00::1'] },
    ];
    expect(compareRecords(expected, observed)).toEqual([
      expect.objectContaining({ kind: 'wrong-values', name: 'web.default.svc.cluster.local', message: 'A web.default.svc.cluster.local: expected 10.0.0.7, got 10.0.0.8 (missing 10.0.0.7; unexpected 10.0.0.8)' }),
      expect.objectContaining({ kind: 'missing', type: 'SRV', message: expect.stringContaining('no answer') }),
      expect.objectContaining({ kind: 'wrong-values', name: 'gone.default.svc.cluster.local', message: expect.stringContaining('expected NXDOMAIN, got 10.0.0.9') }),
      expect.objectContaining({ kind: 'unexpected', type: 'AAAA', observed: ['fd00::1'] }),
    ]);
  });
});
