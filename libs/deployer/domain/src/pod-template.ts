import { POD_TEMPLATE_HASH, type PodTemplateSpec } from './kube-types';

/**
 * A ReplicaSet's template is the Deployment's template plus the `pod-template-hash` label
 * the controller adds (004:1386-1416 shows it under "Pod Template: Labels"). Rolling back
 * applies the template without it.
 */
export const withoutTemplateHash = (template: PodTemplateSpec): PodTemplateSpec => {
  const labels = { ...(template.metadata?.labels ?? {}) };
  delete labels[POD_TEMPLATE_HASH];
  return { ...template, metadata: { ...template.metadata, labels } };
};

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);

/** Structural equality that treats a missing member, `undefined` and `null` alike (as JSON does). */
export const deepEqual = (a: unknown, b: unknown): boolean => {
  if (a instanceof Date || b instanceof Date) {
    const time = (v: unknown): unknown => (v instanceof Date ? v.toISOString() : v);
    return time(a) === time(b);
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((k) => deepEqual(a[k], b[k]));
  }
  return (a ?? undefined) === (b ?? undefined);
};

/** Does the ReplicaSet's template match the Deployment's (ignoring the hash label and empty label maps)? */
export const templatesEqual = (a: PodTemplateSpec | undefined, b: PodTemplateSpec | undefined): boolean => {
  const norm = (t: PodTemplateSpec | undefined): PodTemplateSpec | undefined => {
    if (t === undefined) return undefined;
    const stripped = withoutTemplateHash(t);
    const labels = stripped.metadata?.labels;
    return labels && Object.keys(labels).length === 0 ? { ...stripped, metadata: { ...stripped.metadata, labels: undefined } } : stripped;
  };
  return deepEqual(norm(a), norm(b));
};
