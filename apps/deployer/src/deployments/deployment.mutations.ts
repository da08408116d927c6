import { AUTOSCALER_MANAGED_BY_ANNOTATION } from '@bosun/contracts';
import type { DeployCommandPayload, DeploymentRef, RollbackPayload, SetImagePayload } from '@bosun/contracts';
import { buildDeploymentManifest, pausePatch, planRollback, recreateStrategyPatch, restartPatch, setImagePatch } from '@bosun/deployer-domain';
import type { DeploymentPatch } from '@bosun/deployer-domain';
import { isKubeError } from '@bosun/kube';
import type { Identity, KubePort } from '@bosun/kube';
import type { DeployerCommand, ScalePayload } from './command.payload';
import { DeploymentRepository, deploymentRef } from './deployment.repository';
import type { DeploymentObject } from './deployment.repository';
import { invalid, OperationFailure } from '@bosun/service-kit';
import type { SecretBox } from '@bosun/service-kit';
import { isMarkedDone, markerAnnotations, withMarker } from '@bosun/kube';
import type { TrackGoal } from './rollout.judge';
import { openSealedEnv } from './sealed-env';

export interface MutationContext {
  port: KubePort;
  /** the operation's subject: every call is made as it. */
  as: Identity;
  operationId: string;
  now: Date;
  /** when the operation was requested: a delete never removes a Deployment created after it */
  issuedAt: string;
  /** the operation's cluster: sealed env values are bound to it */
  cluster: string;
  /** opens the deploy's sealed env values (BOSUN_ENCRYPTION_KEY) */
  sealedValues?: SecretBox;
  /**
   * The shared informers' copy of the cluster, given only on an operation's first run (nothing
   * of it can be in the cluster yet, so there is no earlier attempt's marker to read back).
   */
  cached?: CachedDeployments;
}

/** What the deployer's informers hold; it may lag the apiserver by a few milliseconds. */
export interface CachedDeployments {
  deployment(namespace: string, name: string): DeploymentObject | undefined;
  /** Any Deployment cached in the namespace: then the namespace exists (a terminating one refuses the apply at once). */
  namespaceInUse(namespace: string): boolean;
}

export interface MutationOutcome {
  /** what to wait for afterwards; `none` ends the operation at once. */
  track: TrackGoal | 'none';
  /** the Deployment's generation after the change: the tracker ignores older cached copies. */
  minGeneration: number;
  /** an earlier attempt of this operation already made the change; nothing was sent. */
  alreadyDone: boolean;
  /** extra words for the operation's result (set-image warnings, rollback plan, delete outcome). */
  notes?: Record<string, unknown>;
}

const CONFLICT_RETRIES = 5;
const generationOf = (d: DeploymentObject): number => d.metadata.generation ?? 0;
const GOALS: Record<DeployerCommand['action'], TrackGoal | 'none'> = {
  deploy: 'rollout', 'set-image': 'rollout', rollback: 'rollout', restart: 'rollout', resume: 'rollout', scale: 'rollout', pause: 'paused', delete: 'none',
};

/**
 * Makes one operation's change to the cluster, at most once per operation: a change that
 * carries the operation marker already is not sent again (see operation.marker.ts).
 */
export class DeploymentMutations {
  private readonly repo: DeploymentRepository;

  constructor(private readonly ctx: MutationContext) {
    this.repo = new DeploymentRepository(ctx.port, ctx.as);
  }

  /**
   * Conditional patches fail with 409 Conflict when anything, even a status update by the
   * controller, changed the Deployment between our read and our write: read again
   * (the marker check included) and retry a few times before leaving it to the job's retry.
   */
  async perform(command: DeployerCommand): Promise<MutationOutcome> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.once(command);
      } catch (err) {
        if (!isKubeError(err, 'Conflict') || attempt >= CONFLICT_RETRIES) throw err;
      }
    }
  }

  private once(command: DeployerCommand): Promise<MutationOutcome> {
    switch (command.action) {
      case 'deploy': return this.deploy(command.payload);
      case 'set-image': return this.setImage(command.payload);
      case 'rollback': return this.rollback(command.payload);
      case 'restart': return this.patchWith(command.payload, 'restart', () => restartPatch(this.ctx.now));
      case 'pause': return this.patchWith(command.payload, 'pause', () => pausePatch(true));
      case 'resume': return this.patchWith(command.payload, 'resume', () => pausePatch(false));
      case 'scale': return this.scale(command.payload);
      case 'delete': return this.delete(command.payload);
    }
  }

  /** Server-side apply (fieldManager bosun, forced: a deploy declares the whole Deployment). */
  private async deploy(req: DeployCommandPayload): Promise<MutationOutcome> {
    const live = this.ctx.cached ? await this.firstRunState(req, this.ctx.cached) : await this.currentState(req);
    if (live && isMarkedDone(live, this.ctx.operationId)) return this.done(live, 'deploy');
    const manifest = buildDeploymentManifest(openSealedEnv(req, this.ctx.cluster, this.ctx.sealedValues));
    const clear = live ? recreateStrategyPatch(live, manifest.spec.strategy.type) : undefined;
    if (clear) await this.ctx.port.patch(deploymentRef(req.namespace, req.name), clear.body, clear.type, { as: this.ctx.as });
    manifest.metadata.annotations = { ...manifest.metadata.annotations, ...markerAnnotations(live, this.ctx.operationId) };
    // An autoscaler owns the count now: keep what it chose (the seed's replicas trap, 004:4303-4321).
    const autoscaled = live?.metadata.annotations?.[AUTOSCALER_MANAGED_BY_ANNOTATION];
    if (autoscaled && live?.spec?.replicas !== undefined) manifest.spec.replicas = live.spec.replicas;
    const applied = await this.ctx.port.apply(manifest as unknown as DeploymentObject, { as: this.ctx.as, force: true });
    return { track: 'rollout', minGeneration: generationOf(applied), alreadyDone: false };
  }

  /**
   * A retry's view: read as the operation's subject, an earlier attempt's marker included. Both
   * reads at once (one multiplexed connection): a create into a missing namespace fails now,
   * not after the apiserver's 50 ms admission wait, without a second round trip first.
   */
  private async currentState(req: DeployCommandPayload): Promise<DeploymentObject | undefined> {
    const namespace = this.repo.requireNamespace(req.namespace);
    namespace.catch(() => undefined); // awaited below only for a create; never unhandled
    const live = await this.repo.get(req.namespace, req.name);
    if (!live) await namespace;
    return live;
  }

  /**
   * A first run's view, from the informers: no read-back is needed (no marker of this operation
   * can exist), and the apply itself is the authority — server-side apply as the operation's
   * subject. The namespace is read only when no Deployment of it is cached.
   */
  private async firstRunState(req: DeployCommandPayload, cached: CachedDeployments): Promise<DeploymentObject | undefined> {
    const live = cached.deployment(req.namespace, req.name);
    if (!live && !cached.namespaceInUse(req.namespace)) await this.repo.requireNamespace(req.namespace);
    return live;
  }

  private async setImage(p: SetImagePayload): Promise<MutationOutcome> {
    const live = await this.repo.require(p.namespace, p.name);
    if (isMarkedDone(live, this.ctx.operationId)) return this.done(live, 'set-image');
    const target = setImagePatch(live, p.image, p.container);
    if (!target.ok) throw invalid(target.errors, 'cannot set the image');
    // Without a cause of its own, the new revision would inherit the previous one's.
    const changeCause = p.changeCause ?? `set image ${target.value.container}=${p.image}`;
    const plan = setImagePatch(live, p.image, target.value.container, changeCause);
    if (!plan.ok) throw invalid(plan.errors, 'cannot set the image');
    const patched = await this.send(p, plan.value.patch, live);
    const notes = plan.value.warnings.length ? { warnings: plan.value.warnings } : undefined;
    return { track: 'rollout', minGeneration: generationOf(patched), alreadyDone: false, notes };
  }

  /** `rollout undo`: the old template comes back as a new, higher revision (planRollback). */
  private async rollback(p: RollbackPayload): Promise<MutationOutcome> {
    const live = await this.repo.require(p.namespace, p.name);
    if (isMarkedDone(live, this.ctx.operationId)) return this.done(live, 'rollback');
    const plan = planRollback(live, await this.repo.replicaSetsOf(live), p.toRevision);
    if (!plan.ok && plan.code === 'DeploymentPaused') {
      throw new OperationFailure('Conflict', plan.errors.map((e) => e.message).join('; '), { fieldErrors: plan.errors });
    }
    if (!plan.ok) throw invalid(plan.errors, 'cannot roll back');
    // A no-op rollback still records the marker, so a retry does not plan again against a newer state.
    const patch: DeploymentPatch = plan.value.patch ?? { type: 'merge', body: {} };
    const patched = await this.send(p, patch, live);
    const notes = { rollback: { toRevision: plan.value.toRevision, noop: plan.value.noop, message: plan.value.message } };
    return { track: 'rollout', minGeneration: generationOf(patched), alreadyDone: false, notes };
  }

  private async patchWith(ref: DeploymentRef, action: DeployerCommand['action'], patch: () => DeploymentPatch): Promise<MutationOutcome> {
    const live = await this.repo.require(ref.namespace, ref.name);
    if (isMarkedDone(live, this.ctx.operationId)) return this.done(live, action);
    const patched = await this.send(ref, patch(), live);
    return { track: GOALS[action], minGeneration: generationOf(patched), alreadyDone: false };
  }

  /**
   * A conditional patch of `spec.replicas` with the marker rather than the `/scale`
   * subresource: an absolute count looks harmless to repeat, but a redelivered old scale
   * would revert a newer one; the marker makes it once.
   */
  private async scale(p: ScalePayload): Promise<MutationOutcome> {
    return this.patchWith(p, 'scale', () => ({ type: 'merge', body: { spec: { replicas: p.replicas } } }));
  }

  /**
   * A Deployment already gone is a delete done (404 = done). One created after this delete
   * was requested (a newer deploy) is not the one it meant: it is left alone. The uid
   * precondition makes the apiserver refuse if the object was replaced between read and delete.
   */
  private async delete(p: DeploymentRef): Promise<MutationOutcome> {
    const live = await this.repo.get(p.namespace, p.name);
    const created = Date.parse(String(live?.metadata.creationTimestamp ?? ''));
    if (!live || created > Date.parse(this.ctx.issuedAt)) {
      const notes = { namespace: p.namespace, name: p.name, deleted: false, ...(live ? { reason: 'a newer Deployment with this name was created after the delete was requested' } : {}) };
      return { track: 'none', minGeneration: 0, alreadyDone: true, notes };
    }
    const uid = String(live.metadata.uid ?? '');
    const outcome = await this.ctx.port.delete(deploymentRef(p.namespace, p.name), { as: this.ctx.as, propagationPolicy: 'Background', ...(uid ? { preconditions: { uid } } : {}) });
    return { track: 'none', minGeneration: 0, alreadyDone: outcome === 'absent', notes: { namespace: p.namespace, name: p.name, deleted: outcome === 'deleted' } };
  }

  private send(ref: DeploymentRef, patch: DeploymentPatch, live: DeploymentObject): Promise<DeploymentObject> {
    const marked = withMarker(patch, live, this.ctx.operationId);
    return this.ctx.port.patch<DeploymentObject>(deploymentRef(ref.namespace, ref.name), marked.body, marked.type, { as: this.ctx.as });
  }

  private done(live: DeploymentObject, action: DeployerCommand['action']): MutationOutcome {
    return { track: GOALS[action], minGeneration: generationOf(live), alreadyDone: true };
  }
}
