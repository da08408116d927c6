import { Inject, Injectable } from '@nestjs/common';
import { DEFAULT_DRAIN_TIMEOUT_SECONDS } from '@bosun/contracts';
import type { DrainCommand, DrainPlan, DrainResult } from '@bosun/contracts';
import { CLUSTER_REGISTRY, isKubeError } from '@bosun/kube';
import type { ClusterRegistry, Identity, KubePort } from '@bosun/kube';
import type { BosunLogger } from '@bosun/logging';
import { cordonPatch, planDrain, podKey } from '@bosun/provisioner-domain';
import { LOGGER, OperationFailure } from '@bosun/service-kit';
import type { OperationContext } from '@bosun/service-kit';
import { evictionPort } from '../kube/eviction.port';
import type { EvictionPort } from '../kube/eviction.port';
import { pause } from '../kube/wait';
import { blockOf, guessBlock } from './drain.plan';
import { describeBlocks, DrainState } from './drain.state';
import { nodeRef, NodeReader } from './node.reader';
import type { PodObject } from './node.reader';

const ROUND_MS = 500;
/** Evictions in flight at once; the apiserver's own priority and fairness does the rest. */
const PARALLEL = 16;

interface Run { port: KubePort; reader: NodeReader; evictions: EvictionPort; cmd: DrainCommand; as: Identity; op: OperationContext; state: DrainState }

/**
 * `kubectl drain` as an operation: refuse early (nothing changes) when a pod needs `force` or
 * `deleteEmptyDirData`, cordon, then rounds of evictions through the Eviction API in parallel
 * (a 429 is retried with back-off per pod), until every evictable pod is gone. Each round
 * re-reads the node's pods, so a retried or resumed job continues from the cluster's state.
 * The deadline counts from acceptance; past it the drain fails `DrainBlocked` naming each
 * budget with its counts (or `DrainTimeout` when evicted pods are merely slow to go). The node
 * stays cordoned either way, as with kubectl; uncordon is its own operation.
 */
@Injectable()
export class DrainOperation {
  constructor(
    @Inject(CLUSTER_REGISTRY) private readonly registry: ClusterRegistry,
    @Inject(LOGGER) private readonly logger: BosunLogger,
  ) {}

  async run(cmd: DrainCommand, op: OperationContext): Promise<DrainResult> {
    const { cluster, identity: as, acceptedAt, operationId } = op.operation;
    const port = await this.registry.resolve(cluster);
    const run: Run = { port, reader: new NodeReader(port, as), evictions: evictionPort(port), cmd, as, op, state: new DrainState() };
    const node = await run.reader.node(cmd.name);
    if (!node) throw new OperationFailure('NotFound', `nodes "${cmd.name}" not found`);
    const first = this.plan(run, await run.reader.podsOn(cmd.name));
    run.state.total = first.evict.length;
    if (node.spec?.unschedulable !== true) await port.patch(nodeRef(cmd.name), cordonPatch(true), 'merge', { as });
    op.progress({ current: 0, total: run.state.total, message: `node ${cmd.name} cordoned; ${first.evict.length} pods to evict, ${first.skip.length} left alone` });
    for (const s of first.skip) op.progress({ current: 0, total: run.state.total, message: `${s.pod} left alone (${s.reason})` });
    const deadline = acceptedAt + (cmd.timeoutSeconds ?? DEFAULT_DRAIN_TIMEOUT_SECONDS) * 1000;
    const result = await this.rounds(run, deadline);
    this.logger.info({ operationId, node: cmd.name, evicted: result.evicted.length, blocked: result.blocked.length }, 'node drained');
    return result;
  }

  private async rounds(run: Run, deadline: number): Promise<DrainResult> {
    for (;;) {
      run.op.throwIfStopped();
      const pods = await run.reader.podsOn(run.cmd.name);
      const plan = this.plan(run, pods);
      this.reportGone(run, pods);
      if (plan.evict.length === 0 && run.state.leaving().length === 0) return run.state.result(run.cmd.name, plan, false);
      if (Date.now() > deadline) this.timedOut(run, plan);
      await this.evictDue(run, plan, pods);
      await pause(ROUND_MS, run.op.signal);
    }
  }

  /** kubectl's filters; a pod that needs a flag fails the drain (kubectl evicts nothing then either). */
  private plan(run: Run, pods: PodObject[]): DrainPlan {
    const plan = planDrain({ pods, options: { deleteEmptyDirData: run.cmd.deleteEmptyDirData, force: run.cmd.force } });
    if (plan.refuse.length > 0) {
      const words = plan.refuse.map((r) => `${r.message ?? r.reason}: ${r.pod}`).join('; ');
      throw new OperationFailure('DrainRefused', `cannot drain node "${run.cmd.name}": ${words}`, { result: { node: run.cmd.name, refuse: plan.refuse } });
    }
    return plan;
  }

  private reportGone(run: Run, pods: PodObject[]): void {
    for (const key of run.state.sweep(pods)) {
      run.op.progress({ current: run.state.gone.size, total: Math.max(run.state.total, run.state.gone.size), message: `${key} gone` });
    }
  }

  private async evictDue(run: Run, plan: DrainPlan, pods: PodObject[]): Promise<void> {
    const due = run.state.due(plan, pods, Date.now());
    for (let i = 0; i < due.length; i += PARALLEL) {
      await Promise.all(due.slice(i, i + PARALLEL).map((pod) => this.evictOne(run, pod)));
    }
  }

  private async evictOne(run: Run, pod: PodObject): Promise<void> {
    const { state, op } = run;
    const key = podKey(pod);
    const attempt = await run.evictions.evict({ namespace: pod.metadata.namespace, name: pod.metadata.name }, {
      as: run.as, signal: op.signal, gracePeriodSeconds: run.cmd.gracePeriodSeconds,
    }).catch((err: unknown) => multipleBudgets(err));
    if (attempt.outcome === 'blocked') {
      const block = blockOf(attempt, pod) ?? (await guessBlock(run.reader, pod, attempt));
      if (state.refused(block, Date.now())) op.progress({ current: state.gone.size, total: state.total, message: `${key} blocked: ${block.message}` });
      return;
    }
    state.accepted(pod);
    if (attempt.outcome === 'evicted') op.progress({ current: state.gone.size, total: state.total, message: `${key} evicted` });
  }

  private timedOut(run: Run, plan: DrainPlan): never {
    const seconds = run.cmd.timeoutSeconds ?? DEFAULT_DRAIN_TIMEOUT_SECONDS;
    const blocked = [...run.state.blocked.values()];
    if (blocked.length > 0) {
      throw new OperationFailure('DrainBlocked', `drain of node "${run.cmd.name}" did not finish within ${seconds} s: ${describeBlocks(blocked)}`, {
        result: run.state.result(run.cmd.name, plan, true),
      });
    }
    const waiting = [...plan.evict, ...run.state.leaving()];
    throw new OperationFailure('DrainTimeout', `drain of node "${run.cmd.name}" did not finish within ${seconds} s: still on the node: ${waiting.join(', ')}`, {
      result: run.state.result(run.cmd.name, plan, true),
    });
  }
}

/** Two budgets over one pod: the apiserver answers 500 with these words; no retry will help, so it stays blocked. */
const multipleBudgets = (err: unknown): { outcome: 'blocked'; message: string } => {
  if (isKubeError(err) && err.message.startsWith('This pod has more than one PodDisruptionBudget')) return { outcome: 'blocked', message: err.message };
  throw err;
};
