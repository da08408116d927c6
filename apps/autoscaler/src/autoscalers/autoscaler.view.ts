import type { AutoscalerView } from '@bosun/contracts';
import { conditionList } from '@bosun/autoscaler-domain';
import type { AutoscalerDefinition, AutoscalerState } from './autoscaler.store';

type Live = Pick<AutoscalerView, 'currentReplicas' | 'desiredReplicas' | 'lastScaleTime' | 'metrics' | 'conditions'>;

/** A managed autoscaler's live half: its last evaluation (before the first one, the target's count and no conditions). */
export const managedLive = (def: AutoscalerDefinition, state: AutoscalerState | undefined, liveReplicas: number | undefined): Live => ({
  currentReplicas: state?.currentReplicas ?? liveReplicas ?? 0,
  desiredReplicas: state?.desiredReplicas ?? liveReplicas ?? 0,
  ...(state?.lastScaleTime ? { lastScaleTime: state.lastScaleTime } : {}),
  metrics: state?.metrics ?? def.request.metrics.map((m) => ({ name: m.name })),
  conditions: state ? conditionList(state.conditions) : [],
});

/** `GET /v1/autoscalers/{id}`. */
export const autoscalerView = (def: AutoscalerDefinition, live: Live): AutoscalerView => ({
  id: def.id, cluster: def.cluster, createdBy: def.actor.subject, createdAt: def.createdAt, intervalSeconds: def.request.intervalSeconds,
  target: def.request.target, mode: def.request.mode,
  minReplicas: def.request.minReplicas ?? 1, maxReplicas: def.request.maxReplicas, ...live,
});
