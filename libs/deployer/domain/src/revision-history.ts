import type { HistoryItem } from '@bosun/contracts';
import { ANNOTATIONS, toIso, type Deployment, type ObjectMeta, type PodTemplateSpec, type ReplicaSet } from './kube-types';
import { templatesEqual } from './pod-template';

// A Deployment's history is its ReplicaSets: one per distinct pod template, named
// `<deployment>-<pod-template-hash>`, each with a `deployment.kubernetes.io/revision`
// annotation; only `.spec.template` changes make a new one (004:1312-1334, 1344, 1448).

/** The revision annotation as a positive integer, or undefined when absent or malformed. */
export const revisionOf = (meta: ObjectMeta | undefined): number | undefined => {
  const text = meta?.annotations?.[ANNOTATIONS.revision];
  if (text === undefined || !/^\d+$/.test(text)) return undefined;
  const n = Number(text);
  return n > 0 ? n : undefined;
};

/** ReplicaSets whose controller is this Deployment (by uid: a name can be reused after a delete). */
export const ownedReplicaSets = (deployment: Deployment, replicaSets: ReplicaSet[]): ReplicaSet[] => {
  const uid = deployment.metadata?.uid;
  if (uid === undefined) return [];
  return replicaSets.filter((rs) =>
    (rs.metadata?.ownerReferences ?? []).some((o) => o.uid === uid && o.controller !== false),
  );
};

/** Owned ReplicaSets that carry a revision, oldest revision first. */
export const revisionedReplicaSets = (deployment: Deployment, replicaSets: ReplicaSet[]): { revision: number; rs: ReplicaSet }[] =>
  ownedReplicaSets(deployment, replicaSets)
    .map((rs) => ({ revision: revisionOf(rs.metadata), rs }))
    .filter((x): x is { revision: number; rs: ReplicaSet } => x.revision !== undefined)
    .sort((a, b) => a.revision - b.revision);

export const imagesOf = (template: PodTemplateSpec | undefined): string[] =>
  (template?.spec?.containers ?? []).map((c) => c.image).filter((i): i is string => i !== undefined);

/**
 * The ReplicaSet running the Deployment's current template: the one whose template matches
 * (what the controller itself looks for), else the one with the Deployment's revision.
 */
export const newReplicaSet = (deployment: Deployment, replicaSets: ReplicaSet[]): ReplicaSet | undefined => {
  const owned = ownedReplicaSets(deployment, replicaSets);
  const byTemplate = owned.find((rs) => templatesEqual(rs.spec?.template, deployment.spec?.template));
  if (byTemplate) return byTemplate;
  const revision = revisionOf(deployment.metadata);
  return revision === undefined ? undefined : owned.find((rs) => revisionOf(rs.metadata) === revision);
};

/**
 * `kubectl rollout history`: oldest first. A rollback moves an old ReplicaSet to a new,
 * higher revision, so its old number disappears from the list (004:1386-1416,
 * 000:20946-20988): after 1, 2, 3 and `undo` to 2 the history reads 1, 3, 4.
 */
export const history = (deployment: Deployment, replicaSets: ReplicaSet[]): HistoryItem[] =>
  revisionedReplicaSets(deployment, replicaSets).map(({ revision, rs }) => {
    const item: HistoryItem = { revision, images: imagesOf(rs.spec?.template) };
    const changeCause = rs.metadata?.annotations?.[ANNOTATIONS.changeCause];
    if (changeCause !== undefined) item.changeCause = changeCause;
    const createdAt = toIso(rs.metadata?.creationTimestamp);
    if (createdAt !== undefined) item.createdAt = createdAt;
    return item;
  });
