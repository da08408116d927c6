import type { AutoscalerCondition, LimitedBy } from '@bosun/contracts';
import type { LimitReason } from './behavior.limiter';
import type { HpaConditions } from './hpa.types';

// HPA status conditions in upstream's reasons and messages (000:13782-13796, 004:4255-4263).

export const condition = (status: 'True' | 'False', reason: string, message: string): AutoscalerCondition => ({ status, reason, message });

export const SUCCEEDED_GET_SCALE = condition('True', 'SucceededGetScale', "the HPA controller was able to get the target's current scale");
export const READY_FOR_NEW_SCALE = condition('True', 'ReadyForNewScale', 'recommended size matches current size');
export const SCALING_DISABLED = condition('False', 'ScalingDisabled', 'scaling is disabled since the replica count of the target is zero');
export const WITHIN_RANGE = condition('False', 'DesiredWithinRange', 'the desired count is within the acceptable range');
export const ABOVE_MAX = condition('True', 'TooManyReplicas', 'the desired replica count is more than the maximum replica count');
export const BELOW_MIN = condition('True', 'TooFewReplicas', 'the desired replica count is less than the minimum replica count');

export const validMetricFound = (description: string): AutoscalerCondition =>
  condition('True', 'ValidMetricFound', `the HPA was able to successfully calculate a replica count from ${description}`);

const LIMITED_BY: Record<LimitReason, LimitedBy | undefined> = {
  DesiredWithinRange: undefined, TooFewReplicas: 'minReplicas', TooManyReplicas: 'maxReplicas', ScaleUpLimit: 'scaleUpPolicy', ScaleDownLimit: 'scaleDownPolicy',
};
export const limitedByOf = (reason: LimitReason): LimitedBy | undefined => LIMITED_BY[reason];

/** The event upstream records on a rescale: `New size: 7; reason: cpu resource utilization (percentage of request) above target`. */
export const newSize = (replicas: number, reason: string): string => `New size: ${replicas}; reason: ${reason}`;

/** Bosun's words when the controller would not rescale, in the same form. */
export const keeping = (replicas: number, reason: string): string => `Keeping ${replicas} replica${replicas === 1 ? '' : 's'}; reason: ${reason}`;

/** The conditions as the autoscaler view lists them (`[{type, status, reason, message}]`, upstream's order). */
export const conditionList = (conditions: HpaConditions): ({ type: keyof HpaConditions } & AutoscalerCondition)[] =>
  (['AbleToScale', 'ScalingActive', 'ScalingLimited'] as const).map((type) => ({ type, ...conditions[type] }));
