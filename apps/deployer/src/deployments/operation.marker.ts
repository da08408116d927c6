import type { Deployment, DeploymentPatch } from '@bosun/deployer-domain';

/**
 * Crash safety: a mutation writes, in the same request, the operation's id onto the
 * Deployment's own metadata (not the pod template, so it makes no revision). A retried
 * or re-run job that finds its id there knows its mutation already happened and only
 * tracks the rollout; so a restart or rollback is never applied twice.
 */
export const OPERATION_ID_ANNOTATION = 'bosun.dev/operation-id';
/**
 * The last few operation ids, newest first: a job re-run after a later operation already
 * changed the Deployment (its id is no longer the newest) still recognises its own work.
 */
export const RECENT_OPERATIONS_ANNOTATION = 'bosun.dev/recent-operations';
const RECENT_KEPT = 10;

const recentOf = (d: Deployment | undefined): string[] =>
  (d?.metadata?.annotations?.[RECENT_OPERATIONS_ANNOTATION] ?? '').split(',').map((s) => s.trim()).filter(Boolean);

/** Has this operation's mutation already been made on this Deployment? */
export const isMarkedDone = (d: Deployment | undefined, operationId: string): boolean =>
  d?.metadata?.annotations?.[OPERATION_ID_ANNOTATION] === operationId || recentOf(d).includes(operationId);

/** The annotations that record this operation on top of what the Deployment already remembers. */
export const markerAnnotations = (live: Deployment | undefined, operationId: string): Record<string, string> => ({
  [OPERATION_ID_ANNOTATION]: operationId,
  [RECENT_OPERATIONS_ANNOTATION]: [operationId, ...recentOf(live).filter((id) => id !== operationId)].slice(0, RECENT_KEPT).join(','),
});

/**
 * Adds the marker to a patch and makes it conditional on the `resourceVersion` that was
 * read: if anything changed the Deployment since (another worker on the same operation,
 * say), the apiserver answers 409 Conflict and the retry re-reads instead of patching blind.
 */
export const withMarker = (patch: DeploymentPatch, live: Deployment, operationId: string): DeploymentPatch => {
  const markers = markerAnnotations(live, operationId);
  const resourceVersion = (live.metadata as { resourceVersion?: string } | undefined)?.resourceVersion;
  if (patch.type === 'json') {
    const ops = [...patch.body];
    const whole = ops.findIndex((op) => op.path === '/metadata/annotations' && (op.op === 'add' || op.op === 'replace'));
    if (whole >= 0) ops[whole] = { ...ops[whole], value: { ...(ops[whole].value as Record<string, string>), ...markers } };
    else ops.push({ op: 'add', path: '/metadata/annotations', value: { ...(live.metadata?.annotations ?? {}), ...markers } });
    if (resourceVersion) ops.push({ op: 'replace', path: '/metadata/resourceVersion', value: resourceVersion });
    return { type: 'json', body: ops };
  }
  const metadata = (patch.body.metadata ?? {}) as { annotations?: Record<string, string> };
  return {
    type: patch.type,
    body: {
      ...patch.body,
      metadata: { ...metadata, annotations: { ...(metadata.annotations ?? {}), ...markers }, ...(resourceVersion ? { resourceVersion } : {}) },
    },
  };
};
