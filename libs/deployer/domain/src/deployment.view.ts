import type { DeploymentView } from '@bosun/contracts';
import type { Condition, Deployment, ReplicaSet } from './kube-types';
import { imagesOf, revisionOf } from './revision-history';
import { rolloutStatus } from './rollout-status';

const replicasOf = (d: Deployment): DeploymentView['replicas'] => ({
  desired: d.spec?.replicas ?? 1,
  updated: d.status?.updatedReplicas ?? 0,
  ready: d.status?.readyReplicas ?? 0,
  available: d.status?.availableReplicas ?? 0,
});

const conditionOf = ({ type, status, reason, message }: Condition): DeploymentView['conditions'][number] => ({
  type,
  status,
  ...(reason === undefined ? {} : { reason }),
  ...(message === undefined ? {} : { message }),
});

/**
 * `GET /v1/deployments/{ns}/{name}`: what `kubectl describe deployment` shows at the top
 * (000:12432-12436): replica counts, conditions, revision (0 before the controller set one).
 */
export const toDeploymentView = (deployment: Deployment, replicaSets: ReplicaSet[] = []): DeploymentView => {
  const rollout = rolloutStatus(deployment, replicaSets);
  return {
    namespace: deployment.metadata?.namespace ?? '',
    name: deployment.metadata?.name ?? '',
    images: imagesOf(deployment.spec?.template),
    revision: revisionOf(deployment.metadata) ?? 0,
    paused: deployment.spec?.paused === true,
    replicas: replicasOf(deployment),
    conditions: (deployment.status?.conditions ?? []).map(conditionOf),
    rollout: { state: rollout.state, message: rollout.message },
  };
};
