import { fail, fieldError, ok, type Result } from '@bosun/contracts';
import { KEYS, type StorageClass } from './kube-types';

// The default StorageClass (000:4411-4446): the annotation storageclass.kubernetes.io/is-default-class
// set to exactly "true" marks it (any other value, or none, is false); at most one may be marked,
// and two or more marked behave like none. Upstream also still honours the beta annotation.

/** Whether this class carries the default annotation (exactly "true"). */
export const isMarkedDefault = (sc: StorageClass): boolean => {
  const annotations = sc.metadata?.annotations ?? {};
  return annotations[KEYS.isDefaultClass] === 'true' || annotations[KEYS.betaIsDefaultClass] === 'true';
};

/** The classes marked default and the one that acts as default (none when zero or several are marked). */
export interface DefaultClassState {
  marked: string[];
  default?: string;
}

export const defaultClassState = (classes: readonly StorageClass[]): DefaultClassState => {
  const marked = classes.filter(isMarkedDefault).map((sc) => sc.metadata?.name ?? '').sort();
  return marked.length === 1 ? { marked, default: marked[0] } : { marked };
};

/** A merge patch on one StorageClass, applied in the order given. */
export interface ClassPatch {
  name: string;
  patch: { metadata: { annotations: Record<string, string> } };
}

const annotate = (name: string, value: 'true' | 'false', beta: boolean): ClassPatch => ({
  name,
  patch: { metadata: { annotations: { [KEYS.isDefaultClass]: value, ...(beta ? { [KEYS.betaIsDefaultClass]: value } : {}) } } },
});

const hasBetaMark = (sc: StorageClass): boolean => sc.metadata?.annotations?.[KEYS.betaIsDefaultClass] === 'true';

/**
 * The ordered patches that make `target` the only default: first unmark every other marked
 * class (`"false"`, as the seed's kubectl patch does), then mark the target — so that no moment
 * has two defaults, which would leave claims without a default class. `[]` when it already is
 * the only default; a FieldError on `name` when the class does not exist.
 */
export const planDefaultClassSwitch = (classes: readonly StorageClass[], target: string): Result<ClassPatch[]> => {
  const wanted = classes.find((sc) => sc.metadata?.name === target);
  if (!wanted) return fail([fieldError('name', `storageclass.storage.k8s.io "${target}" not found`)]);
  const unset = classes
    .filter((sc) => sc.metadata?.name !== target && isMarkedDefault(sc))
    .sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''))
    .map((sc) => annotate(sc.metadata?.name ?? '', 'false', hasBetaMark(sc)));
  const targetDone = wanted.metadata?.annotations?.[KEYS.isDefaultClass] === 'true';
  return ok([...unset, ...(targetDone ? [] : [annotate(target, 'true', false)])]);
};
