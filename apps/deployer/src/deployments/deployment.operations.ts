import { Inject, Injectable } from '@nestjs/common';
import type { DeploymentView } from '@bosun/contracts';
import { BOSUN_CONFIG } from '@bosun/config';
import type { BosunConfig } from '@bosun/config';
import { diagnose, toDeploymentView } from '@bosun/deployer-domain';
import { CLUSTER_REGISTRY } from '@bosun/kube';
import type { ClusterRegistry } from '@bosun/kube';
import type { BosunLogger } from '@bosun/logging';
import { LOGGER, OperationFailure, SECRET_PURPOSES, SecretBox } from '@bosun/service-kit';
import type { OperationContext } from '@bosun/service-kit';
import type { DeployerCommand } from './command.payload';
import { DeploymentMutations } from './deployment.mutations';
import type { MutationOutcome } from './deployment.mutations';
import { DeploymentRepository } from './deployment.repository';
import { RolloutInformers } from './rollout.informers';
import type { RolloutSnapshot } from './rollout.judge';
import { trackRollout } from './rollout.watch';
import type { TrackOutcome } from './rollout.watch';

/**
 * The work of one deployer operation: the mutation (at most once, see the operation marker)
 * → tracking on the shared informers with progress → the result, or an OperationFailure
 * with the evidence. Resumable: a retry or a resumed job re-reads the cluster instead of
 * replaying steps. The kit does everything around it (see OperationEngine).
 */
@Injectable()
export class DeploymentOperations {
  /** Opens the deploy commands' sealed env values, only to build the manifest it applies. */
  private readonly sealedValues?: SecretBox;

  constructor(
    private readonly informers: RolloutInformers,
    @Inject(CLUSTER_REGISTRY) private readonly registry: ClusterRegistry,
    @Inject(BOSUN_CONFIG) private readonly config: BosunConfig,
    @Inject(LOGGER) private readonly logger: BosunLogger,
  ) {
    this.sealedValues = SecretBox.optional(config.encryptionKey, SECRET_PURPOSES.sealedValues);
  }

  async run(command: DeployerCommand, op: OperationContext): Promise<unknown> {
    const { operationId, cluster, identity: as, issuedAt, acceptedAt } = op.operation;
    const { namespace, name } = command.payload;
    const port = await this.registry.resolve(cluster);
    op.throwIfStopped();
    // A first run may start from the informers' copy (see MutationContext.cached); a retry reads the apiserver.
    const cached = op.operation.firstRun ? this.informers.cached(cluster) : undefined;
    const outcome = await new DeploymentMutations({ port, as, operationId, now: new Date(), issuedAt, cluster, sealedValues: this.sealedValues, cached }).perform(command);
    this.logger.info({ operationId, action: command.action, ns: namespace, name, alreadyDone: outcome.alreadyDone, generation: outcome.minGeneration }, 'mutation done');
    if (outcome.track === 'none') return outcome.notes;
    const deadline = acceptedAt + this.config.rolloutTimeoutSeconds * 1000;
    const tracked = await trackRollout(this.informers.source(cluster, namespace, name), {
      goal: outcome.track, minGeneration: outcome.minGeneration, deadline, signal: op.signal, onProgress: (p) => op.progress(p),
    });
    return this.conclude(command, tracked, outcome, new DeploymentRepository(port, as), op);
  }

  private async conclude(command: DeployerCommand, tracked: TrackOutcome, outcome: MutationOutcome, repo: DeploymentRepository, op: OperationContext): Promise<unknown> {
    const { name } = command.payload;
    switch (tracked.kind) {
      case 'aborted':
        throw op.stopped();
      case 'gone':
        throw new OperationFailure('NotFound', `deployments.apps "${name}" was deleted before its rollout finished`);
      case 'complete': {
        const view = viewOf(tracked.snapshot);
        this.logger.info({ operationId: op.operation.operationId, ns: command.payload.namespace, name, revision: view?.revision }, 'operation succeeded');
        return { ...view, ...outcome.notes };
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
