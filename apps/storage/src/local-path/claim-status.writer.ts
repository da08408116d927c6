import type { KubePort, ObjectRef } from '@bosun/kube';

/**
 * Writes a claim's `status` (capacity and conditions after a resize), as an external resizer
 * does: through the `/status` subresource, with Bosun's field manager.
 */
export const patchClaimStatus = async (port: KubePort, ref: ObjectRef, status: Record<string, unknown>): Promise<void> => {
  await port.patchStatus(ref, { status }, 'merge');
};
