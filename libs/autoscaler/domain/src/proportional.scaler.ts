// cluster-proportional-autoscaler's two controllers (000:4513-4604; kubernetes-sigs/
// cluster-proportional-autoscaler pkg/autoscaler/controller/{linear,ladder}controller).

export interface LinearParams {
  coresPerReplica?: number;
  nodesPerReplica?: number;
  min?: number;
  max?: number;
  preventSinglePointFailure?: boolean;
}
export interface LadderParams {
  coresToReplicasMap?: readonly (readonly [number, number])[];
  nodesToReplicasMap?: readonly (readonly [number, number])[];
}
export interface ProportionalInput { nodes: number; cores: number; linear?: LinearParams; ladder?: LadderParams }

/** The DNS autoscaler's `--default-params` (000:4543-4545). */
export const DEFAULT_LINEAR: Readonly<Required<Pick<LinearParams, 'coresPerReplica' | 'nodesPerReplica' | 'min'>>> = { coresPerReplica: 256, nodesPerReplica: 16, min: 1 };

/**
 * One dimension: `ceil(resources / perReplica)` capped by max (0 = none), then raised to min;
 * a dimension without a ratio asks for 1, unclamped, as upstream's `getExpectedReplicasFromParam`.
 */
const fromParam = (resources: number, perReplica: number | undefined, min: number, max: number): number => {
  if (!perReplica) return 1;
  let replicas = Math.ceil(resources / perReplica);
  if (max !== 0) replicas = Math.min(max, replicas);
  return Math.max(min, replicas);
};

/**
 * Linear mode: `max(ceil(cores / coresPerReplica), ceil(nodes / nodesPerReplica))` (000:4583-4584),
 * each clamped by min/max, min forced to ≥ 1; preventSinglePointFailure asks for 2 as soon as
 * there is more than one node (applied after the clamp, as upstream does).
 */
export const linearReplicas = (nodes: number, cores: number, params: LinearParams): number => {
  const min = params.min || 1;
  const max = params.max ?? 0;
  const fromCores = fromParam(cores, params.coresPerReplica, min, max);
  let fromNodes = fromParam(nodes, params.nodesPerReplica, min, max);
  if (params.preventSinglePointFailure && nodes > 1 && fromNodes < 2) fromNodes = 2;
  return Math.max(fromCores, fromNodes);
};

/**
 * One ladder: the replicas of the largest step ≤ value; below the first step, the first step's
 * replicas (upstream's binary search lands there); no steps, 0.
 */
const fromSteps = (value: number, steps: readonly (readonly [number, number])[] | undefined): number => {
  if (!steps || steps.length === 0) return 0;
  const sorted = [...steps].sort((a, b) => a[0] - b[0]);
  let replicas = sorted[0][1];
  for (const [threshold, count] of sorted) {
    if (threshold > value) break;
    replicas = count;
  }
  return replicas;
};

/** Ladder mode: the larger of the cores step and the nodes step. */
export const ladderReplicas = (nodes: number, cores: number, params: LadderParams): number =>
  Math.max(fromSteps(cores, params.coresToReplicasMap), fromSteps(nodes, params.nodesToReplicasMap));

/** `POST /v1/autoscaling/proportional`: ladder when given, else linear (the seed's defaults when neither). */
export const proportionalReplicas = (input: ProportionalInput): { replicas: number } => ({
  replicas: input.ladder ? ladderReplicas(input.nodes, input.cores, input.ladder) : linearReplicas(input.nodes, input.cores, input.linear ?? DEFAULT_LINEAR),
});
