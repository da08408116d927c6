import { createLogger } from '@bosun/logging';
import type { ClusterRegistry, KubeObject } from '@bosun/kube';
import type { OperationContext } from '@bosun/service-kit';
import { asPort, FakeKubePort } from '../testing/fake-kube.port';
import { ClassOperations } from './class.operations';

const cls = (name: string, isDefault: boolean): KubeObject => ({
  apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', provisioner: 'x',
  metadata: { name, ...(isDefault ? { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } } : {}) },
});
const op = (): OperationContext => ({
  operation: { operationId: 'op_1', cluster: 'default', identity: { user: 'alice' } }, signal: new AbortController().signal,
  throwIfStopped: () => undefined, progress: () => undefined,
} as unknown as OperationContext);

describe('ClassOperations.setDefault (fake port)', () => {
  it('unmarks the old default before it marks the new one, each patch marked with the operation', async () => {
    const fake = new FakeKubePort().seed(cls('old', true), cls('new', false));
    const seen: number[] = [];
    fake.informer({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass' }).onEvent(() => {
      seen.push(fake.all('StorageClass').filter((c) => (c.metadata.annotations as Record<string, string> | undefined)?.['storageclass.kubernetes.io/is-default-class'] === 'true').length);
    });
    const registry = { resolve: async () => asPort(fake) } as unknown as ClusterRegistry;
    const result = await new ClassOperations(registry, createLogger('test', 'silent')).setDefault({ name: 'new' }, op());
    expect(result).toEqual({ default: 'new', unset: ['old'], changed: true });
    expect(fake.calls).toEqual(['patch StorageClass old', 'patch StorageClass new']);
    expect(seen).toEqual([0, 1]);
    expect((fake.all('StorageClass').find((c) => c.metadata.name === 'new')?.metadata.annotations as Record<string, string>)['bosun.dev/operation-id']).toBe('op_1');
  });

  it('an unknown class fails NotFound naming the field', async () => {
    const registry = { resolve: async () => asPort(new FakeKubePort()) } as unknown as ClusterRegistry;
    await expect(new ClassOperations(registry, createLogger('test', 'silent')).setDefault({ name: 'nope' }, op())).rejects.toMatchObject({
      code: 'NotFound', message: 'storageclass.storage.k8s.io "nope" not found', details: { fieldErrors: [{ path: 'name', message: 'storageclass.storage.k8s.io "nope" not found' }] },
    });
  });
});
