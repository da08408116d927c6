import type { Behavior, History, ScalingPolicy, ScalingRules, SelectPolicy } from './hpa.types';
import { HPA_DEFAULTS } from './hpa.types';
import { epochMs } from './quantity.values';

// The `behavior` path of upstream's horizontal.go (000:13364-13427): stabilization windows in
// both directions over the recorded recommendations, then Pods/Percent policies over
// `periodSeconds` of the recorded scale events, chosen by selectPolicy, then min/max.

/** HPAScalingRules with every field filled, as the API server's defaulting leaves them. */
export interface ResolvedRules { stabilizationWindowSeconds: number; selectPolicy: SelectPolicy; policies: readonly ScalingPolicy[] }
export interface ResolvedBehavior { scaleUp: ResolvedRules; scaleDown: ResolvedRules }

const SCALE_UP_POLICIES: readonly ScalingPolicy[] = [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }];
const SCALE_DOWN_POLICIES: readonly ScalingPolicy[] = [{ type: 'Percent', value: 100, periodSeconds: 15 }];

/**
 * Upstream's defaults, merged field by field into what was given (000:13405-13417): scale-up
 * window 0, max(4 pods, 100 %) per 15 s; scale-down window 300 s (the controller's
 * `--horizontal-pod-autoscaler-downscale-stabilization`), 100 % per 15 s; selectPolicy Max.
 */
export const resolveBehavior = (behavior: Behavior): ResolvedBehavior => ({
  scaleUp: resolveRules(behavior.scaleUp, 0, SCALE_UP_POLICIES),
  scaleDown: resolveRules(behavior.scaleDown, HPA_DEFAULTS.downscaleStabilizationSeconds, SCALE_DOWN_POLICIES),
});

const resolveRules = (rules: ScalingRules | undefined, window: number, policies: readonly ScalingPolicy[]): ResolvedRules => ({
  stabilizationWindowSeconds: rules?.stabilizationWindowSeconds ?? window,
  selectPolicy: rules?.selectPolicy ?? 'Max',
  policies: rules?.policies ?? policies,
});

export type StabilizationReason = 'ScaleUpStabilized' | 'ScaleDownStabilized';
export interface Stabilized { replicas: number; reason: StabilizationReason; message: string }

/**
 * `stabilizeRecommendationWithBehaviors`: the current count is raised to the lowest recommendation
 * of the scale-up window and lowered to the highest of the scale-down window (samples strictly
 * newer than the cutoff, the new recommendation included).
 */
export const stabilizeWithBehavior = (current: number, desired: number, behavior: ResolvedBehavior, history: History | undefined, nowMs: number): Stabilized => {
  let up = desired;
  let down = desired;
  const upCutoff = nowMs - behavior.scaleUp.stabilizationWindowSeconds * 1000;
  const downCutoff = nowMs - behavior.scaleDown.stabilizationWindowSeconds * 1000;
  for (const rec of history?.recommendations ?? []) {
    const at = epochMs(rec.at);
    if (at > upCutoff && rec.replicas < up) up = rec.replicas;
    if (at > downCutoff && rec.replicas > down) down = rec.replicas;
  }
  let replicas = current < up ? up : current;
  if (replicas > down) replicas = down;
  return desired >= current
    ? { replicas, reason: 'ScaleUpStabilized', message: 'recent recommendations were lower than current one, applying the lowest recent recommendation' }
    : { replicas, reason: 'ScaleDownStabilized', message: 'recent recommendations were higher than current one, applying the highest recent recommendation' };
};

/**
 * Without `behavior` (`stabilizeRecommendation`): the highest recommendation of the last 300 s,
 * samples at the cutoff included (000:13251-13258).
 */
export const stabilizeLegacy = (desired: number, history: History | undefined, nowMs: number): number => {
  const cutoff = nowMs - HPA_DEFAULTS.downscaleStabilizationSeconds * 1000;
  let highest = desired;
  for (const rec of history?.recommendations ?? []) {
    if (epochMs(rec.at) >= cutoff && rec.replicas > highest) highest = rec.replicas;
  }
  return highest;
};

/** Σ changes of the events strictly newer than `periodSeconds` ago (`getReplicasChangePerPeriod`). */
const changeInPeriod = (events: History['scaleUpEvents'], periodSeconds: number, nowMs: number): number => {
  const cutoff = nowMs - periodSeconds * 1000;
  let change = 0;
  for (const event of events ?? []) if (epochMs(event.at) > cutoff) change += event.change;
  return change;
};

const periodStart = (current: number, policy: ScalingPolicy, history: History | undefined, nowMs: number): number =>
  current - changeInPeriod(history?.scaleUpEvents, policy.periodSeconds, nowMs) + changeInPeriod(history?.scaleDownEvents, policy.periodSeconds, nowMs);

/**
 * The most replicas the scale-up policies allow now: from the count at the start of each
 * policy's period, Pods adds `value`, Percent multiplies by 1 + value/100 rounded up;
 * Max takes the largest, Min the smallest, Disabled keeps the current count.
 */
export const scaleUpLimit = (current: number, rules: ResolvedRules, history: History | undefined, nowMs: number): number => {
  if (rules.selectPolicy === 'Disabled') return current;
  const pick = rules.selectPolicy === 'Min' ? Math.min : Math.max;
  let limit = rules.selectPolicy === 'Min' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  for (const policy of rules.policies) {
    const start = periodStart(current, policy, history, nowMs);
    const proposed = policy.type === 'Pods' ? start + policy.value : Math.ceil(start * (1 + policy.value / 100));
    limit = pick(limit, proposed);
  }
  return limit;
};

/**
 * The fewest replicas the scale-down policies allow now: Pods subtracts `value`, Percent keeps
 * `int32(start × (1 − value/100))` (truncated: 72 × 0.9 = 64.8 → 64, a step of 8, 000:13381-13391);
 * Max takes the largest change (the lowest count), Min the smallest.
 */
export const scaleDownLimit = (current: number, rules: ResolvedRules, history: History | undefined, nowMs: number): number => {
  if (rules.selectPolicy === 'Disabled') return current;
  const pick = rules.selectPolicy === 'Min' ? Math.max : Math.min;
  let limit = rules.selectPolicy === 'Min' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  for (const policy of rules.policies) {
    const start = periodStart(current, policy, history, nowMs);
    const proposed = policy.type === 'Pods' ? start - policy.value : Math.trunc(start * (1 - policy.value / 100));
    limit = pick(limit, proposed);
  }
  return limit;
};

export type LimitReason = 'DesiredWithinRange' | 'ScaleUpLimit' | 'ScaleDownLimit' | 'TooManyReplicas' | 'TooFewReplicas';
export interface Limited { replicas: number; reason: LimitReason; message: string }

const WITHIN: Omit<Limited, 'replicas'> = { reason: 'DesiredWithinRange', message: 'the desired count is within the acceptable range' };
const TOO_MANY = { reason: 'TooManyReplicas', message: 'the desired replica count is more than the maximum replica count' } as const;
const TOO_FEW = { reason: 'TooFewReplicas', message: 'the desired replica count is less than the minimum replica count' } as const;
const UP_LIMIT = { reason: 'ScaleUpLimit', message: 'the desired replica count is increasing faster than the maximum scale rate' } as const;
const DOWN_LIMIT = { reason: 'ScaleDownLimit', message: 'the desired replica count is decreasing faster than the maximum scale rate' } as const;

const limited = (replicas: number, bound: Omit<Limited, 'replicas'>): Limited => ({ replicas, reason: bound.reason, message: bound.message });

/** `convertDesiredReplicasWithBehaviorRate`: the rate limit of the direction, then min/max. */
export const limitWithBehavior = (current: number, desired: number, min: number, max: number, behavior: ResolvedBehavior, history: History | undefined, nowMs: number): Limited => {
  if (desired > current) {
    const limit = Math.max(scaleUpLimit(current, behavior.scaleUp, history, nowMs), current);
    const allowed = max > limit ? limit : max;
    if (desired > allowed) return limited(allowed, max > limit ? UP_LIMIT : TOO_MANY);
  } else if (desired < current) {
    const limit = Math.min(scaleDownLimit(current, behavior.scaleDown, history, nowMs), current);
    const allowed = min < limit ? limit : min;
    if (desired < allowed) return limited(allowed, min < limit ? DOWN_LIMIT : TOO_FEW);
  }
  return limited(desired, WITHIN);
};

/**
 * `convertDesiredReplicasWithRules`, the path without `behavior`: min/max and the legacy
 * scale-up limit `max(2 × current, 4)` (upstream's guard against bogus usage reports).
 */
export const limitLegacy = (current: number, desired: number, min: number, max: number): Limited => {
  const upLimit = Math.max(2 * current, 4);
  const allowed = max > upLimit ? upLimit : max;
  if (desired < min) return limited(min, TOO_FEW);
  if (desired > allowed) return limited(allowed, max > upLimit ? UP_LIMIT : TOO_MANY);
  return limited(desired, WITHIN);
};
