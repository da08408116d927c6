import { z } from 'zod';
import { dnsLabel } from './common';
import { QUANTITY, QUANTITY_FORMAT } from './quantity.grammar';

// Wire shapes of the autoscaler (API.md "Autoscaling"). Structure, enums, ranges and the
// cross-field rules that need no arithmetic live here (superRefine, each issue naming its
// path); exact quantity checks (a target must be > 0) live in @bosun/autoscaler-domain.

const QUANTITY_MESSAGE = 'must be a Kubernetes quantity such as 100m, 0.5, 500Mi or 1k, or a number';
/** A target: a non-negative quantity, as a string (`"100m"`, `"500Mi"`) or a number (`50`). */
const targetValue = z.union([z.number().nonnegative(QUANTITY_MESSAGE), z.string().regex(QUANTITY, QUANTITY_MESSAGE)], { error: QUANTITY_MESSAGE });
/** An observed value: a signed quantity (external metrics may be negative). */
const observedValue = z.union([z.number(), z.string().regex(QUANTITY_FORMAT, QUANTITY_MESSAGE)], { error: QUANTITY_MESSAGE });
const replicas = (what: string): z.ZodNumber =>
  z.number({ error: `${what} must be an integer` }).int(`${what} must be an integer`).min(0, `${what} must be 0 or more`).max(1_000_000, `${what} must be at most 1000000`);
const required = (what: string): z.ZodString => z.string({ error: `${what} is required` }).min(1, `${what} is required`);
const isoTime = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time such as 2026-12-01T20:00:00Z' });

export const METRIC_TYPES = ['Resource', 'Pods', 'Object', 'External'] as const;
export const MANAGED_METRIC_TYPES = ['Resource', 'Queue', 'External'] as const;
export const TARGET_TYPES = ['Utilization', 'AverageValue', 'Value'] as const;
/** Which target types each metric type accepts (000:13600-13756; a Queue metric is a backlog per replica). */
export const ALLOWED_TARGET_TYPES: Record<string, readonly string[]> = {
  Resource: ['Utilization', 'AverageValue'],
  Pods: ['AverageValue'],
  Object: ['Value', 'AverageValue'],
  External: ['Value', 'AverageValue'],
  Queue: ['AverageValue'],
};

export const metricTargetSchema = z.strictObject({
  type: z.enum(TARGET_TYPES, { error: 'target.type must be Utilization, AverageValue or Value' }),
  value: targetValue,
});

/** One pod's sample: `value` (Utilization: % of request) or `usage` + `request` (the managed loop's pod metrics). */
export const podSampleSchema = z.strictObject({
  name: required('name'),
  value: observedValue.optional(),
  usage: observedValue.optional(),
  request: targetValue.optional(),
  ready: z.boolean().optional(),
  phase: z.enum(['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown']).optional(),
  deleting: z.boolean().optional(),
  /** CPU readiness (000:13227-13238): pod start, last Ready transition, sample time and window. */
  startTime: isoTime.optional(),
  readyTransitionTime: isoTime.optional(),
  metricTime: isoTime.optional(),
  metricWindowSeconds: z.number().positive().max(3600).optional(),
});

export const recommendationMetricSchema = z.strictObject({
  name: required('name').max(253),
  type: z.enum(METRIC_TYPES, { error: 'type must be Resource, Pods, Object or External' }),
  resource: z.enum(['cpu', 'memory'], { error: 'resource must be cpu or memory' }).optional(),
  target: metricTargetSchema,
  pods: z.array(podSampleSchema).max(10_000).optional(),
  value: observedValue.optional(),
  /** External only: at or below this backlog the metric is inactive (scale to zero). */
  activation: z.number().nonnegative().optional(),
});

export const scalingPolicySchema = z.strictObject({
  type: z.enum(['Pods', 'Percent'], { error: 'type must be Pods or Percent' }),
  value: z.number().int('value must be an integer').positive('value must be greater than 0'),
  periodSeconds: z.number().int().positive('periodSeconds must be greater than 0').max(1800, 'periodSeconds must be at most 1800'),
});

/** autoscaling/v2 HPAScalingRules; `tolerance` is the per-direction tolerance (a fraction, 0.05 = 5 %). */
export const scalingRulesSchema = z.strictObject({
  stabilizationWindowSeconds: z.number().int().min(0, 'must be 0 or more').max(3600, 'must be at most 3600').optional(),
  selectPolicy: z.enum(['Max', 'Min', 'Disabled'], { error: 'selectPolicy must be Max, Min or Disabled' }).optional(),
  policies: z.array(scalingPolicySchema).min(1, 'must specify at least one Policy').optional(),
  tolerance: z.number().nonnegative('tolerance must be 0 or more').optional(),
});
export const behaviorSchema = z.strictObject({ scaleUp: scalingRulesSchema.optional(), scaleDown: scalingRulesSchema.optional() });

export const historySchema = z.strictObject({
  recommendations: z.array(z.strictObject({ at: isoTime, replicas: replicas('replicas') })).default([]),
  scaleUpEvents: z.array(z.strictObject({ at: isoTime, change: replicas('change') })).default([]),
  scaleDownEvents: z.array(z.strictObject({ at: isoTime, change: replicas('change') })).default([]),
});

type Issue = { path: (string | number)[]; message: string };
const a = (type: string): string => (/^[AEIOU]/.test(type) ? `an ${type}` : `a ${type}`);
const targetTypeIssues = (metrics: { type: string; target: { type: string } }[]): Issue[] =>
  metrics.flatMap((m, i) => {
    const allowed = ALLOWED_TARGET_TYPES[m.type] ?? [];
    return allowed.includes(m.target.type) ? [] : [{ path: ['metrics', i, 'target', 'type'], message: `${a(m.type)} metric allows target type ${allowed.join(' or ')}, not ${m.target.type}` }];
  });
const resourceIssues = (metrics: { type: string; resource?: string }[]): Issue[] =>
  metrics.flatMap((m, i) => {
    if (m.type === 'Resource' && m.resource === undefined) return [{ path: ['metrics', i, 'resource'], message: 'a Resource metric needs resource: cpu or memory' }];
    if (m.type !== 'Resource' && m.resource !== undefined) return [{ path: ['metrics', i, 'resource'], message: `resource is only for Resource metrics, not ${m.type}` }];
    return [];
  });
const rangeIssues = (body: { minReplicas?: number; maxReplicas: number }, zeroTypes: readonly string[], metrics: { type: string }[]): Issue[] => {
  const issues: Issue[] = [];
  const min = body.minReplicas ?? 1;
  if (min > body.maxReplicas) issues.push({ path: ['minReplicas'], message: `minReplicas (${min}) must be less than or equal to maxReplicas (${body.maxReplicas})` });
  if (body.maxReplicas < 1) issues.push({ path: ['maxReplicas'], message: 'maxReplicas must be 1 or more' });
  const other = metrics.findIndex((m) => !zeroTypes.includes(m.type));
  if (min === 0 && other >= 0) {
    issues.push({ path: ['minReplicas'], message: `minReplicas may be 0 only when every metric is ${zeroTypes.join(' or ')} (metrics.${other} is ${metrics[other].type})` });
  }
  return issues;
};
const sampleIssues = (metrics: { type: string; pods?: unknown[]; value?: unknown; activation?: number }[]): Issue[] =>
  metrics.flatMap((m, i) => {
    const perPod = m.type === 'Resource' || m.type === 'Pods';
    const issues: Issue[] = [];
    if (perPod && m.value !== undefined) issues.push({ path: ['metrics', i, 'value'], message: `${a(m.type)} metric takes one sample per pod in pods, not value` });
    if (!perPod && m.pods !== undefined) issues.push({ path: ['metrics', i, 'pods'], message: `${a(m.type)} metric takes its observed value in value, not pods` });
    if (m.activation !== undefined && m.type !== 'External') issues.push({ path: ['metrics', i, 'activation'], message: 'activation is only for External metrics' });
    return issues;
  });
const duplicateNameIssues = (metrics: { name: string }[]): Issue[] => {
  const seen = new Set<string>();
  return metrics.flatMap((m, i) => {
    const dup = seen.has(m.name);
    seen.add(m.name);
    return dup ? [{ path: ['metrics', i, 'name'], message: `Duplicate value: "${m.name}"` }] : [];
  });
};
const report = (ctx: z.RefinementCtx, issues: Issue[]): void => {
  for (const issue of issues) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
};

/** `POST /v1/autoscaling/recommendation`: the HPA algorithm's input. */
export const recommendationRequestSchema = z
  .strictObject({
    currentReplicas: replicas('currentReplicas'),
    minReplicas: replicas('minReplicas').optional(),
    maxReplicas: replicas('maxReplicas'),
    readyPods: replicas('readyPods').optional(),
    tolerance: z.number().nonnegative('tolerance must be 0 or more').max(10).optional(),
    now: isoTime.optional(),
    metrics: z.array(recommendationMetricSchema).min(1, 'at least one metric is required').max(50),
    behavior: behaviorSchema.optional(),
    history: historySchema.optional(),
  })
  .superRefine((body, ctx) => {
    report(ctx, [
      ...rangeIssues(body, ['External'], body.metrics), ...targetTypeIssues(body.metrics), ...resourceIssues(body.metrics),
      ...sampleIssues(body.metrics), ...duplicateNameIssues(body.metrics),
    ]);
  });
export type RecommendationRequest = z.infer<typeof recommendationRequestSchema>;

const ladderSteps = z.array(z.tuple([z.number().int().nonnegative('must be 0 or more'), z.number().int().nonnegative('must be 0 or more')]), { error: 'must be a list of [threshold, replicas] pairs' });
/** cluster-proportional-autoscaler's linear parameters (000:4513-4604). */
export const linearParamsSchema = z
  .strictObject({
    coresPerReplica: z.number().nonnegative('coresPerReplica must be 0 or more').optional(),
    nodesPerReplica: z.number().nonnegative('nodesPerReplica must be 0 or more').optional(),
    min: z.number().int().nonnegative('min must be 0 or more').optional(),
    max: z.number().int().nonnegative('max must be 0 or more').optional(),
    preventSinglePointFailure: z.boolean().optional(),
  })
  .superRefine((p, ctx) => {
    if (!p.coresPerReplica && !p.nodesPerReplica) report(ctx, [{ path: ['coresPerReplica'], message: 'should at least provide either coresPerReplica or nodesPerReplica (greater than 0)' }]);
    const min = p.min || 1;
    if (p.max && p.max < min) report(ctx, [{ path: ['max'], message: `max replicas count ${p.max} should be greater than / equal to min replicas count ${min}` }]);
  });

/** `POST /v1/autoscaling/proportional`. */
export const proportionalRequestSchema = z
  .strictObject({
    nodes: z.number().int('nodes must be an integer').nonnegative('nodes must be 0 or more'),
    cores: z.number().int('cores must be an integer').nonnegative('cores must be 0 or more'),
    linear: linearParamsSchema.optional(),
    ladder: z.strictObject({ coresToReplicasMap: ladderSteps.optional(), nodesToReplicasMap: ladderSteps.optional() }).optional(),
  })
  .superRefine((body, ctx) => {
    if (body.linear && body.ladder) report(ctx, [{ path: ['ladder'], message: 'give either linear or ladder, not both' }]);
  });
export type ProportionalRequest = z.infer<typeof proportionalRequestSchema>;
export interface ProportionalResponse { replicas: number }

const URL_MESSAGE = 'must be an absolute URL';
export const queueSourceSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('bullmq'), name: required('name'), redisUrl: z.url(URL_MESSAGE).optional() }),
  z.strictObject({ kind: z.literal('jetstream'), stream: required('stream'), consumer: required('consumer'), natsUrl: z.url(URL_MESSAGE).optional() }),
], { error: 'queue.kind must be bullmq or jetstream' });

export const managedMetricSchema = z.strictObject({
  name: required('name').max(253),
  type: z.enum(MANAGED_METRIC_TYPES, { error: 'type must be Resource, Queue or External' }),
  resource: z.enum(['cpu', 'memory'], { error: 'resource must be cpu or memory' }).optional(),
  queue: queueSourceSchema.optional(),
  url: z.url(URL_MESSAGE).optional(),
  target: metricTargetSchema,
  activation: z.number().nonnegative('activation must be 0 or more').optional(),
});
export type ManagedMetric = z.infer<typeof managedMetricSchema>;

const sourceIssues = (metrics: ManagedMetric[]): Issue[] =>
  metrics.flatMap((m, i) => {
    const issues: Issue[] = [];
    if (m.type === 'Queue' && !m.queue) issues.push({ path: ['metrics', i, 'queue'], message: 'a Queue metric needs queue: {kind: bullmq, name} or {kind: jetstream, stream, consumer}' });
    if (m.type !== 'Queue' && m.queue) issues.push({ path: ['metrics', i, 'queue'], message: `queue is only for Queue metrics, not ${m.type}` });
    if (m.type === 'External' && !m.url) issues.push({ path: ['metrics', i, 'url'], message: 'an External metric needs url' });
    if (m.type !== 'External' && m.url) issues.push({ path: ['metrics', i, 'url'], message: `url is only for External metrics, not ${m.type}` });
    if (m.activation !== undefined && m.type === 'Resource') issues.push({ path: ['metrics', i, 'activation'], message: 'activation is only for Queue and External metrics' });
    return issues;
  });
const TOLERANCE_NATIVE = "a native autoscaler uses the cluster's tolerance (kube-controller-manager --horizontal-pod-autoscaler-tolerance)";
type NativeBody = { mode: string; metrics: ManagedMetric[]; tolerance?: number; behavior?: { scaleUp?: { tolerance?: number }; scaleDown?: { tolerance?: number } } };
const nativeIssues = (body: NativeBody): Issue[] => {
  if (body.mode !== 'native') return [];
  const issues: Issue[] = body.metrics.flatMap((m, i) =>
    m.type === 'Resource' ? [] : [{ path: ['metrics', i, 'type'], message: `a native autoscaler (autoscaling/v2 HorizontalPodAutoscaler) supports only Resource metrics, not ${m.type} metric "${m.name}"` }]);
  if (body.tolerance !== undefined) issues.push({ path: ['tolerance'], message: TOLERANCE_NATIVE });
  for (const direction of ['scaleUp', 'scaleDown'] as const) {
    if (body.behavior?.[direction]?.tolerance !== undefined) issues.push({ path: ['behavior', direction, 'tolerance'], message: TOLERANCE_NATIVE });
  }
  return issues;
};

/** `POST /v1/autoscalers`. */
export const autoscalerCreateRequestSchema = z
  .strictObject({
    target: z.strictObject({ kind: z.enum(['Deployment', 'StatefulSet'], { error: 'kind must be Deployment or StatefulSet' }), namespace: dnsLabel('namespace'), name: dnsLabel('name') }),
    minReplicas: replicas('minReplicas').optional(),
    maxReplicas: replicas('maxReplicas'),
    metrics: z.array(managedMetricSchema).min(1, 'at least one metric is required').max(50),
    behavior: behaviorSchema.optional(),
    tolerance: z.number().nonnegative('tolerance must be 0 or more').max(10).optional(),
    intervalSeconds: z.number().int('intervalSeconds must be an integer').min(1, 'intervalSeconds must be between 1 and 3600').max(3600, 'intervalSeconds must be between 1 and 3600').default(15),
    mode: z.enum(['managed', 'native'], { error: 'mode must be managed or native' }).default('managed'),
  })
  .superRefine((body, ctx) => {
    report(ctx, [
      ...rangeIssues(body, ['Queue', 'External'], body.metrics), ...targetTypeIssues(body.metrics), ...resourceIssues(body.metrics),
      ...sourceIssues(body.metrics), ...nativeIssues(body), ...duplicateNameIssues(body.metrics),
    ]);
  });
export type AutoscalerCreateRequest = z.infer<typeof autoscalerCreateRequestSchema>;

const simulateFields = {
  behavior: behaviorSchema.optional(),
  tolerance: z.number().nonnegative('tolerance must be 0 or more').max(10).optional(),
  minReplicas: replicas('minReplicas').optional(),
  maxReplicas: replicas('maxReplicas').optional(),
};
const simulateRange = (body: { minReplicas?: number; maxReplicas?: number }, ctx: z.RefinementCtx): void => {
  if (body.minReplicas !== undefined && body.maxReplicas !== undefined && body.minReplicas > body.maxReplicas) {
    report(ctx, [{ path: ['minReplicas'], message: `minReplicas (${body.minReplicas}) must be less than or equal to maxReplicas (${body.maxReplicas})` }]);
  }
};
/** `POST /v1/autoscalers/{id}/simulate`. */
export const simulateRequestSchema = z.strictObject(simulateFields).superRefine(simulateRange);
export type SimulateRequest = z.infer<typeof simulateRequestSchema>;

// ---- responses ----

export type ConditionStatus = 'True' | 'False';
/** One HPA status condition, with upstream's reason and message (000:13782-13796). */
export interface AutoscalerCondition { status: ConditionStatus; reason: string; message: string }
export type LimitedBy = 'minReplicas' | 'maxReplicas' | 'scaleUpPolicy' | 'scaleDownPolicy' | 'stabilization';

export interface MetricProposal {
  name: string;
  /** Replicas this metric asks for (after tolerance, unready and missing handling); absent when the metric failed. */
  proposal?: number;
  /** The observed value as a quantity: Utilization as an integer percentage of request, otherwise the (average) value. */
  current?: string;
  ignoredPods?: string[];
  missingPods?: string[];
  unreadyPods?: string[];
  /** Why the metric failed, in upstream's words. */
  error?: string;
}

/** `POST /v1/autoscaling/recommendation` → this. */
export interface RecommendationResponse {
  desiredReplicas: number;
  recommendation: number;
  limitedBy?: LimitedBy;
  perMetric: MetricProposal[];
  conditions: { AbleToScale: AutoscalerCondition; ScalingActive: AutoscalerCondition; ScalingLimited: AutoscalerCondition };
  explanation: string;
}

/** An item of `GET /v1/autoscalers/{id}/decisions`. */
export interface DecisionView {
  at: string;
  currentReplicas: number;
  desiredReplicas: number;
  recommendation: number;
  limitedBy?: LimitedBy;
  perMetric: MetricProposal[];
  explanation: string;
  /** The managed loop could not apply `desiredReplicas` (Kubernetes' reason and message, e.g. Forbidden). */
  scaleError?: { code: string; message: string };
}

export interface SimulationItem { at: string; actual: number; simulated: number }
export interface SimulationResponse { items: SimulationItem[] }

export interface AutoscalerView {
  id: string;
  /** The cluster the target is in (the query envelope's cluster at create). */
  cluster: string;
  /** The subject it was created by; every scale is made as them. */
  createdBy: string;
  createdAt: string;
  intervalSeconds: number;
  target: AutoscalerCreateRequest['target'];
  mode: 'managed' | 'native';
  minReplicas: number;
  maxReplicas: number;
  currentReplicas: number;
  desiredReplicas: number;
  lastScaleTime?: string;
  metrics: { name: string; current?: string }[];
  conditions: ({ type: 'AbleToScale' | 'ScalingActive' | 'ScalingLimited' } & AutoscalerCondition)[];
}

// ---- the service's NATS surface (the gateway and chat call these) ----

/**
 * Query names (subject `querySubject('autoscaler', name)` = `bosun.qry.autoscaler.<name>.v1`).
 * Every autoscaler call is a request/reply query: the pure ones compute, the managed ones
 * read or write the autoscaler's definition in Redis and answer at once (create → 201 with
 * the view). There are no autoscaler commands (no `bosun.cmd.autoscaler.*` subjects).
 */
export const AUTOSCALER_QUERIES = {
  recommendation: 'recommendation', proportional: 'proportional', create: 'autoscalers-create', list: 'autoscalers-list',
  get: 'autoscalers-get', delete: 'autoscalers-delete', decisions: 'autoscalers-decisions', simulate: 'autoscalers-simulate',
} as const;
export type AutoscalerQueryName = (typeof AUTOSCALER_QUERIES)[keyof typeof AUTOSCALER_QUERIES];

/** An autoscaler id: `as-` and 10 lower-case letters or digits (also the native HPA's name). */
export const AUTOSCALER_ID = /^as-[a-z0-9]{10}$/;
export const autoscalerIdSchema = z.strictObject({ id: z.string({ error: 'id is required' }).regex(AUTOSCALER_ID, 'id must look like as-0123456789') });
export type AutoscalerIdParams = z.infer<typeof autoscalerIdSchema>;
/** `GET /v1/autoscalers?namespace=`: all of the cluster's autoscalers, or one namespace's. */
export const autoscalerListParamsSchema = z.strictObject({ namespace: dnsLabel('namespace').optional() });
/** `GET /v1/autoscalers/{id}/decisions?limit=` (default 50, newest first). */
export const decisionsParamsSchema = z.strictObject({
  id: autoscalerIdSchema.shape.id,
  limit: z.coerce.number({ error: 'limit must be an integer' }).int('limit must be an integer').min(1, 'limit must be between 1 and 500').max(500, 'limit must be between 1 and 500').default(50),
});
/** `POST /v1/autoscalers/{id}/simulate`: the path's id beside the body's overrides. */
export const simulateParamsSchema = z.strictObject({ id: autoscalerIdSchema.shape.id, ...simulateFields }).superRefine(simulateRange);

/** Every autoscaler query: `querySubject('autoscaler', name)` with these params. */
export const AUTOSCALER_QUERY_SCHEMAS = {
  recommendation: recommendationRequestSchema, proportional: proportionalRequestSchema, 'autoscalers-create': autoscalerCreateRequestSchema,
  'autoscalers-list': autoscalerListParamsSchema, 'autoscalers-get': autoscalerIdSchema, 'autoscalers-delete': autoscalerIdSchema,
  'autoscalers-decisions': decisionsParamsSchema, 'autoscalers-simulate': simulateParamsSchema,
} as const satisfies Record<AutoscalerQueryName, z.ZodType>;

export interface AutoscalerDeleteResult { id: string; deleted: true }
export interface DecisionsResponse { items: DecisionView[] }
export interface AutoscalerListResponse { items: AutoscalerView[] }

/** What each query answers (`{ok: true, value}`). */
export interface AutoscalerQueryResults {
  recommendation: RecommendationResponse; proportional: ProportionalResponse; 'autoscalers-create': AutoscalerView; 'autoscalers-list': AutoscalerListResponse;
  'autoscalers-get': AutoscalerView; 'autoscalers-delete': AutoscalerDeleteResult; 'autoscalers-decisions': DecisionsResponse; 'autoscalers-simulate': SimulationResponse;
}

/** Published on JetStream (stream BOSUN_EVT) each time the managed loop changes a target's replica count. */
export const AUTOSCALER_EVENT_SUBJECTS = { scaled: 'bosun.evt.autoscaler.scaled.v1' } as const;
export interface AutoscalerScaledEvent {
  autoscalerId: string; cluster: string; target: AutoscalerCreateRequest['target']; from: number; to: number; at: string;
  /** `New size: 3; reason: …` as upstream's event says it. */
  explanation: string;
  /** The subject the scale was made as (the autoscaler's creator). */
  actor: string;
}
