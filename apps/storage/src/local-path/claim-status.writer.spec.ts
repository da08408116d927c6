import type { KubePort } from '@bosun/kube';
import { patchClaimStatus } from './claim-status.writer';

const ref = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: 'ns', name: 'data' };

describe('patchClaimStatus', () => {
  it('merge-patches the claim\'s /status subresource through the port', async () => {
    const patchStatus = jest.fn(async () => ({}));
    await patchClaimStatus({ patchStatus } as unknown as KubePort, ref, { capacity: { storage: '2Gi' } });
    expect(patchStatus).toHaveBeenCalledWith(ref, { status: { capacity: { storage: '2Gi' } } }, 'merge');
  });
});
