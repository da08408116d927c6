import type { FieldError, TenantLimits } from '@bosun/contracts';
import { compareQuantities, formatQuantity, parseQuantity, type Quantity } from '@bosun/quantity';
import { fieldError } from '@bosun/contracts';

// LimitRange of type Container as the apiserver defaults and enforces it (000:1095-1538):
// defaulting happens when the LimitRange is stored, enforcement when a pod is admitted.

export type LimitedResource = 'cpu' | 'memory';
export const LIMITED_RESOURCES: readonly LimitedResource[] = ['cpu', 'memory'];
export type ResourceValues = Partial<Record<LimitedResource, string>>;
export type LimitField = 'defaultRequest' | 'default' | 'min' | 'max';

/** A `LimitRangeItem` of type Container, with only the fields Bosun sets. */
export interface ContainerLimitRangeItem {
  type: 'Container';
  default?: ResourceValues;
  defaultRequest?: ResourceValues;
  max?: ResourceValues;
  min?: ResourceValues;
}

/** A container's `resources` block. */
export interface ContainerResourceRequirements {
  requests?: ResourceValues;
  limits?: ResourceValues;
}

const nonEmpty = (values: ResourceValues): ResourceValues | undefined => (Object.keys(values).length > 0 ? values : undefined);

/**
 * The apiserver's defaulting of a Container item, in its order: a missing default limit
 * becomes the max; a missing default request becomes the default limit, else the min. So
 * only a default limit → defaultRequest = default (000:1095-1200); only min/max → default =
 * defaultRequest = max (000:1302-1312, 000:1432-1442).
 */
export const defaultContainerLimits = (limits: TenantLimits = {}): ContainerLimitRangeItem => {
  const defaults: ResourceValues = {};
  const defaultRequests: ResourceValues = {};
  for (const r of LIMITED_RESOURCES) {
    const limit = limits.default?.[r] ?? limits.max?.[r];
    const request = limits.defaultRequest?.[r] ?? limit ?? limits.min?.[r];
    if (limit !== undefined) defaults[r] = limit;
    if (request !== undefined) defaultRequests[r] = request;
  }
  const optional: Partial<Record<Exclude<keyof ContainerLimitRangeItem, 'type'>, ResourceValues | undefined>> = {
    default: nonEmpty(defaults), defaultRequest: nonEmpty(defaultRequests), max: nonEmpty({ ...limits.max }), min: nonEmpty({ ...limits.min }),
  };
  return { type: 'Container', ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)) };
};

/** How each field reads in a message, in the admission plugin's words. */
const WORDS: Record<LimitField, string> = { min: 'minimum', defaultRequest: 'default request', default: 'default limit', max: 'maximum' };

/**
 * The orderings upstream's LimitRange validation checks, each as [lower, upper, field the
 * error is reported on]: the more derived field carries the error, as upstream does.
 */
const ORDERINGS: readonly [LimitField, LimitField, LimitField][] = [
  ['min', 'max', 'min'],
  ['min', 'defaultRequest', 'defaultRequest'],
  ['defaultRequest', 'max', 'defaultRequest'],
  ['defaultRequest', 'default', 'defaultRequest'],
  ['min', 'default', 'default'],
  ['default', 'max', 'default'],
];

const bound = (field: LimitField, resource: LimitedResource): string =>
  field === 'default' ? `default ${resource} limit per Container` : `${WORDS[field]} ${resource} usage per Container`;

const orderingMessage = (lower: LimitField, upper: LimitField, checked: LimitField, resource: LimitedResource, q: Record<LimitField, Quantity>): string => {
  // The bound is the side that is not the checked field: "maximum … is 1Gi, but default limit is 2Gi."
  const other = checked === lower ? upper : lower;
  return `${bound(other, resource)} is ${formatQuantity(q[other])}, but ${WORDS[checked]} is ${formatQuantity(q[checked])}.`;
};

const parsedField = (limits: TenantLimits, resource: LimitedResource, base: string, errors: FieldError[]): Partial<Record<LimitField, Quantity>> => {
  const parsed: Partial<Record<LimitField, Quantity>> = {};
  for (const field of ['defaultRequest', 'default', 'min', 'max'] as LimitField[]) {
    const text = limits[field]?.[resource];
    if (text === undefined) continue;
    const result = parseQuantity(text, `${base}.${field}.${resource}`);
    if (result.ok) parsed[field] = result.value;
    else errors.push(...result.errors);
  }
  return parsed;
};

/**
 * min ≤ defaultRequest ≤ default ≤ max for every resource, over the values given (defaulting
 * only copies given values along that chain, so checking the given pairs checks the
 * defaulted item too). Paths name the request field (`limits.default.memory`).
 */
export const limitRangeErrors = (limits: TenantLimits | undefined, base = 'limits'): FieldError[] => {
  if (limits === undefined) return [];
  const errors: FieldError[] = [];
  for (const resource of LIMITED_RESOURCES) {
    const q = parsedField(limits, resource, base, errors);
    for (const [lower, upper, checked] of ORDERINGS) {
      const a = q[lower];
      const b = q[upper];
      if (a === undefined || b === undefined || compareQuantities(a, b) <= 0) continue;
      errors.push(fieldError(`${base}.${checked}.${resource}`, orderingMessage(lower, upper, checked, resource, q as Record<LimitField, Quantity>)));
    }
  }
  return errors;
};

/** What admission did to one container: its resources after defaulting, and why it is forbidden. */
export interface ContainerAdmission {
  resources: { requests: ResourceValues; limits: ResourceValues };
  /** The admission plugin's messages (000:1363, 000:1382, 000:1493, 000:1512); empty when the pod may be created. */
  errors: string[];
}

const q = (text: string): Quantity | undefined => {
  const r = parseQuantity(text);
  return r.ok ? r.value : undefined;
};

/** The apiserver stores quantities in canonical form: `0.75` comes back as `750m` (000:1256-1276). */
const canonical = (values: ResourceValues): ResourceValues =>
  Object.fromEntries(Object.entries(values).map(([r, text]) => {
    const parsed = q(text);
    return [r, parsed ? formatQuantity(parsed) : text];
  }));

const minMaxErrors = (item: ContainerLimitRangeItem, requests: ResourceValues, limits: ResourceValues, resource: LimitedResource): string[] => {
  const errors: string[] = [];
  const min = item.min?.[resource] !== undefined ? q(item.min[resource]) : undefined;
  const max = item.max?.[resource] !== undefined ? q(item.max[resource]) : undefined;
  const request = requests[resource] !== undefined ? q(requests[resource]) : undefined;
  const limit = limits[resource] !== undefined ? q(limits[resource]) : undefined;
  if (min && request && compareQuantities(request, min) < 0) {
    errors.push(`minimum ${resource} usage per Container is ${formatQuantity(min)}, but request is ${formatQuantity(request)}.`);
  }
  if (max && limit && compareQuantities(limit, max) > 0) {
    errors.push(`maximum ${resource} usage per Container is ${formatQuantity(max)}, but limit is ${formatQuantity(limit)}.`);
  }
  return errors;
};

/**
 * Admits one container against a LimitRange the way a pod create sees it: the pod's own
 * defaulting first (a limit without a request makes the request equal the limit, 000:1143-1162),
 * then the LimitRange's default limit and default request for what is still missing, then
 * the min/max checks with the apiserver's messages (000:1347-1382, 000:1477-1512).
 */
export const admitContainer = (limitRange: TenantLimits | ContainerLimitRangeItem, container: ContainerResourceRequirements = {}): ContainerAdmission => {
  const item = defaultContainerLimits(limitRange);
  const requests: ResourceValues = { ...container.requests };
  const limits: ResourceValues = { ...container.limits };
  const errors: string[] = [];
  for (const r of LIMITED_RESOURCES) {
    requests[r] ??= limits[r];
    limits[r] ??= item.default?.[r];
    requests[r] ??= item.defaultRequest?.[r];
    if (requests[r] === undefined) delete requests[r];
    if (limits[r] === undefined) delete limits[r];
    errors.push(...minMaxErrors(item, requests, limits, r));
  }
  return { resources: { requests: canonical(requests), limits: canonical(limits) }, errors };
};
