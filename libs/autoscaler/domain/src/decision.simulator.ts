import type { DecisionView, SimulationItem } from '@bosun/contracts';
import type { Behavior, History, HpaInput, HpaRecommendation, Instant } from './hpa.types';
import { recommendReplicas } from './hpa.recommender';
import { epochMs } from './quantity.values';

/** One recorded evaluation: its inputs and what the controller decided. */
export interface RecordedDecision { at: Instant; input: HpaInput; desiredReplicas: number }
export interface SimulationOverrides { behavior?: Behavior; tolerance?: number; minReplicas?: number; maxReplicas?: number }

/** The longest any window looks back: stabilization ≤ 3600 s, policy periods ≤ 1800 s. */
const RETENTION_MS = 3600 * 1000;

const newer = <T extends { at: Instant }>(items: T[] | undefined, cutoff: number): T[] => (items ?? []).filter((i) => epochMs(i.at) >= cutoff);

/**
 * The history after one evaluation, as upstream's controller keeps it in memory: the
 * recommendation (only when it went through stabilization) and the scale event of a rescale,
 * entries older than an hour dropped. The managed loop stores this and passes it next time.
 */
export const recordEvaluation = (history: History | undefined, at: Instant, currentReplicas: number, result: HpaRecommendation): History => {
  const atMs = epochMs(at);
  const cutoff = atMs - RETENTION_MS;
  const next: Required<History> = {
    recommendations: newer(history?.recommendations, cutoff),
    scaleUpEvents: newer(history?.scaleUpEvents, cutoff),
    scaleDownEvents: newer(history?.scaleDownEvents, cutoff),
  };
  if (result.conditions.AbleToScale.reason !== 'SucceededGetScale') next.recommendations.push({ at, replicas: result.recommendation });
  const change = result.desiredReplicas - currentReplicas;
  if (change > 0) next.scaleUpEvents.push({ at, change });
  if (change < 0) next.scaleDownEvents.push({ at, change: -change });
  return next;
};

const withOverrides = (input: HpaInput, overrides: SimulationOverrides, history: History | undefined, at: Instant): HpaInput => ({
  ...input,
  now: at,
  history,
  behavior: overrides.behavior ?? input.behavior,
  tolerance: overrides.tolerance ?? input.tolerance,
  minReplicas: overrides.minReplicas ?? input.minReplicas,
  maxReplicas: overrides.maxReplicas ?? input.maxReplicas,
});

/**
 * Replays recorded evaluations through the same algorithm with another behavior, tolerance or
 * min/max. Each evaluation keeps its observations (replica count, samples); the memory of
 * recommendations and scale events is the simulation's own, seeded with the oldest record's.
 * Items come back in the order given, each with the recorded (`actual`) and simulated count.
 */
export const simulate = (decisions: readonly RecordedDecision[], overrides: SimulationOverrides): SimulationItem[] => {
  const order = decisions.map((_, i) => i).sort((a, b) => epochMs(decisions[a].at) - epochMs(decisions[b].at));
  const simulated = new Array<number>(decisions.length);
  let history = order.length > 0 ? decisions[order[0]].input.history : undefined;
  for (const i of order) {
    const decision = decisions[i];
    const result = recommendReplicas(withOverrides(decision.input, overrides, history, decision.at));
    simulated[i] = result.desiredReplicas;
    history = recordEvaluation(history, decision.at, decision.input.currentReplicas, result);
  }
  return decisions.map((d, i) => ({ at: typeof d.at === 'number' ? new Date(d.at).toISOString() : d.at, actual: d.desiredReplicas, simulated: simulated[i] }));
};

/** An item of `GET /v1/autoscalers/{id}/decisions`: what was decided, from what, and why. */
export const decisionView = (at: Instant, currentReplicas: number, result: HpaRecommendation): DecisionView => {
  const view: DecisionView = {
    at: typeof at === 'number' ? new Date(at).toISOString() : at,
    currentReplicas,
    desiredReplicas: result.desiredReplicas,
    recommendation: result.recommendation,
    perMetric: result.perMetric,
    explanation: result.explanation,
  };
  if (result.limitedBy !== undefined) view.limitedBy = result.limitedBy;
  return view;
};
