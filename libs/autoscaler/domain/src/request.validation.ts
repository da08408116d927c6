import {
  autoscalerCreateRequestSchema, proportionalRequestSchema, recommendationRequestSchema, simulateRequestSchema, toFieldErrors,
  type AutoscalerCreateRequest, type FieldError, type ProportionalRequest, type RecommendationRequest, type SimulateRequest,
} from '@bosun/contracts';
import { compareQuantities, parseQuantity } from '@bosun/quantity';
import type { QuantityValue } from './hpa.types';
import { quantityErrors } from './quantity.values';
import { fail, fieldError, ok, type Result } from '@bosun/contracts';

// The edge's checks: the contract's schema (structure, enums, ranges, cross-field rules, each
// issue at its path such as `metrics.0.target.type`) and then what needs exact quantities:
// a target must be greater than 0 (a ratio to 0 is meaningless) and a Utilization target is
// a whole percentage (upstream's `averageUtilization` is an int32).

const ZERO = { mantissa: 0n, exponent: 0, value: 0 };

const targetErrors = (target: { type: string; value: QuantityValue }, path: string): FieldError[] => {
  const text = String(target.value);
  const parsed = parseQuantity(text, `${path}.value`);
  if (!parsed.ok) return parsed.errors;
  if (compareQuantities(parsed.value, ZERO) <= 0) return [fieldError(`${path}.value`, `Invalid value: "${text}": must be greater than 0`)];
  if (target.type === 'Utilization' && !Number.isInteger(parsed.value.value)) {
    return [fieldError(`${path}.value`, `Invalid value: "${text}": a Utilization target is a whole percentage of the request, such as 50`)];
  }
  return [];
};

type PodLike = { value?: QuantityValue; usage?: QuantityValue; request?: QuantityValue };
const podErrors = (pods: PodLike[] | undefined, path: string): FieldError[] =>
  (pods ?? []).flatMap((pod, j) => [
    ...(['value', 'usage', 'request'] as const).flatMap((field) => (pod[field] === undefined ? [] : quantityErrors(pod[field] as QuantityValue, `${path}.pods.${j}.${field}`))),
    // Utilization is Σusage×100/Σrequests: a usage without its request cannot be weighed (upstream: "missing request for cpu")
    ...(pod.usage !== undefined && pod.request === undefined ? [fieldError(`${path}.pods.${j}.request`, 'a usage sample needs the pod\'s request')] : []),
  ]);

type MetricLike = { type: string; target: { type: string; value: QuantityValue }; pods?: PodLike[]; value?: QuantityValue };
const metricErrors = (metrics: MetricLike[]): FieldError[] =>
  metrics.flatMap((m, i) => [
    ...targetErrors(m.target, `metrics.${i}.target`),
    ...podErrors(m.pods, `metrics.${i}`),
    ...(m.value === undefined ? [] : quantityErrors(m.value, `metrics.${i}.value`)),
  ]);

/** The part of a zod schema this needs, so the domain does not depend on zod itself. */
interface Schema<T> { safeParse(body: unknown): { success: true; data: T } | { success: false; error: Parameters<typeof toFieldErrors>[0] } }

const parsed = <T>(schema: Schema<T>, body: unknown): Result<T> => {
  const r = schema.safeParse(body);
  return r.success ? ok(r.data) : fail(toFieldErrors(r.error));
};

const then = <T>(r: Result<T>, check: (value: T) => FieldError[]): Result<T> => {
  if (!r.ok) return r;
  const errors = check(r.value);
  return errors.length === 0 ? r : fail(errors);
};

/** `POST /v1/autoscaling/recommendation`: the typed body, or every invalid field with its path. */
export const validateRecommendationRequest = (body: unknown): Result<RecommendationRequest> =>
  then(parsed(recommendationRequestSchema, body), (req) => metricErrors(req.metrics));

/** `POST /v1/autoscalers`: the typed body (defaults applied: intervalSeconds 15, mode managed), or the invalid fields. */
export const validateAutoscalerRequest = (body: unknown): Result<AutoscalerCreateRequest> =>
  then(parsed(autoscalerCreateRequestSchema, body), (req) => req.metrics.flatMap((m, i) => targetErrors(m.target, `metrics.${i}.target`)));

/** `POST /v1/autoscaling/proportional`: the typed body, or the invalid fields. */
export const validateProportionalRequest = (body: unknown): Result<ProportionalRequest> => parsed(proportionalRequestSchema, body);

/** `POST /v1/autoscalers/{id}/simulate`: the typed overrides, or the invalid fields. */
export const validateSimulateRequest = (body: unknown): Result<SimulateRequest> => parsed(simulateRequestSchema, body);
