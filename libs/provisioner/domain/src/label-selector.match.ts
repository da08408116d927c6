import type { LabelSelector, LabelSelectorRequirement } from 'kubernetes-types/meta/v1';

const requirementMatches = (r: LabelSelectorRequirement, labels: Record<string, string>): boolean => {
  const has = Object.hasOwn(labels, r.key);
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In': return has && values.includes(labels[r.key]);
    case 'NotIn': return !has || !values.includes(labels[r.key]);
    case 'Exists': return has;
    case 'DoesNotExist': return !has;
    // An operator the apiserver would have refused: the selector is invalid and matches nothing.
    default: return false;
  }
};

/** A selector with no requirements at all (`{}`), which `LabelSelectorAsSelector` turns into "everything". */
export const isEmptySelector = (selector: LabelSelector | undefined): boolean =>
  selector !== undefined && Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0;

/**
 * Whether a label selector selects these labels: matchLabels and matchExpressions ANDed.
 * A missing selector selects nothing; an empty one everything (callers that must treat an
 * empty selector as "nothing", like the eviction handler, check isEmptySelector first).
 */
export const selectorMatches = (selector: LabelSelector | undefined, labels: Record<string, string> = {}): boolean => {
  if (selector === undefined) return false;
  const exact = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  return exact && (selector.matchExpressions ?? []).every((r) => requirementMatches(r, labels));
};
