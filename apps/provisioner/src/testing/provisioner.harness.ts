// Test-only: the provisioner on the kit's service harness, plus what its tests read from and
// make in the cluster (tenants to clean up, private kwok nodes so drains touch no one else's pods).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Actor } from '@bosun/contracts';
import type { KubeObject } from '@bosun/kube';
import { ADMIN, ServiceHarness } from '@bosun/service-kit/testing';
import type { HarnessOptions } from '@bosun/service-kit/testing';
import { eventually, testCluster, uniqueName } from '@bosun/testing';
import { NodesModule } from '../nodes/nodes.module';
import { TenantsModule } from '../tenants/tenants.module';

export { ADMIN };
export type { OperationEvent } from '@bosun/service-kit/testing';
export type Json = KubeObject & { metadata: Record<string, any>; [k: string]: any };

const OPTIONS: HarnessOptions = {
  service: 'provisioner', modules: [TenantsModule, NodesModule], kindPrefix: 'provisioner', targetKind: 'Namespace',
  env: { BOSUN_ROLLOUT_TIMEOUT_SECONDS: '90' },
};

/** The taint on a test node: only pods that tolerate it (this file's) land there. */
export const TEST_TAINT = { key: 'bosun.dev/test', value: 'provisioner', effect: 'NoSchedule' };
const run = promisify(execFile);
const POOL_LABEL = 'bosun.dev/test-pool';

export class ProvisionerHarness extends ServiceHarness {
  /** Test nodes made by `node()`, deleted by `close()`. */
  readonly nodes: string[] = [];

  static override async create(): Promise<ProvisionerHarness> {
    const c = await ServiceHarness.connect(OPTIONS);
    return new ProvisionerHarness(OPTIONS, c.nc, c.publisher, c.control, c.queries);
  }

  override async close(): Promise<void> {
    while (this.instances.length) await this.stop();
    for (const node of this.nodes.splice(0)) await this.admin.delete({ apiVersion: 'v1', kind: 'Node', name: node }).catch(() => undefined);
    await super.close();
  }

  /** Publishes `provisioner.<action>` targeting the Namespace (tenant-*) or Node (node-*) it names, as the gateway does. */
  override async command(action: string, payload: Record<string, unknown>, actor: Actor = ADMIN): Promise<string> {
    const kind = action.startsWith('node-') ? 'Node' : 'Namespace';
    const env = this.envelope(`provisioner.${action}`, payload, actor, { kind, name: payload.name as string, namespace: undefined });
    await this.publish(env);
    return env.operationId;
  }

  /** A fresh tenant name (nothing created yet), its namespace deleted at close whatever the test did. */
  tenantName(prefix: string): string {
    const name = uniqueName(prefix);
    this.namespaces.push(name);
    return name;
  }

  /** A kwok node of this test's own (tainted, in `pool`), Ready before it returns. */
  async node(prefix: string, pool: string): Promise<string> {
    const name = uniqueName(prefix);
    this.nodes.push(name);
    await this.admin.create({
      apiVersion: 'v1', kind: 'Node',
      metadata: { name, annotations: { 'kwok.x-k8s.io/node': 'fake' }, labels: { type: 'kwok', 'kubernetes.io/hostname': name, [POOL_LABEL]: pool } },
      spec: { taints: [TEST_TAINT] },
    });
    // Ready, and the node controller has lifted its not-ready taint (pods tolerate only ours).
    await eventually(async () => {
      const n = await this.get('v1', 'Node', undefined, name);
      const ready = n?.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True');
      return ready && !(n?.spec.taints ?? []).some((t: any) => t.key.startsWith('node.kubernetes.io/')) ? true : undefined;
    }, `node ${name} Ready and untainted`, 60_000);
    return name;
  }

  get(apiVersion: string, kind: string, namespace: string | undefined, name: string): Promise<Json | undefined> {
    return this.admin.get<Json>({ apiVersion, kind, namespace, name });
  }

  list(apiVersion: string, kind: string, namespace?: string, labelSelector?: string, fieldSelector?: string): Promise<Json[]> {
    return this.admin.list<Json>({ apiVersion, kind, namespace, labelSelector, fieldSelector });
  }

  /** Runs the test control plane's kubectl; resolves with stdout, rejects with stderr. */
  async kubectl(args: string[]): Promise<string> {
    const { stdout } = await run(testCluster().kubectl, args, { encoding: 'utf8' });
    return stdout;
  }
}

/** The part of a pod spec that lets it run on this pool's test nodes only. */
export const inPool = (pool: string): Record<string, unknown> => ({
  nodeSelector: { [POOL_LABEL]: pool },
  tolerations: [{ key: TEST_TAINT.key, operator: 'Equal', value: TEST_TAINT.value, effect: TEST_TAINT.effect }],
});
