// Test-only: the autoscaler on the kit's service harness, plus what its tests need from the
// cluster (namespaces, Deployments with kwok usage annotations, RBAC) and from the queues.
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AUTOSCALER_QUERIES } from '@bosun/contracts';
import type { Actor, AutoscalerScaledEvent, AutoscalerView, DecisionView, QueryReply } from '@bosun/contracts';
import type { KubeObject } from '@bosun/kube';
import { decodeJson } from '@bosun/messaging';
import { ADMIN, ServiceHarness } from '@bosun/service-kit/testing';
import type { HarnessOptions } from '@bosun/service-kit/testing';
import { eventually } from '@bosun/testing';
import { AutoscalersModule } from '../autoscalers/autoscalers.module';
import { RecommendationModule } from '../recommendation/recommendation.module';

export { ADMIN };
export type Json = KubeObject & { metadata: Record<string, any>; [k: string]: any };

const OPTIONS: HarnessOptions = { service: 'autoscaler', modules: [RecommendationModule, AutoscalersModule], kindPrefix: 'autoscaler', targetKind: 'Deployment' };

export interface DeploymentSpec { replicas?: number; cpuRequest?: string; cpuUsage?: string; labels?: Record<string, string> }

export class AutoscalerHarness extends ServiceHarness {
  readonly scaled: AutoscalerScaledEvent[] = [];
  readonly created: string[] = [];
  private readonly servers: Server[] = [];

  static override async create(): Promise<AutoscalerHarness> {
    const c = await ServiceHarness.connect(OPTIONS);
    const h = new AutoscalerHarness(OPTIONS, c.nc, c.publisher, c.control, c.queries);
    h.nc.subscribe('bosun.evt.autoscaler.>', { callback: (_e, msg) => void h.scaled.push(decodeJson(msg.data) as AutoscalerScaledEvent) });
    return h;
  }

  override async close(): Promise<void> {
    for (const id of this.created) if (this.instances.length) await this.ask(AUTOSCALER_QUERIES.delete, { id }).catch(() => undefined);
    for (const s of this.servers) s.close();
    await super.close();
  }

  /** A Deployment of kwok pods; `cpuUsage` is what kwok reports for each pod (through metrics-server). */
  async deployment(namespace: string, name: string, spec: DeploymentSpec = {}): Promise<void> {
    const labels = { app: name, ...spec.labels };
    await this.admin.create({
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace },
      spec: {
        replicas: spec.replicas ?? 1, selector: { matchLabels: { app: name } },
        template: {
          metadata: { labels, annotations: spec.cpuUsage ? { 'kwok.x-k8s.io/usage-cpu': spec.cpuUsage } : {} },
          spec: { containers: [{ name: 'app', image: 'nginx:1.27', resources: { requests: { cpu: spec.cpuRequest ?? '100m' } } }] },
        },
      },
    });
  }

  async get(namespace: string, name: string): Promise<Json | undefined> {
    return this.admin.get<Json>({ apiVersion: 'apps/v1', kind: 'Deployment', namespace, name });
  }

  async replicas(namespace: string, name: string): Promise<number | undefined> {
    return (await this.get(namespace, name))?.spec.replicas;
  }

  async waitReplicas(namespace: string, name: string, replicas: number, timeoutMs = 30_000): Promise<void> {
    await eventually(async () => ((await this.replicas(namespace, name)) === replicas ? true : undefined), `${namespace}/${name} at ${replicas} replicas`, timeoutMs, 200);
  }

  /** Asks a query and throws on a failure (tests that expect failures use `query`). */
  async ask<T>(name: string, params: unknown, actor: Actor = ADMIN): Promise<T> {
    const reply = await this.query<T>(name, params, actor);
    if (!reply.ok) throw new Error(`${name} failed: ${JSON.stringify(reply.error)}`);
    return reply.value;
  }

  async createAutoscaler(body: Record<string, unknown>, actor: Actor = ADMIN): Promise<AutoscalerView> {
    const view = await this.ask<AutoscalerView>(AUTOSCALER_QUERIES.create, body, actor);
    this.created.push(view.id);
    return view;
  }

  createReply(body: Record<string, unknown>, actor: Actor = ADMIN): Promise<QueryReply<AutoscalerView>> {
    return this.query<AutoscalerView>(AUTOSCALER_QUERIES.create, body, actor);
  }

  view(id: string): Promise<AutoscalerView> {
    return this.ask<AutoscalerView>(AUTOSCALER_QUERIES.get, { id });
  }

  async decisions(id: string, limit = 500): Promise<DecisionView[]> {
    return (await this.ask<{ items: DecisionView[] }>(AUTOSCALER_QUERIES.decisions, { id, limit })).items;
  }

  /** Waits until the autoscaler's view satisfies `check`. */
  async until(id: string, what: string, check: (v: AutoscalerView) => boolean, timeoutMs = 30_000): Promise<AutoscalerView> {
    return eventually(async () => {
      const v = await this.view(id);
      return check(v) ? v : undefined;
    }, `${id}: ${what}`, timeoutMs, 200);
  }

  /** A loopback HTTP endpoint for External metrics: answers whatever `body()` returns at the time. */
  async endpoint(body: () => unknown): Promise<string> {
    const server = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(body()));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    this.servers.push(server);
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/metric`;
  }

  /** A user who may only read Deployments in `namespace` (no scale): for RBAC refusals. */
  async viewer(namespace: string, user: string): Promise<Actor> {
    await this.admin.create({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'deploy-viewer', namespace }, rules: [{ apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'list', 'watch'] }] });
    await this.admin.create({
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: `deploy-viewer-${user}`, namespace },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'deploy-viewer' }, subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: user }],
    });
    return { subject: `user:${user}`, groups: [], via: 'api' };
  }
}
