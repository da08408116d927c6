import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { BOSUN_CONFIG } from '@bosun/config';
import type { BosunConfig } from '@bosun/config';
import { AUTOSCALER_EVENT_SUBJECTS } from '@bosun/contracts';
import type { AutoscalerCondition, AutoscalerScaledEvent } from '@bosun/contracts';
import { decisionView, readyPodCount, recommendReplicas, recordEvaluation } from '@bosun/autoscaler-domain';
import type { HpaInput, HpaRecommendation } from '@bosun/autoscaler-domain';
import { CLUSTER_REGISTRY, isKubeError } from '@bosun/kube';
import type { ClusterRegistry, KubePort } from '@bosun/kube';
import type { BosunLogger } from '@bosun/logging';
import { JetStreamPublisher } from '@bosun/messaging';
import { kubernetesIdentity, LOGGER } from '@bosun/service-kit';
import { AutoscalerStore, targetKey } from '../autoscalers/autoscaler.store';
import type { AutoscalerDefinition, AutoscalerState } from '../autoscalers/autoscaler.store';
import { MetricObserver } from './metric.observer';
import { workloadRef, WorkloadReader } from './workload.reader';
import type { Workload } from './workload.reader';

/** Longer than any evaluation (External metrics time out after 3 s), shorter than a restart's gap. */
const LEASE_MS = 15_000;

export type TickOutcome = 'evaluated' | 'busy' | 'duplicate' | 'gone' | 'failed';
type ScaleError = { code: string; message: string };

const condition = (status: 'True' | 'False', reason: string, message: string): AutoscalerCondition => ({ status, reason, message });

/**
 * One evaluation of one managed autoscaler: read the target and its pods (informers), observe
 * every metric, run the HPA algorithm with the stored memory, scale through the `scale`
 * subresource as the creating subject, record the decision with its inputs and announce a
 * change. A lease per target keeps two replicas off the same target at once; a marker per
 * scheduled slot makes a redelivered tick a no-op.
 */
@Injectable()
export class EvaluationTick {
  constructor(
    private readonly store: AutoscalerStore,
    @Inject(CLUSTER_REGISTRY) private readonly registry: ClusterRegistry,
    private readonly workloads: WorkloadReader,
    private readonly observer: MetricObserver,
    private readonly publisher: JetStreamPublisher,
    @Inject(LOGGER) private readonly logger: BosunLogger,
    @Inject(BOSUN_CONFIG) private readonly config: BosunConfig,
  ) {}

  async run(id: string, slot?: number): Promise<TickOutcome> {
    const def = await this.store.get(id);
    if (!def || def.request.mode !== 'managed') return 'gone';
    const key = targetKey(def.cluster, def.request.target);
    const holder = `${this.config.instanceId}:${randomUUID()}`;
    if (!(await this.store.lease(key, holder, LEASE_MS))) return 'busy';
    try {
      return await this.evaluate(def, slot);
    } catch (e) {
      this.logger.warn({ autoscaler: id, err: (e as Error).message }, 'evaluation failed');
      await this.saveFailure(def, 'FailedGetScale', `the HPA controller was unable to get the target's current scale: ${(e as Error).message}`);
      return 'failed';
    } finally {
      await this.store.release(key, holder);
    }
  }

  private async evaluate(def: AutoscalerDefinition, slot: number | undefined): Promise<TickOutcome> {
    const at = new Date().toISOString();
    const kube = await this.registry.resolve(def.cluster);
    const workload = await this.workloads.read(kube, def.request.target);
    if (!workload) {
      const { kind, name } = def.request.target;
      await this.saveFailure(def, 'FailedGetScale', `the HPA controller was unable to get the target's current scale: ${kind.toLowerCase()}s.apps "${name}" not found`);
      return 'evaluated';
    }
    const state = await this.store.state(def.id);
    const input = await this.input(def, kube, workload, state, at);
    const result = statefulSetGuard(def, workload, recommendReplicas(input));
    // Claimed after the (read-only) computation: a job that died before this point is run again in full.
    if (slot !== undefined && !(await this.store.claimSlot(def.id, slot, Math.max(60_000, def.request.intervalSeconds * 10_000)))) return 'duplicate';
    const scaleError = result.desiredReplicas === workload.replicas ? undefined : await this.scale(kube, def, result.desiredReplicas);
    await this.remember(def, state, { at, input, result, scaleError, slot, current: workload.replicas });
    if (!scaleError && result.desiredReplicas !== workload.replicas) await this.announce(def, workload.replicas, result, at);
    return 'evaluated';
  }

  private async input(def: AutoscalerDefinition, kube: KubePort, workload: Workload, state: AutoscalerState | undefined, at: string): Promise<HpaInput> {
    const r = def.request;
    const input: HpaInput = {
      currentReplicas: workload.replicas, minReplicas: r.minReplicas ?? 1, maxReplicas: r.maxReplicas, readyPods: readyPodCount(workload.pods), now: at,
      metrics: await this.observer.observe(def.cluster, kube, r.target.namespace, workload, r.metrics),
    };
    if (r.tolerance !== undefined) input.tolerance = r.tolerance;
    if (r.behavior !== undefined) input.behavior = r.behavior;
    if (state?.history) input.history = state.history;
    return input;
  }

  /** As the subject who created the autoscaler: their RBAC decides, and a refusal is reported, not retried. */
  private async scale(kube: KubePort, def: AutoscalerDefinition, replicas: number): Promise<ScaleError | undefined> {
    try {
      await kube.scale(workloadRef(def.request.target), replicas, { as: kubernetesIdentity(def.actor) });
      return undefined;
    } catch (e) {
      const error = isKubeError(e) ? { code: e.reason, message: e.message } : { code: 'Internal', message: (e as Error).message };
      this.logger.warn({ autoscaler: def.id, replicas, code: error.code, err: error.message }, 'scale refused');
      return error;
    }
  }

  private async remember(def: AutoscalerDefinition, state: AutoscalerState | undefined, e: Evaluation): Promise<void> {
    const applied = e.scaleError ? { ...e.result, desiredReplicas: e.current } : e.result;
    const scaled = !e.scaleError && e.result.desiredReplicas !== e.current;
    const view = decisionView(e.at, e.current, e.result);
    if (e.scaleError) {
      view.scaleError = e.scaleError;
      view.explanation = `${e.result.explanation}; not applied: ${e.scaleError.code}: ${e.scaleError.message}`;
    }
    await this.store.record(def.id, { view, input: e.input, ...(e.slot !== undefined ? { slot: e.slot } : {}) });
    const conditions = { ...e.result.conditions };
    if (e.scaleError) conditions.AbleToScale = condition('False', 'FailedUpdateScale', `the HPA controller was unable to update the target scale: ${e.scaleError.code}: ${e.scaleError.message}`);
    await this.store.saveState(def.id, {
      currentReplicas: scaled ? e.result.desiredReplicas : e.current, desiredReplicas: e.result.desiredReplicas,
      ...(scaled ? { lastScaleTime: e.at } : state?.lastScaleTime ? { lastScaleTime: state.lastScaleTime } : {}),
      lastEvaluationAt: e.at, metrics: e.result.perMetric.map((m) => ({ name: m.name, current: m.current })), conditions,
      history: recordEvaluation(state?.history, e.at, e.current, applied),
    });
  }

  private async saveFailure(def: AutoscalerDefinition, reason: string, message: string): Promise<void> {
    const state = await this.store.state(def.id);
    await this.store.saveState(def.id, {
      currentReplicas: state?.currentReplicas ?? 0, desiredReplicas: state?.desiredReplicas ?? 0, metrics: state?.metrics ?? [], history: state?.history,
      ...(state?.lastScaleTime ? { lastScaleTime: state.lastScaleTime } : {}), lastEvaluationAt: new Date().toISOString(),
      conditions: {
        AbleToScale: condition('False', reason, message),
        ScalingActive: state?.conditions.ScalingActive ?? condition('False', reason, message),
        ScalingLimited: state?.conditions.ScalingLimited ?? condition('False', 'DesiredWithinRange', 'the desired count is within the acceptable range'),
      },
    });
  }

  private async announce(def: AutoscalerDefinition, from: number, result: HpaRecommendation, at: string): Promise<void> {
    const event: AutoscalerScaledEvent = {
      autoscalerId: def.id, cluster: def.cluster, target: def.request.target, from, to: result.desiredReplicas, at, explanation: result.explanation, actor: def.actor.subject,
    };
    await this.publisher.event(AUTOSCALER_EVENT_SUBJECTS.scaled, event, `${def.id}:${at}`).catch((e: Error) => this.logger.warn({ autoscaler: def.id, err: e.message }, 'scaled event not published'));
    this.logger.info({ autoscaler: def.id, from, to: result.desiredReplicas }, result.explanation);
  }
}

interface Evaluation { at: string; input: HpaInput; result: HpaRecommendation; scaleError?: ScaleError; slot?: number; current: number }

/** A StatefulSet scales down only when every pod is Running and Ready (000:14027-14033): until then it keeps its count. */
const statefulSetGuard = (def: AutoscalerDefinition, workload: Workload, result: HpaRecommendation): HpaRecommendation => {
  if (def.request.target.kind !== 'StatefulSet' || result.desiredReplicas >= workload.replicas) return result;
  if (readyPodCount(workload.pods) >= workload.pods.length && workload.pods.length >= workload.replicas) return result;
  return { ...result, desiredReplicas: workload.replicas, explanation: `Keeping ${workload.replicas} replicas; reason: a StatefulSet scales down only when every pod is Running and Ready` };
};
