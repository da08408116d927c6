import { Inject, Injectable } from '@nestjs/common';
import type { DeploymentView, Progress } from '@bosun/contracts';
import { BOSUN_CONFIG } from '@bosun/config';
import type { BosunConfig } from '@bosun/config';
import { diagnose, toDeploymentView } from '@bosun/deployer-domain';
import { CLUSTER_REGISTRY } from '@bosun/kube';
import type { ClusterRegistry } from '@bosun/kube';
import type { BosunLogger } from '@bosun/logging';
import { OperationReporter } from '@bosun/messaging';
import { LOGGER } from '@bosun/service-kit';
import { kubernetesIdentity } from './actor.identity';
import { DeploymentMutations } from './deployment.mutations';
import type { MutationOutcome } from './deployment.mutations';
import { DeploymentRepository } from './deployment.repository';
import { classifyFailure, OperationFailure, ReportedFailure } from './operation.failure';
import type { OperationJob, OperationJobData } from './operation.queue';
import { RolloutInformers } from './rollout.informers';
import type { RolloutSnapshot } from './rollout.judge';
import { trackRollout } from './rollout.watch';
import type { TrackOutcome } from './rollout.watch';

/** The service is stopping: the job goes back to the queue untouched, to be resumed elsewhere. */
export class Interrupted extends Error {
  constructor() {
    super('interrupted by shutdown');
    this.name = 'Interrupted';
  }
}

/**
 * One operation from job to terminal state: started → the mutation (at most once, see
 * operation.marker.ts) → tracking on the shared informers with progress events →
 * succeeded or failed. Resumable: a retry re-reads the cluster instead of replaying steps.
 */
@Injectable()
export class OperationRunner {
  constructor(
    private readonly reporter: OperationReporter,
    private readonly informers: RolloutInformers,
    @Inject(CLUSTER_REGISTRY) private readonly registry: ClusterRegistry,
    @Inject(BOSUN_CONFIG) private readonly config: BosunConfig,
    @Inject(LOGGER) private readonly logger: BosunLogger,
  ) {}

  async run(job: OperationJob, signal: AbortSignal): Promise<void> {
    const { operationId } = job.data;
    try {
      await this.execute(job.data, job.timestamp, signal);
    } catch (err) {
      if (err instanceof Interrupted) throw err;
      const verdict = classifyFailure(err);
      const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      if (verdict.retryable && !lastAttempt) {
        this.logger.warn({ operationId, attempt: job.attemptsMade + 1, code: verdict.failure.code, err: verdict.failure.message }, 'operation attempt failed; will retry');
        throw err;
      }
      const { fieldErrors, ...error } = verdict.failure;
      this.logger.warn({ operationId, code: error.code, err: error.message }, 'operation failed');
      await this.reporter.failed(operationId, error, verdict.result ?? (fieldErrors ? { errors: fieldErrors } : undefined));
      throw new ReportedFailure(error.message);
    }
  }

  private async execute(data: OperationJobData, enqueuedAt: number, signal: AbortSignal): Promise<void> {
    const { operationId, command, cluster } = data;
    const { namespace, name } = command.payload;
    await this.reporter.started(operationId, `${command.action} ${namespace}/${name}`);
    const port = this.registry.get(cluster);
    const as = kubernetesIdentity(data.actor);
    // Cancelled (or shutting down) before the change: it is not made.
    if (signal.aborted) throw new Interrupted();
    const outcome = await new DeploymentMutations({ port, as, operationId, now: new Date() }).perform(command);
    this.logger.info({ operationId, action: command.action, ns: namespace, name, alreadyDone: outcome.alreadyDone, generation: outcome.minGeneration }, 'mutation done');
    if (outcome.track === 'none') return this.reporter.succeeded(operationId, outcome.notes);
    let progressed = Promise.resolve();
    const onProgress = (progress: Progress): void => {
      // Chained, so progress events keep their order and all precede the terminal event.
      progressed = progressed.then(() => this.reporter.progressed(operationId, progress)).catch((err) => this.logger.warn({ operationId, err }, 'progress event not published'));
    };
    const deadline = enqueuedAt + this.config.rolloutTimeoutSeconds * 1000;
    const tracked = await trackRollout(this.informers.source(cluster, namespace, name), { goal: outcome.track, minGeneration: outcome.minGeneration, deadline, signal, onProgress });
    await progressed;
    await this.conclude(data, tracked, outcome, new DeploymentRepository(port, as));
  }

  private async conclude(data: OperationJobData, tracked: TrackOutcome, outcome: MutationOutcome, repo: DeploymentRepository): Promise<void> {
    const { operationId, command } = data;
    const { name } = command.payload;
    switch (tracked.kind) {
      case 'aborted':
        throw new Interrupted();
      case 'gone':
        throw new OperationFailure('NotFound', `deployments.apps "${name}" was deleted before its rollout finished`);
      case 'complete': {
        const view = viewOf(tracked.snapshot);
        this.logger.info({ operationId, ns: command.payload.namespace, name, revision: view?.revision }, 'operation succeeded');
        return this.reporter.succeeded(operationId, { ...view, ...outcome.notes });
      }
      case 'failed':
        throw new OperationFailure(tracked.code, tracked.message, { result: await this.evidence(tracked.snapshot, repo) });
      case 'timeout': {
        const message = `the rollout did not finish within ${this.config.rolloutTimeoutSeconds} s: ${tracked.message}`;
        throw new OperationFailure('RolloutTimeout', message, { result: await this.evidence(tracked.snapshot, repo) });
      }
    }
  }

  /** What a failed operation shows: the Deployment as it was and why its pods are unhappy. */
  private async evidence(snapshot: RolloutSnapshot, repo: DeploymentRepository): Promise<unknown> {
    const deployment = snapshot.deployment;
    if (!deployment) return undefined;
    try {
      const [pods, events] = await Promise.all([repo.podsOf(deployment), repo.eventsIn(deployment.metadata?.namespace ?? '')]);
      return { deployment: viewOf(snapshot), diagnosis: diagnose({ deployment, replicaSets: snapshot.replicaSets, pods, events }) };
    } catch (err) {
      this.logger.warn({ err }, 'could not diagnose the failed rollout');
      return { deployment: viewOf(snapshot) };
    }
  }
}

const viewOf = (s: RolloutSnapshot): DeploymentView | undefined =>
  s.deployment ? toDeploymentView(s.deployment, s.replicaSets) : undefined;
