import type { KubePort } from '@bosun/kube';
import { patchClaimStatus } from './claim-status.writer';

const ref = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: 'ns', name: 'data' };

describe('patchClaimStatus', () => {
  it('uses the port\'s patchStatus when it has one', async () => {
    const patchStatus = jest.fn(async () => ({}));
    await patchClaimStatus({ patchStatus } as unknown as KubePort, ref, { capacity: { storage: '2Gi' } });
    expect(patchStatus).toHaveBeenCalledWith(ref, { status: { capacity: { storage: '2Gi' } } }, 'merge');
  });

  it('otherwise sends a merge patch to the /status subresource through the adapter\'s request path', async () => {
    const port = { pathOf: jest.fn(async () => '/api/v1/namespaces/ns/persistentvolumeclaims/data/status'), call: jest.fn(async () => ({})) };
    await patchClaimStatus(port as unknown as KubePort, ref, { capacity: { storage: '2Gi' } });
    expect(port.pathOf).toHaveBeenCalledWith(ref, 'status');
    expect(port.call).toHaveBeenCalledWith({}, expect.objectContaining({ method: 'PATCH', path: '/api/v1/namespaces/ns/persistentvolumeclaims/data/status', contentType: 'application/merge-patch+json', body: { status: { capacity: { storage: '2Gi' } } } }));
  });

  it('says so when the port can do neither', async () => {
    await expect(patchClaimStatus({} as KubePort, ref, {})).rejects.toThrow('cannot patch the status subresource');
  });
});
