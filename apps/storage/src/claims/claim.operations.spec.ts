import { createLogger } from '@bosun/logging';
import type { ClusterRegistry, KubeObject } from '@bosun/kube';
import type { OperationContext } from '@bosun/service-kit';
import { ClaimDiagnoser } from '../common/claim.diagnoser';
import { StorageCaches } from '../common/storage.caches';
import { DEFAULT_STORAGE_OPTIONS } from '../storage.options';
import { asPort, FakeKubePort } from '../testing/fake-kube.port';
import { ClaimOperations } from './claim.operations';

const op = (operationId = 'op_1'): OperationContext => ({
  operation: { operationId, cluster: 'default', identity: { user: 'alice' } }, signal: new AbortController().signal,
  throwIfStopped: () => undefined, progress: () => undefined,
} as unknown as OperationContext);
const opsOn = (fake: FakeKubePort): ClaimOperations => {
  const registry = { resolve: async () => asPort(fake), defaultName: 'default' } as unknown as ClusterRegistry;
  const options = { ...DEFAULT_STORAGE_OPTIONS, claimBindWaitMs: 50, expandWaitMs: 50 };
  const logger = createLogger('test', 'silent');
  return new ClaimOperations(registry, options, logger, new ClaimDiagnoser(registry, new StorageCaches(registry), options, logger));
};
const req = { namespace: 'ns', name: 'data', size: '1Gi', accessModes: ['ReadWriteOnce' as const], storageClassName: 'manual' };
const manual = (extra: Record<string, unknown> = {}): KubeObject => ({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'manual' }, provisioner: 'kubernetes.io/no-provisioner', ...extra });
const bound = (size = '1Gi'): KubeObject => ({
  apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data', namespace: 'ns', uid: 'u' },
  spec: { storageClassName: 'manual', volumeName: 'pv', resources: { requests: { storage: size } } }, status: { phase: 'Bound', capacity: { storage: size } },
});

describe('ClaimOperations (fake port)', () => {
  it('create applies the claim with the marker and, still Pending after the wait, answers with the diagnosis', async () => {
    const fake = new FakeKubePort().seed(manual());
    const result = await opsOn(fake).create(req, op());
    expect(fake.calls).toContain('apply PersistentVolumeClaim data');
    expect(result).toMatchObject({ phase: 'Pending', diagnosis: { phase: 'Pending', causes: [expect.objectContaining({ code: 'NoProvisioner' })] } });
    const claim = fake.all('PersistentVolumeClaim')[0];
    expect((claim.metadata.annotations as Record<string, string>)['bosun.dev/operation-id']).toBe('op_1');
  });

  it('a redelivered create finds its marker and applies nothing again; someone else\'s claim is AlreadyExists', async () => {
    const fake = new FakeKubePort().seed(manual());
    await opsOn(fake).create(req, op());
    fake.calls.length = 0;
    await opsOn(fake).create(req, op());
    expect(fake.calls.filter((c) => c.startsWith('apply'))).toEqual([]);
    await expect(opsOn(fake).create(req, op('op_2'))).rejects.toMatchObject({ code: 'AlreadyExists', message: 'persistentvolumeclaims "data" already exists' });
  });

  it('expand refuses shrinking and a class that cannot expand, naming size; on an expandable class it patches the request once', async () => {
    const fixed = new FakeKubePort().seed(manual(), bound('2Gi'));
    await expect(opsOn(fixed).expand({ namespace: 'ns', name: 'data', size: '1Gi' }, op())).rejects.toMatchObject({
      code: 'Invalid', details: { fieldErrors: [expect.objectContaining({ path: 'size', message: expect.stringContaining('cannot shrink') }), expect.objectContaining({ path: 'size' })] },
    });
    const growable = new FakeKubePort().seed(manual({ allowVolumeExpansion: true }), bound('1Gi'));
    const result = await opsOn(growable).expand({ namespace: 'ns', name: 'data', size: '3Gi' }, op());
    expect(result).toEqual({ namespace: 'ns', name: 'data', size: '3Gi', capacity: '1Gi', resized: false, changed: true });
    growable.calls.length = 0;
    expect(await opsOn(growable).expand({ namespace: 'ns', name: 'data', size: '3Gi' }, op())).toMatchObject({ changed: false });
    expect(growable.calls.filter((c) => c.startsWith('patch'))).toEqual([]);
  });
});
