import type { FieldError } from '@bosun/contracts';
import type { DeploymentPatch } from './deployment.patches';
import { ANNOTATIONS, type Deployment, type PodTemplateSpec, type ReplicaSet } from './kube-types';
import { templatesEqual, withoutTemplateHash } from './pod-template';
import { fieldError } from '@bosun/contracts';
import { revisionedReplicaSets, revisionOf } from './revision-history';

export interface RollbackPlan {
  /** the revision whose template comes back. */
  toRevision: number;
  /** the Deployment's revision now. */
  fromRevision?: number;
  /**
   * true when the Deployment already runs that template: nothing to send, no new revision
   * (kubectl: "skipped rollback (current template already matches revision N)").
   */
  noop: boolean;
  /** the revision the old template will carry once the controller sees it: revisions only go up. */
  newRevision?: number;
  /** the target ReplicaSet's pod template without its `pod-template-hash` label. */
  template: PodTemplateSpec;
  /** the Deployment's annotations after the rollback: the old change cause comes back with the template. */
  annotations: Record<string, string>;
  /** JSON patch replacing the template and annotations; undefined when `noop`. */
  patch?: DeploymentPatch;
  message: string;
}

export type RollbackFailureCode = 'RevisionNotFound' | 'NoPreviousRevision' | 'DeploymentPaused';
/** Failed plans: `RevisionNotFound` and `NoPreviousRevision` are 422s at the edge, `DeploymentPaused` a 409. */
export type RollbackResult =
  | { ok: true; value: RollbackPlan }
  | { ok: false; code: RollbackFailureCode; errors: FieldError[] };

/** Annotations that describe a ReplicaSet's place in history, not the template: never copied back. */
const BOOKKEEPING = new Set([
  ANNOTATIONS.revision,
  ANNOTATIONS.revisionHistory,
  'deployment.kubernetes.io/desired-replicas',
  'deployment.kubernetes.io/max-replicas',
  'kubectl.kubernetes.io/last-applied-configuration',
]);

const annotationsAfter = (deployment: Deployment, target: ReplicaSet): Record<string, string> => {
  const kept = Object.entries(deployment.metadata?.annotations ?? {}).filter(([k]) => BOOKKEEPING.has(k));
  const restored = Object.entries(target.metadata?.annotations ?? {}).filter(([k]) => !BOOKKEEPING.has(k));
  return Object.fromEntries([...kept, ...restored]);
};

const failure = (code: RollbackFailureCode, path: string, message: string): RollbackResult => ({
  ok: false,
  code,
  errors: [fieldError(path, message)],
});

/**
 * `kubectl rollout undo [--to-revision=N]` as a plan (004:1386-1416, 000:20946-20988):
 * - without `toRevision`, the revision before the newest one;
 * - the old template is applied again and comes back as a NEW, higher revision (the old
 *   ReplicaSet is reused and renumbered: 1, 2, 3 → undo → 1, 3, 4);
 * - rolling back to the template already running is a no-op that makes no revision;
 * - a paused Deployment is refused, as kubectl does, because the controller would not act on
 *   the restored template until resumed (so 004:1641-1645's "undo while paused" fails there too).
 */
export const planRollback = (deployment: Deployment, replicaSets: ReplicaSet[], toRevision?: number): RollbackResult => {
  const name = deployment.metadata?.name ?? '';
  if (deployment.spec?.paused) {
    return failure('DeploymentPaused', 'paused', `deployment "${name}" is paused; resume it first, then roll back`);
  }
  const revisions = revisionedReplicaSets(deployment, replicaSets);
  const latest = revisions.at(-1)?.revision ?? 0;
  const target = toRevision === undefined ? revisions.at(-2) : revisions.find((r) => r.revision === toRevision);
  if (target === undefined) {
    return toRevision === undefined
      ? failure('NoPreviousRevision', 'toRevision', 'no previous revision to roll back to')
      : failure('RevisionNotFound', 'toRevision', `revision ${toRevision} not found`);
  }
  const template = withoutTemplateHash(target.rs.spec?.template ?? {});
  const annotations = annotationsAfter(deployment, target.rs);
  const fromRevision = revisionOf(deployment.metadata);
  if (templatesEqual(template, deployment.spec?.template)) {
    const message = `skipped rollback (current template already matches revision ${target.revision})`;
    return { ok: true, value: { toRevision: target.revision, fromRevision, noop: true, template, annotations, message } };
  }
  const newRevision = latest + 1;
  const patch: DeploymentPatch = {
    type: 'json',
    body: [
      { op: 'replace', path: '/spec/template', value: template },
      // add, not replace: it also works on a Deployment without annotations (RFC 6902 4.1).
      { op: 'add', path: '/metadata/annotations', value: annotations },
    ],
  };
  const message = `rolled back to revision ${target.revision}; it becomes revision ${newRevision}`;
  return { ok: true, value: { toRevision: target.revision, fromRevision, noop: false, newRevision, template, annotations, patch, message } };
};
