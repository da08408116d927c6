import type { KubeObject } from './kube.port';

/** A patch as the port sends it: merge/strategic bodies are objects, a JSON patch is an RFC 6902 list. */
export type MarkablePatch =
  | { type: 'strategic' | 'merge'; body: Record<string, unknown> }
  | { type: 'json'; body: { op: 'replace' | 'add' | 'remove' | 'test'; path: string; value?: unknown }[] };

type Annotated = Pick<KubeObject, 'metadata'> | { metadata?: { annotations?: Record<string, string>; resourceVersion?: string } };

/**
 * At most once per operation, for any object: a mutation writes, in the same request, the
 * operation's id onto the object's own metadata (for a Deployment not the pod template, so
 * it makes no revision). A retried, redelivered or resumed job that finds its id there
 * knows its change already happened and does not send it again.
 */
export const OPERATION_ID_ANNOTATION = 'bosun.dev/operation-id';
/**
 * The last few operation ids, newest first: a job re-run after a later operation already
 * changed the Deployment (its id is no longer the newest) still recognises its own work.
 */
export const RECENT_OPERATIONS_ANNOTATION = 'bosun.dev/recent-operations';
const RECENT_KEPT = 10;

const annotationsOf = (d: Annotated | undefined): Record<string, string> => ((d?.metadata as { annotations?: Record<string, string> } | undefined)?.annotations ?? {});

const recentOf = (d: Annotated | undefined): string[] =>
  (annotationsOf(d)[RECENT_OPERATIONS_ANNOTATION] ?? '').split(',').map((s) => s.trim()).filter(Boolean);

/** Has this operation's mutation already been made on this object? */
export const isMarkedDone = (d: Annotated | undefined, operationId: string): boolean =>
  annotationsOf(d)[OPERATION_ID_ANNOTATION] === operationId || recentOf(d).includes(operationId);

/** The annotations that record this operation on top of what the object already remembers. */
export const markerAnnotations = (live: Annotated | undefined, operationId: string): Record<string, string> => ({
  [OPERATION_ID_ANNOTATION]: operationId,
  [RECENT_OPERATIONS_ANNOTATION]: [operationId, ...recentOf(live).filter((id) => id !== operationId)].slice(0, RECENT_KEPT).join(','),
});

/**
 * Adds the marker to a patch and makes it conditional on the `resourceVersion` that was
 * read: if anything changed the object since (another worker on the same operation,
 * say), the apiserver answers 409 Conflict and the retry re-reads instead of patching blind.
 */
export const withMarker = <P extends MarkablePatch>(patch: P, live: Annotated, operationId: string): P => {
  const markers = markerAnnotations(live, operationId);
  const resourceVersion = (live.metadata as { resourceVersion?: string } | undefined)?.resourceVersion;
  if (patch.type === 'json') {
    const ops = [...patch.body];
    const whole = ops.findIndex((op) => op.path === '/metadata/annotations' && (op.op === 'add' || op.op === 'replace'));
    if (whole >= 0) ops[whole] = { ...ops[whole], value: { ...(ops[whole].value as Record<string, string>), ...markers } };
    else ops.push({ op: 'add', path: '/metadata/annotations', value: { ...annotationsOf(live), ...markers } });
    if (resourceVersion) ops.push({ op: 'replace', path: '/metadata/resourceVersion', value: resourceVersion });
    return { type: 'json', body: ops } as P;
  }
  const metadata = (patch.body.metadata ?? {}) as { annotations?: Record<string, string> };
  const body = { ...patch.body, metadata: { ...metadata, annotations: { ...(metadata.annotations ?? {}), ...markers }, ...(resourceVersion ? { resourceVersion } : {}) } };
  return { type: patch.type, body } as unknown as P;
};
