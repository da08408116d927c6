import type { DiagnosisCause } from '@bosun/contracts';
import { addQuantities, compareQuantities, formatQuantity, fromWhole, parseQuantity, subtractQuantities, type Quantity } from '@bosun/quantity';
import { HINTS } from './claim.hints';
import type { LimitRange, ResourceQuota } from './kube-types';

// What the API server's admission (ResourceQuota and LimitRanger plugins) would refuse about a
// claim, in their words (000:5576-5610, 000:5197-5276): a claim over quota or outside the
// LimitRange is never created — `persistentvolumeclaims "x" is forbidden: …` — so these are
// causes for a claim about to be created or expanded, not for one already Pending.

/** What admission sees: the claim's namespace, name, class (after defaulting) and requested storage. */
export interface AdmissionRequest {
  name?: string;
  className?: string;
  /** The storage the change adds: the full request for a new claim, the growth for an expansion. */
  addedStorage: Quantity;
  /** 1 for a new claim, 0 for an expansion. */
  addedClaims: 0 | 1;
  /** The claim's whole request after the change (LimitRange compares this). */
  request: Quantity;
}

const quantityOr = (text: string | undefined, fallback: Quantity): Quantity => {
  if (text === undefined) return fallback;
  const parsed = parseQuantity(String(text));
  return parsed.ok ? parsed.value : fallback;
};

const ZERO = fromWhole(0n);

/** The quota keys that count this claim: namespace-wide and per class (`<class>.storageclass.storage.k8s.io/…`). */
const countedKeys = (req: AdmissionRequest): [string, Quantity][] => {
  const keys: [string, Quantity][] = [['persistentvolumeclaims', fromWhole(BigInt(req.addedClaims))], ['requests.storage', req.addedStorage]];
  if (!req.className) return keys;
  const prefix = `${req.className}.storageclass.storage.k8s.io/`;
  return [...keys, [`${prefix}persistentvolumeclaims`, fromWhole(BigInt(req.addedClaims))], [`${prefix}requests.storage`, req.addedStorage]];
};

const forbidden = (req: AdmissionRequest, detail: string): string =>
  req.name ? `persistentvolumeclaims "${req.name}" is forbidden: ${detail}` : detail;

interface Exceeded { key: string; requested: Quantity; used: Quantity; hard: Quantity }

const exceededIn = (quota: ResourceQuota, req: AdmissionRequest): Exceeded[] => {
  const hardMap = quota.status?.hard ?? quota.spec?.hard ?? {};
  const usedMap = quota.status?.used ?? {};
  return countedKeys(req)
    .filter(([key, requested]) => hardMap[key] !== undefined && compareQuantities(requested, ZERO) > 0)
    .map(([key, requested]) => ({ key, requested, used: quantityOr(usedMap[key], ZERO), hard: quantityOr(hardMap[key], ZERO) }))
    .filter((e) => compareQuantities(addQuantities(e.used, e.requested), e.hard) > 0)
    .sort((a, b) => a.key.localeCompare(b.key));
};

const list = (items: Exceeded[], pick: (e: Exceeded) => Quantity): string => items.map((e) => `${e.key}=${formatQuantity(pick(e))}`).join(',');

/** One cause per ResourceQuota the change would exceed, worded as the quota admission plugin words it. */
export const quotaCauses = (quotas: readonly ResourceQuota[], req: AdmissionRequest): DiagnosisCause[] =>
  quotas.flatMap((quota) => {
    const exceeded = exceededIn(quota, req);
    if (exceeded.length === 0) return [];
    const detail = `exceeded quota: ${quota.metadata?.name ?? ''}, requested: ${list(exceeded, (e) => e.requested)}, ` +
      `used: ${list(exceeded, (e) => e.used)}, limited: ${list(exceeded, (e) => e.hard)}`;
    return [{ code: 'QuotaExceeded', message: forbidden(req, detail), hint: HINTS.QuotaExceeded }];
  });

/** LimitRange items of type PersistentVolumeClaim: min and max of `storage` against the request. */
export const limitRangeCauses = (ranges: readonly LimitRange[], req: AdmissionRequest): DiagnosisCause[] =>
  ranges.flatMap((range) => (range.spec?.limits ?? []).filter((l) => l.type === 'PersistentVolumeClaim')).flatMap((limit) => {
    const causes: DiagnosisCause[] = [];
    const min = limit.min?.storage === undefined ? undefined : quantityOr(limit.min.storage, ZERO);
    const max = limit.max?.storage === undefined ? undefined : quantityOr(limit.max.storage, ZERO);
    const asked = formatQuantity(req.request);
    if (min && compareQuantities(req.request, min) < 0) {
      const detail = `minimum storage usage per PersistentVolumeClaim is ${formatQuantity(min)}, but request is ${asked}`;
      causes.push({ code: 'LimitRangeMinimum', message: forbidden(req, detail), hint: HINTS.LimitRangeMinimum });
    }
    if (max && compareQuantities(req.request, max) > 0) {
      const detail = `maximum storage usage per PersistentVolumeClaim is ${formatQuantity(max)}, but request is ${asked}`;
      causes.push({ code: 'LimitRangeMaximum', message: forbidden(req, detail), hint: HINTS.LimitRangeMaximum });
    }
    return causes;
  });

/** Quota and LimitRange causes for a new claim of `request` (empty: admission lets it in). */
export const newClaimAdmission = (
  input: { name?: string; className?: string; request: Quantity },
  quotas: readonly ResourceQuota[] = [],
  ranges: readonly LimitRange[] = [],
): DiagnosisCause[] => {
  const req: AdmissionRequest = { ...input, addedStorage: input.request, addedClaims: 1 };
  return [...limitRangeCauses(ranges, req), ...quotaCauses(quotas, req)];
};

/** Quota causes for growing a claim from `from` to `to`: only the growth counts against requests.storage. */
export const expansionAdmission = (
  input: { name?: string; className?: string; from: Quantity; to: Quantity },
  quotas: readonly ResourceQuota[] = [],
): DiagnosisCause[] =>
  quotaCauses(quotas, { name: input.name, className: input.className, request: input.to, addedStorage: subtractQuantities(input.to, input.from), addedClaims: 0 });
