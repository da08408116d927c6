import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { AutoscalerCreateRequest, AutoscalerView } from '@bosun/contracts';
import { CLUSTER_REGISTRY } from '@bosun/kube';
import type { ClusterRegistry, KubePort } from '@bosun/kube';
import type { BosunLogger } from '@bosun/logging';
import { LOGGER, OperationFailure, QueryContext } from '@bosun/service-kit';
import { QueueWakeups } from '../loop/queue.wakeups';
import { TickScheduler } from '../loop/tick.scheduler';
import { workloadRef, WorkloadReader } from '../loop/workload.reader';
import type { WorkloadObject } from '../loop/workload.reader';
import { AutoscalerStore, targetKey } from './autoscaler.store';
import type { AutoscalerDefinition } from './autoscaler.store';
import { autoscalerView, managedLive } from './autoscaler.view';
import { applyNativeHpa, deleteNativeHpa, nativeStatus } from './native-hpa';
import { managedBy, markManaged, unmarkManaged } from './target.handoff';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const newId = (): string => `as-${[...randomBytes(10)].map((b) => ALPHABET[b % ALPHABET.length]).join('')}`;

/**
 * Creating and deleting autoscalers: the definition in Redis, the target's hand-off
 * annotation, and either a job scheduler (managed) or an HPA (native).
 */
@Injectable()
export class AutoscalerLifecycle {
  constructor(
    private readonly store: AutoscalerStore,
    private readonly scheduler: TickScheduler,
    private readonly wakeups: QueueWakeups,
    private readonly workloads: WorkloadReader,
    @Inject(CLUSTER_REGISTRY) private readonly registry: ClusterRegistry,
    @Inject(LOGGER) private readonly logger: BosunLogger,
  ) {}

  async create(request: AutoscalerCreateRequest, q: QueryContext): Promise<AutoscalerView> {
    if (!q.actor) throw new OperationFailure('Unauthorized', 'an autoscaler acts as the subject who creates it: the query names no actor');
    const kube = await this.registry.resolve(q.cluster);
    // The creator must at least see the target (their RBAC, not Bosun's); scaling rights are checked on every scale.
    const live = await kube.get<WorkloadObject>(workloadRef(request.target), { as: q.identity });
    const { kind, namespace, name } = request.target;
    if (!live) throw new OperationFailure('NotFound', `${kind.toLowerCase()}s.apps "${name}" not found in namespace ${namespace}`);
    const holder = managedBy(live);
    if (holder && (await this.store.get(holder))) throw new OperationFailure('Conflict', `${kind} ${namespace}/${name} is already managed by autoscaler ${holder}`);
    const def: AutoscalerDefinition = { id: newId(), cluster: q.cluster, actor: { subject: q.actor.subject, groups: q.actor.groups }, request, createdAt: new Date().toISOString() };
    const claimedBy = await this.store.create(def, targetKey(def.cluster, request.target));
    if (claimedBy) throw new OperationFailure('Conflict', `${kind} ${namespace}/${name} is already managed by autoscaler ${claimedBy}`);
    try {
      await this.start(kube, def, q);
    } catch (e) {
      await this.undo(kube, def);
      throw e;
    }
    this.logger.info({ autoscaler: def.id, target: targetKey(def.cluster, request.target), mode: request.mode, by: def.actor.subject }, 'autoscaler created');
    return autoscalerView(def, request.mode === 'native' ? await nativeStatus(kube, def, q.identity) : managedLive(def, undefined, live.spec?.replicas ?? 1));
  }

  async delete(id: string, q: QueryContext): Promise<void> {
    const def = await this.get(id, q);
    const kube = await this.registry.resolve(def.cluster);
    // The deleter must be able to see the target too: deleting hands its count back to deploys.
    await kube.get(workloadRef(def.request.target), { as: q.identity });
    await this.scheduler.unschedule(id);
    if (def.request.mode === 'native') await deleteNativeHpa(kube, def, q.identity);
    await unmarkManaged(kube, def.request.target, id);
    await this.store.remove(id, targetKey(def.cluster, def.request.target));
    await this.wakeups.refresh().catch(() => undefined);
    this.logger.info({ autoscaler: id, by: q.actor?.subject }, 'autoscaler deleted');
  }

  async get(id: string, q: QueryContext): Promise<AutoscalerDefinition> {
    const def = await this.store.get(id);
    if (!def || def.cluster !== q.cluster) throw new OperationFailure('NotFound', `autoscaler ${id} not found`);
    return def;
  }

  async view(def: AutoscalerDefinition, q: QueryContext): Promise<AutoscalerView> {
    const kube = await this.registry.resolve(def.cluster);
    if (def.request.mode === 'native') return autoscalerView(def, await nativeStatus(kube, def, q.identity));
    const workload = await this.workloads.read(kube, def.request.target).catch(() => undefined);
    return autoscalerView(def, managedLive(def, await this.store.state(def.id), workload?.replicas));
  }

  async list(q: QueryContext, namespace?: string): Promise<AutoscalerView[]> {
    const defs = (await this.store.list()).filter((d) => d.cluster === q.cluster && (!namespace || d.request.target.namespace === namespace));
    return Promise.all(defs.map((d) => this.view(d, q)));
  }

  private async start(kube: KubePort, def: AutoscalerDefinition, q: QueryContext): Promise<void> {
    await markManaged(kube, def.request.target, def.id);
    if (def.request.mode === 'native') {
      await applyNativeHpa(kube, def, q.identity);
      return;
    }
    await this.scheduler.schedule(def.id, def.request.intervalSeconds);
    await this.scheduler.wake(def.id); // the first evaluation now, not one interval later
    await this.wakeups.refresh().catch(() => undefined);
  }

  private async undo(kube: KubePort, def: AutoscalerDefinition): Promise<void> {
    await this.scheduler.unschedule(def.id).catch(() => undefined);
    await unmarkManaged(kube, def.request.target, def.id).catch(() => undefined);
    await this.store.remove(def.id, targetKey(def.cluster, def.request.target));
  }
}
