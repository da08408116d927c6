// Test-only: drives one back-end service the way the gateway does — JetStream commands,
// NATS queries, the operation-control bucket, and the operation events it publishes —
// against real NATS and Redis (and the local control plane when the service needs one).
import 'reflect-metadata';
import type { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { commandSubject, jobQueue, OPERATION_EVENTS_FILTER, parseOperationEventSubject, querySubject } from '@bosun/contracts';
import type { Actor, CommandEnvelope, QueryReply, ServiceName, Target } from '@bosun/contracts';
import { loadConfig } from '@bosun/config';
import { ClusterRegistry } from '@bosun/kube';
import type { KubePort } from '@bosun/kube';
import { createLogger } from '@bosun/logging';
import { connectNats, decodeJson, ensureStreams, JetStreamPublisher, OperationControl, QueryClient } from '@bosun/messaging';
import type { NatsConnection } from '@bosun/messaging';
import { eventually, TEST_ENCRYPTION_KEY, testCluster, testInfra, testNatsAuth, testNatsEnv, uniqueName } from '@bosun/testing';
import { createServiceApp } from '../bootstrap';

export const ADMIN: Actor = { subject: 'user:admin', groups: ['system:masters'], via: 'api' };

export interface OperationEvent {
  type: 'started' | 'progressed' | 'succeeded' | 'failed';
  operationId: string;
  at: string;
  message?: string;
  progress?: { current: number; total: number; message: string };
  result?: Record<string, unknown>;
  error?: { code: string; message: string };
}

export interface HarnessOptions {
  service: ServiceName;
  modules: Array<Type | DynamicModule>;
  /** Environment for every start (on top of the test infrastructure's). */
  env?: Record<string, string>;
  /** The operation kind prefix of this service's commands (`deployment` → `deployment.deploy`). */
  kindPrefix: string;
  /** The Kubernetes kind its operations target. */
  targetKind: string;
}

export class ServiceHarness {
  readonly events: OperationEvent[] = [];
  /** Every instance started and not stopped yet (several = replicas). */
  readonly instances: INestApplication[] = [];
  /** Namespaces made by `namespace()`, deleted by `close()`. */
  readonly namespaces: string[] = [];
  private registry?: ClusterRegistry;

  protected constructor(
    readonly opts: HarnessOptions,
    readonly nc: NatsConnection,
    readonly publisher: JetStreamPublisher,
    readonly control: OperationControl,
    private readonly queries: QueryClient,
  ) {
    nc.subscribe(OPERATION_EVENTS_FILTER, {
      callback: (_err, msg) => {
        const parsed = parseOperationEventSubject(msg.subject);
        if (parsed) this.events.push({ type: parsed.kind, ...(decodeJson(msg.data) as Omit<OperationEvent, 'type'>) });
      },
    });
  }

  static async connect(opts: HarnessOptions): Promise<{ nc: NatsConnection; publisher: JetStreamPublisher; control: OperationControl; queries: QueryClient }> {
    // The test plays the gateway (ADR 0005): it sends commands and queries and declares the streams.
    const nc = await connectNats(testInfra().natsUrl, uniqueName(`${opts.service}-int`), createLogger('test', 'silent'), testNatsAuth('gateway'));
    await ensureStreams(nc);
    return { nc, publisher: new JetStreamPublisher(nc), control: await OperationControl.open(nc), queries: new QueryClient(nc) };
  }

  static async create(opts: HarnessOptions): Promise<ServiceHarness> {
    const c = await ServiceHarness.connect(opts);
    return new ServiceHarness(opts, c.nc, c.publisher, c.control, c.queries);
  }

  get service(): INestApplication | undefined {
    return this.instances[this.instances.length - 1];
  }

  get queueName(): string {
    return jobQueue(this.opts.service, 'operations');
  }

  /** Boots one more instance of the service as `main.ts` does (without listening on HTTP). */
  async start(env: Record<string, string> = {}): Promise<INestApplication> {
    const config = loadConfig(this.opts.service, {
      ...process.env, ...testNatsEnv(this.opts.service), BOSUN_KUBECONFIG: kubeconfigIfAny(), BOSUN_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn', ...this.opts.env, ...env,
    });
    const app = await createServiceApp(config, createLogger(this.opts.service, config.logLevel), this.opts.modules);
    await app.init();
    this.instances.push(app);
    return app;
  }

  /** Stops the newest instance (or the one given). */
  async stop(app: INestApplication | undefined = this.service): Promise<void> {
    if (!app) return;
    this.instances.splice(this.instances.indexOf(app), 1);
    await app.close();
  }

  async close(): Promise<void> {
    while (this.instances.length) await this.stop();
    for (const ns of this.namespaces.splice(0)) await this.admin.delete({ apiVersion: 'v1', kind: 'Namespace', name: ns }).catch(() => undefined);
    this.registry?.close();
    await this.nc.drain();
  }

  /** The local control plane as its admin (Bosun's own credentials): what tests set up and check with. */
  get admin(): KubePort {
    this.registry ??= new ClusterRegistry({ kubeconfigPath: testCluster().kubeconfig });
    return this.registry.get();
  }

  /** A fresh namespace for one test file, deleted by `close()`. */
  async namespace(prefix: string): Promise<string> {
    const name = uniqueName(prefix);
    await this.admin.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    this.namespaces.push(name);
    return name;
  }

  envelope(kind: string, payload: Record<string, unknown>, actor: Actor = ADMIN, target?: Partial<Target>): CommandEnvelope {
    return {
      operationId: `op_${uniqueName('t').replace(/-/g, '')}`, kind, actor,
      target: { cluster: 'default', namespace: payload.namespace as string | undefined, kind: this.opts.targetKind, name: payload.name as string | undefined, ...target },
      payload, issuedAt: new Date().toISOString(),
    };
  }

  /** Publishes a command as the gateway does; returns its operation id. */
  async command(action: string, payload: Record<string, unknown>, actor: Actor = ADMIN): Promise<string> {
    const env = this.envelope(`${this.opts.kindPrefix}.${action}`, payload, actor);
    await this.publish(env);
    return env.operationId;
  }

  async publish(env: CommandEnvelope, version = 1): Promise<void> {
    await this.publisher.command(commandSubject(this.opts.service, env.kind.slice(this.opts.kindPrefix.length + 1), version), env);
  }

  /** Cancels as the gateway does (the operation-control bucket). */
  cancel(operationId: string, by = 'user:admin'): ReturnType<OperationControl['cancel']> {
    return this.control.cancel(operationId, by);
  }

  of(operationId: string, type?: OperationEvent['type']): OperationEvent[] {
    return this.events.filter((e) => e.operationId === operationId && (!type || e.type === type));
  }

  /** The operation's terminal event (succeeded or failed). */
  terminal(operationId: string, timeoutMs = 60_000): Promise<OperationEvent> {
    return eventually(() => this.of(operationId).find((e) => e.type === 'succeeded' || e.type === 'failed'), `terminal event of ${operationId}`, timeoutMs);
  }

  async succeeded(operationId: string, timeoutMs = 60_000): Promise<OperationEvent> {
    const event = await this.terminal(operationId, timeoutMs);
    if (event.type !== 'succeeded') throw new Error(`${operationId} failed: ${JSON.stringify(event.error)}`);
    return event;
  }

  /** A query as the gateway asks it; `actor: null` leaves the actor out (what a service must refuse). */
  query<T>(name: string, params: unknown, actor: Actor | null = ADMIN, cluster = 'default'): Promise<QueryReply<T>> {
    return this.queries.request<T>(querySubject(this.opts.service, name), { actor: actor ?? undefined, cluster, params }, 10_000);
  }
}

const kubeconfigIfAny = (): string => {
  try {
    return testCluster().kubeconfig;
  } catch {
    return '';
  }
};
