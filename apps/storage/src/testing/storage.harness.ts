// Test-only: the storage service on the kit's service harness, plus what its tests read from
// and make in the cluster (namespaces, classes and volumes, all named uniquely and cleaned up).
import type { KubeObject } from '@bosun/kube';
import { ADMIN, ServiceHarness } from '@bosun/service-kit/testing';
import type { HarnessOptions } from '@bosun/service-kit/testing';
import { eventually, uniqueName } from '@bosun/testing';
import type { ClassObject } from '../common/storage.repository';
import type { StorageOptions } from '../storage.options';
import { StorageModule } from '../storage.module';

export { ADMIN };
export type { OperationEvent } from '@bosun/service-kit/testing';
export type Json = KubeObject & { metadata: Record<string, any>; [k: string]: any };

/** Short lease and resync so failover and restarts are quick in tests. */
export const TEST_OPTIONS: Partial<StorageOptions> = { leaseDurationSeconds: 3, resyncSeconds: 5, claimBindWaitMs: 4000, expandWaitMs: 8000 };

const optionsFor = (storage: Partial<StorageOptions>): HarnessOptions => ({
  service: 'storage', modules: [StorageModule.forRoot({ ...TEST_OPTIONS, ...storage })], kindPrefix: 'storage', targetKind: 'PersistentVolumeClaim',
});

export class StorageHarness extends ServiceHarness {
  readonly volumes: string[] = [];
  readonly classes: string[] = [];

  static override async create(): Promise<StorageHarness> {
    return StorageHarness.withOptions({});
  }

  /** The harness with storage options on top of TEST_OPTIONS (every instance it starts gets them). */
  static async withOptions(storage: Partial<StorageOptions>): Promise<StorageHarness> {
    const opts = optionsFor(storage);
    const c = await ServiceHarness.connect(opts);
    return new StorageHarness(opts, c.nc, c.publisher, c.control, c.queries);
  }

  /** Volumes and classes are cluster-scoped: they go here; the namespaces go in the kit's close. */
  override async close(): Promise<void> {
    while (this.instances.length) await this.stop();
    for (const pv of this.volumes) await this.deleteVolume(pv);
    for (const sc of this.classes) await this.admin.delete({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', name: sc }).catch(() => undefined);
    await super.close();
  }

  /** A unique name for a cluster-scoped volume this test makes (deleted at close). */
  volumeName(prefix: string): string {
    const name = uniqueName(prefix);
    this.volumes.push(name);
    return name;
  }

  /** A StorageClass of this test (deleted at close); static (no-provisioner) and Immediate unless told. */
  async storageClass(prefix: string, extra: Record<string, unknown> = {}): Promise<string> {
    const name = uniqueName(prefix);
    await this.admin.create({
      apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name },
      provisioner: 'kubernetes.io/no-provisioner', volumeBindingMode: 'Immediate', ...extra,
    });
    this.classes.push(name);
    return name;
  }

  /** A static PV made directly (not through the service), e.g. "a matching volume appears later". */
  async staticVolume(name: string, size: string, storageClassName: string, accessModes = ['ReadWriteOnce'], extra: Record<string, unknown> = {}): Promise<Json> {
    if (!this.volumes.includes(name)) this.volumes.push(name);
    return this.admin.create<Json>({
      apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name },
      spec: { capacity: { storage: size }, accessModes, storageClassName, persistentVolumeReclaimPolicy: 'Retain', hostPath: { path: `/tmp/${name}` }, ...extra },
    });
  }

  claim(namespace: string, name: string): Promise<Json | undefined> {
    return this.admin.get<Json>({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace, name });
  }

  volume(name: string): Promise<Json | undefined> {
    return this.admin.get<Json>({ apiVersion: 'v1', kind: 'PersistentVolume', name });
  }

  listClasses(): Promise<ClassObject[]> {
    return this.admin.list<ClassObject>({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass' });
  }

  async eventsOf(namespace: string, claim: string): Promise<Json[]> {
    return this.admin.list<Json>({ apiVersion: 'v1', kind: 'Event', namespace, fieldSelector: `involvedObject.name=${claim}` });
  }

  /** Waits until `predicate` holds for the claim (as read by the admin). */
  claimUntil(namespace: string, name: string, predicate: (c: Json) => boolean, what: string, timeoutMs = 60_000): Promise<Json> {
    return eventually(async () => {
      const c = await this.claim(namespace, name);
      return c && predicate(c) ? c : undefined;
    }, what, timeoutMs);
  }

  volumeUntil(name: string, predicate: (pv: Json | undefined) => boolean, what: string, timeoutMs = 60_000): Promise<Json | undefined> {
    return eventually(async () => {
      const pv = await this.volume(name);
      return predicate(pv) ? (pv ?? { gone: true } as unknown as Json) : undefined;
    }, what, timeoutMs);
  }

  /** Deletes a PV, clearing its protection finalizer if nothing holds it any more. */
  async deleteVolume(name: string): Promise<void> {
    const ref = { apiVersion: 'v1', kind: 'PersistentVolume', name };
    await this.admin.delete(ref).catch(() => undefined);
    await this.admin.patch(ref, { metadata: { finalizers: null } }, 'merge').catch(() => undefined);
  }
}
