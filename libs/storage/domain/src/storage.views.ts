import type { ClaimView, ReclaimPolicy, StorageClassView, VolumeView } from '@bosun/contracts';
import { defaultClassState } from './default-class.rules';
import type { PersistentVolume, PersistentVolumeClaim, StorageClass } from './kube-types';
import { locateLocalPathVolume } from './local-path.provisioner';
import { claimClassOf, volumeClassOf } from './volume.matcher';

// The read models of the storage endpoints, from the Kubernetes objects.

/** Every class, with `default` true only for the one effective default (two marked behave like none). */
export const toStorageClassViews = (classes: readonly StorageClass[]): StorageClassView[] => {
  const { default: effective } = defaultClassState(classes);
  return classes
    .map((sc) => ({
      name: sc.metadata?.name ?? '',
      provisioner: sc.provisioner,
      // API defaults: Delete and Immediate (000:4447-4477; 004:3286-3314).
      reclaimPolicy: (sc.reclaimPolicy ?? 'Delete') as ReclaimPolicy,
      volumeBindingMode: sc.volumeBindingMode === 'WaitForFirstConsumer' ? 'WaitForFirstConsumer' as const : 'Immediate' as const,
      allowVolumeExpansion: sc.allowVolumeExpansion === true,
      default: sc.metadata?.name === effective,
      ...(sc.parameters ? { parameters: { ...sc.parameters } } : {}),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
};

const optional = <K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> =>
  (value === undefined ? {} : { [key]: value }) as Partial<Record<K, V>>;

const claimKeyOf = (pv: PersistentVolume): string | undefined => {
  const ref = pv.spec?.claimRef;
  return ref ? `${ref.namespace ?? 'default'}/${ref.name ?? ''}` : undefined;
};

export const toVolumeView = (pv: PersistentVolume): VolumeView => ({
  name: pv.metadata?.name ?? '',
  capacity: String(pv.spec?.capacity?.storage ?? ''),
  accessModes: [...(pv.spec?.accessModes ?? [])],
  storageClassName: volumeClassOf(pv),
  reclaimPolicy: pv.spec?.persistentVolumeReclaimPolicy ?? 'Retain',
  phase: pv.status?.phase ?? 'Pending',
  ...optional('claim', claimKeyOf(pv)),
  ...optional('hostPath', pv.spec?.hostPath?.path),
  ...optional('node', locateLocalPathVolume(pv)?.node),
});

const sizeOf = (text: string | number | undefined): string | undefined => (text === undefined ? undefined : String(text));

export const toClaimView = (claim: PersistentVolumeClaim): ClaimView => {
  const meta = claim.metadata ?? {};
  const spec = claim.spec ?? {};
  return {
    namespace: meta.namespace ?? 'default',
    name: meta.name ?? '',
    phase: claim.status?.phase ?? 'Pending',
    size: sizeOf(spec.resources?.requests?.storage) ?? '',
    ...optional('capacity', sizeOf(claim.status?.capacity?.storage)),
    accessModes: [...(spec.accessModes ?? [])],
    ...optional('storageClassName', claimClassOf(claim)),
    ...optional('boundTo', spec.volumeName || undefined),
  };
};
