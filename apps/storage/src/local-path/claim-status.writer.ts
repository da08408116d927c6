import type { KubeObject, KubePort, ObjectRef } from '@bosun/kube';

/** What the port would need: a patch of the `/status` subresource (see README → "Asked of the kit"). */
interface StatusCapable {
  patchStatus?: <T extends KubeObject>(ref: ObjectRef, patch: unknown, type: 'merge', opts?: object) => Promise<T>;
}
/** The adapter's request path as it is today (ClientNodeKubeAdapter.pathOf / call). */
interface AdapterInternals {
  pathOf?: (ref: ObjectRef, subresource?: string) => Promise<string>;
  call?: <T>(opts: object, req: { method: string; path: string; query?: Record<string, unknown>; body?: unknown; contentType?: string }) => Promise<T>;
}

/**
 * Writes a claim's `status` (capacity and conditions after a resize), as an external resizer
 * does. Status lives behind the `/status` subresource, which `KubePort.patch` cannot reach yet:
 * until the port grows `patchStatus` (asked of the lead), this goes through the adapter's own
 * request path, so it still uses the kit's transport, credentials and metrics.
 */
export const patchClaimStatus = async (port: KubePort, ref: ObjectRef, status: Record<string, unknown>): Promise<void> => {
  const capable = port as unknown as StatusCapable;
  if (typeof capable.patchStatus === 'function') {
    await capable.patchStatus(ref, { status }, 'merge');
    return;
  }
  const internals = port as unknown as AdapterInternals;
  if (typeof internals.pathOf !== 'function' || typeof internals.call !== 'function') {
    throw new Error('this Kubernetes port cannot patch the status subresource');
  }
  const path = await internals.pathOf.call(port, ref, 'status');
  await internals.call.call(port, {}, {
    method: 'PATCH', path, query: { fieldManager: 'bosun' }, body: { status }, contentType: 'application/merge-patch+json',
  });
};
