// Test-only: the dns-inspector on the kit's service harness, plus what its tests create in
// the cluster and ask the local CoreDNS directly.
import type { DnsRecordType } from '@bosun/contracts';
import type { KubeObject } from '@bosun/kube';
import { ADMIN, ServiceHarness } from '@bosun/service-kit/testing';
import type { HarnessOptions } from '@bosun/service-kit/testing';
import { eventually, testCluster } from '@bosun/testing';
import { ChecksModule } from '../checks/checks.module';
import { NodeDnsClient, parseServer } from '../dns/dns.client';
import type { DnsAnswer } from '../dns/dns.client';
import { LookupsModule } from '../lookups/lookups.module';
import { DnsToolsModule } from '../tools/dns-tools.module';

export { ADMIN };
export type Json = KubeObject & { metadata: Record<string, any>; [k: string]: any };

const OPTIONS = (): HarnessOptions => ({
  service: 'dns-inspector', modules: [ChecksModule, LookupsModule, DnsToolsModule], kindPrefix: 'dns', targetKind: 'Service',
  // The local stack's CoreDNS answers on loopback; ClusterIPs are not routable here.
  env: { BOSUN_CLUSTER_DNS: testCluster().dns },
});

const COREDNS = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'kube-system', name: 'coredns' };

export class DnsHarness extends ServiceHarness {
  readonly dns = new NodeDnsClient();
  readonly server = parseServer(testCluster().dns);

  static override async create(): Promise<DnsHarness> {
    const opts = OPTIONS();
    const c = await ServiceHarness.connect(opts);
    return new DnsHarness(opts, c.nc, c.publisher, c.control, c.queries);
  }

  /** A Deployment of `replicas` kwok pods labelled `app=<app>` (Running and Ready, with pod IPs). */
  async deployment(namespace: string, app: string, replicas = 2): Promise<void> {
    await this.admin.apply({
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: app, namespace },
      spec: { replicas, selector: { matchLabels: { app } }, template: { metadata: { labels: { app } }, spec: { containers: [{ name: app, image: 'nginx:1.27', ports: [{ name: 'http', containerPort: 80 }] }] } } },
    });
    await eventually(async () => {
      const pods = await this.admin.list<Json>({ apiVersion: 'v1', kind: 'Pod', namespace, labelSelector: `app=${app}` });
      return pods.length === replicas && pods.every((p) => p.status?.podIP && p.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True')) ? pods : undefined;
    }, `${replicas} ready pods of ${namespace}/${app}`, 30_000);
  }

  podIPs(namespace: string, app: string): Promise<string[]> {
    return this.admin.list<Json>({ apiVersion: 'v1', kind: 'Pod', namespace, labelSelector: `app=${app}` }).then((ps) => ps.map((p) => p.status.podIP).sort());
  }

  async applyService(namespace: string, name: string, spec: Record<string, unknown>): Promise<Json> {
    return this.admin.apply<Json>({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec });
  }

  /** Asks the local CoreDNS directly (no search list): what the records test compares with. */
  ask(name: string, type: DnsRecordType = 'A'): Promise<DnsAnswer> {
    return this.dns.query(this.server, name.endsWith('.') ? name : `${name}.`, type);
  }

  /** Waits until CoreDNS answers `name` with a value for which `ok` holds (its watch lags the API a little). */
  answered(name: string, type: DnsRecordType, ok: (answers: string[]) => boolean, what = `${type} ${name}`): Promise<string[]> {
    return eventually(async () => {
      const a = await this.ask(name, type);
      return a.rcode === 'NOERROR' && ok(a.answers) ? a.answers : undefined;
    }, what, 30_000, 200);
  }

  async scaleCoreDns(replicas: number): Promise<void> {
    await this.admin.scale(COREDNS, replicas);
  }

  /** CoreDNS back at `replicas` Ready pods, kube-dns with as many endpoints, and DNS answering. */
  async coreDnsHealthy(replicas = 2): Promise<void> {
    await this.scaleCoreDns(replicas);
    await eventually(async () => {
      const slices = await this.admin.list<Json>({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', namespace: 'kube-system', labelSelector: 'kubernetes.io/service-name=kube-dns' });
      const ready = slices.flatMap((s) => s.endpoints ?? []).filter((e: any) => e.conditions?.ready !== false).length;
      return ready >= replicas ? true : undefined;
    }, 'kube-dns endpoints back', 60_000, 250);
    await this.answered('kubernetes.default.svc.cluster.local', 'A', (a) => a.length > 0, 'DNS answering again');
  }
}
