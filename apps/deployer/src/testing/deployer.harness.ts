// Test-only: drives the deployer the way the gateway does (JetStream commands, NATS queries,
// operation events) against real NATS, Redis and the local control plane. Not imported by main.ts.
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { commandSubject, querySubject } from '@bosun/contracts';
import type { Actor, CommandEnvelope, QueryReply } from '@bosun/contracts';
import { loadConfig } from '@bosun/config';
import { ClusterRegistry } from '@bosun/kube';
import type { KubeObject, KubePort } from '@bosun/kube';
import { createLogger } from '@bosun/logging';
import { connectNats, decodeJson, JetStreamPublisher, QueryClient } from '@bosun/messaging';
import type { NatsConnection } from '@bosun/messaging';
import { serviceRootModule } from '@bosun/service-kit';
import { eventually, testCluster, testInfra, uniqueName } from '@bosun/testing';
import { DeploymentsModule } from '../deployments/deployments.module';

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

export type Json = KubeObject & { metadata: Record<string, any>; [k: string]: any };

export class DeployerHarness {
  readonly events: OperationEvent[] = [];
  readonly namespaces: string[] = [];
  service?: INestApplicationContext;
  private readonly registry: ClusterRegistry;
  readonly admin: KubePort;

  private constructor(readonly nc: NatsConnection, readonly publisher: JetStreamPublisher, private readonly queries: QueryClient) {
    this.registry = new ClusterRegistry({ kubeconfigPath: testCluster().kubeconfig });
    this.admin = this.registry.get();
    nc.subscribe('bosun.evt.operation.>', {
      callback: (_err, msg) => void this.events.push({ type: msg.subject.split('.')[3] as OperationEvent['type'], ...(decodeJson(msg.data) as Omit<OperationEvent, 'type'>) }),
    });
  }

  static async create(): Promise<DeployerHarness> {
    const nc = await connectNats(testInfra().natsUrl, uniqueName('deployer-int'), createLogger('test', 'silent'));
    return new DeployerHarness(nc, new JetStreamPublisher(nc), new QueryClient(nc));
  }

  /** Boots the deployer as `main.ts` does, on the test infrastructure. */
  async start(env: Record<string, string> = {}): Promise<INestApplicationContext> {
    const config = loadConfig('deployer', {
      ...process.env, BOSUN_KUBECONFIG: testCluster().kubeconfig, BOSUN_ROLLOUT_TIMEOUT_SECONDS: '90', LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn', ...env,
    });
    const logger = createLogger('deployer', config.logLevel);
    this.service = await NestFactory.createApplicationContext(serviceRootModule(config, logger, [DeploymentsModule]), { logger: false });
    return this.service;
  }

  async stop(): Promise<void> {
    await this.service?.close();
    this.service = undefined;
  }

  async close(): Promise<void> {
    await this.stop();
    for (const ns of this.namespaces) await this.admin.delete({ apiVersion: 'v1', kind: 'Namespace', name: ns }).catch(() => undefined);
    this.registry.close();
    await this.nc.drain();
  }

  async namespace(prefix: string): Promise<string> {
    const name = uniqueName(prefix);
    await this.admin.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    this.namespaces.push(name);
    return name;
  }

  envelope(kind: string, payload: Record<string, unknown>, actor: Actor = ADMIN): CommandEnvelope {
    return {
      operationId: `op_${uniqueName('t').replace(/-/g, '')}`, kind, actor,
      target: { cluster: 'default', namespace: payload.namespace as string, kind: 'Deployment', name: payload.name as string },
      payload, issuedAt: new Date().toISOString(),
    };
  }

  /** Publishes a command as the gateway does; returns its operation id. */
  async command(action: string, payload: Record<string, unknown>, actor: Actor = ADMIN): Promise<string> {
    const env = this.envelope(`deployment.${action}`, payload, actor);
    await this.publish(env);
    return env.operationId;
  }

  async publish(env: CommandEnvelope): Promise<void> {
    await this.publisher.command(commandSubject('deployer', env.kind.replace(/^deployment\./, '')), env);
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

  query<T>(name: string, params: unknown, actor: Actor | undefined = ADMIN): Promise<QueryReply<T>> {
    return this.queries.request<T>(querySubject('deployer', name), { actor, cluster: 'default', params }, 10_000);
  }

  deployment(namespace: string, name: string): Promise<Json | undefined> {
    return this.admin.get<Json>({ apiVersion: 'apps/v1', kind: 'Deployment', namespace, name });
  }

  async replicaSets(namespace: string): Promise<Json[]> {
    return this.admin.list<Json>({ apiVersion: 'apps/v1', kind: 'ReplicaSet', namespace });
  }
}

export const revisionOf = (d: Json | undefined): number => Number(d?.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0);
