import { KEYS, LOCAL_PATH_PROVISIONER, type PersistentVolume, type PersistentVolumeClaim, type StorageClass } from './kube-types';
import type { NodeFacts } from './label-selector.matcher';
import { claimClassOf } from './volume.matcher';

// The pure decisions of Bosun's local-path provisioner, after rancher/local-path-provisioner:
// a host-path directory `<base>/<pv>_<ns>_<claim>` on the node the first consumer landed on,
// pinned there by node affinity on kubernetes.io/hostname. Events use the words of the external
// provisioner library that rancher's provisioner runs on.

/** rancher's default base directory. */
export const DEFAULT_LOCAL_PATH_BASE = '/opt/local-path-provisioner';
const SUPPORTED_MODES = ['ReadWriteOnce', 'ReadWriteOncePod'];

export type ProvisionDecision =
  | { action: 'provision'; storageClass: StorageClass; node: string; volumeName: string }
  | { action: 'skip'; reason: string }
  | { action: 'fail'; message: string };

/** `pvc-<claim uid>`, the name upstream's provisioners give a claim's volume. */
export const provisionedVolumeName = (claim: PersistentVolumeClaim): string => `pvc-${claim.metadata?.uid ?? ''}`;

const skip = (reason: string): ProvisionDecision => ({ action: 'skip', reason });

const ownClass = (claim: PersistentVolumeClaim, classes: readonly StorageClass[]): StorageClass | string => {
  const name = claimClassOf(claim);
  if (!name) return 'the claim has no StorageClass';
  const sc = classes.find((c) => c.metadata?.name === name);
  if (!sc) return `storageclass.storage.k8s.io "${name}" not found`;
  return sc.provisioner === LOCAL_PATH_PROVISIONER ? sc : `StorageClass "${name}" belongs to provisioner ${sc.provisioner}`;
};

/** What the claim itself rules out: rancher refuses selectors and modes other than single-node ones. */
const claimProblem = (claim: PersistentVolumeClaim): string | undefined => {
  if (claim.spec?.selector) return 'claim.Spec.Selector is not supported';
  if ((claim.spec?.accessModes ?? []).some((m) => !SUPPORTED_MODES.includes(m))) {
    return 'NodePath only supports ReadWriteOnce and ReadWriteOncePod (1.22+) access modes';
  }
  return claim.spec?.volumeMode === 'Block' ? 'volumeMode Block is not supported: local-path volumes are directories' : undefined;
};

/**
 * Whether to provision a volume for this claim now: a Pending claim without a volume, of a class
 * whose provisioner is bosun.dev/local-path, whose node is known (annotation
 * volume.kubernetes.io/selected-node, set by the scheduler under WaitForFirstConsumer). `fail`
 * means emit ProvisioningFailed with `message`; `skip` means nothing to do (yet).
 */
export const decideProvisioning = (
  claim: PersistentVolumeClaim, classes: readonly StorageClass[], existingVolumes: ReadonlySet<string> = new Set(),
): ProvisionDecision => {
  if (claim.metadata?.deletionTimestamp !== undefined) return skip('the claim is being deleted');
  if (claim.spec?.volumeName) return skip(`the claim already has volume "${claim.spec.volumeName}"`);
  const sc = ownClass(claim, classes);
  if (typeof sc === 'string') return skip(sc);
  const volumeName = provisionedVolumeName(claim);
  if (existingVolumes.has(volumeName)) return skip(`volume "${volumeName}" already exists`);
  const node = claim.metadata?.annotations?.[KEYS.selectedNode];
  if (!node) {
    return sc.volumeBindingMode === 'WaitForFirstConsumer'
      ? skip(`waiting for the first consumer: no ${KEYS.selectedNode} annotation yet`)
      : { action: 'fail', message: 'configuration error, no node was specified' };
  }
  const problem = claimProblem(claim);
  return problem ? { action: 'fail', message: problem } : { action: 'provision', storageClass: sc, node, volumeName };
};

/** `<base>/<pv>_<namespace>_<claim>`, rancher's folder layout. */
export const localPathFor = (base: string, volumeName: string, claim: PersistentVolumeClaim): string =>
  `${base.replace(/\/+$/, '')}/${volumeName}_${claim.metadata?.namespace ?? 'default'}_${claim.metadata?.name ?? ''}`;

/**
 * The PV for a claim on `node`: named `pvc-<uid>`, a DirectoryOrCreate host path, node affinity on
 * the node's kubernetes.io/hostname label (its name when unlabelled), bound to the claim by
 * claimRef with its uid, the class's reclaim policy (Delete when unset, as for every dynamic
 * volume, 000:4447-4477), capacity = the request, and the provisioned-by annotation.
 */
export const buildLocalPathVolume = (
  claim: PersistentVolumeClaim, sc: StorageClass, node: NodeFacts, base = DEFAULT_LOCAL_PATH_BASE,
): PersistentVolume => {
  const name = provisionedVolumeName(claim);
  const hostname = node.labels?.[KEYS.hostname] ?? node.name;
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name, annotations: { [KEYS.provisionedBy]: LOCAL_PATH_PROVISIONER } },
    spec: {
      capacity: { storage: String(claim.spec?.resources?.requests?.storage ?? '0') },
      accessModes: [...(claim.spec?.accessModes ?? ['ReadWriteOnce'])],
      volumeMode: 'Filesystem',
      storageClassName: sc.metadata?.name ?? '',
      persistentVolumeReclaimPolicy: sc.reclaimPolicy ?? 'Delete',
      ...(sc.mountOptions?.length ? { mountOptions: [...sc.mountOptions] } : {}),
      hostPath: { path: localPathFor(base, name, claim), type: 'DirectoryOrCreate' },
      nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: KEYS.hostname, operator: 'In', values: [hostname] }] }] } },
      claimRef: claimRefTo(claim),
    },
  };
};

const claimRefTo = (claim: PersistentVolumeClaim): NonNullable<PersistentVolume['spec']>['claimRef'] => {
  const meta = claim.metadata ?? {};
  return {
    apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: meta.namespace ?? 'default', name: meta.name ?? '', uid: meta.uid ?? '',
    ...(meta.resourceVersion ? { resourceVersion: meta.resourceVersion } : {}),
  };
};

/** An event to record on the claim. */
export interface ProvisionEvent { type: 'Normal' | 'Warning'; reason: 'Provisioning' | 'ProvisioningSucceeded' | 'ProvisioningFailed'; message: string }

export const provisioningEvent = (claim: PersistentVolumeClaim): ProvisionEvent => ({
  type: 'Normal', reason: 'Provisioning',
  message: `External provisioner is provisioning volume for claim "${claim.metadata?.namespace ?? 'default'}/${claim.metadata?.name ?? ''}"`,
});

export const provisioningSucceededEvent = (volumeName: string): ProvisionEvent => ({
  type: 'Normal', reason: 'ProvisioningSucceeded', message: `Successfully provisioned volume ${volumeName}`,
});

export const provisioningFailedEvent = (className: string, error: string): ProvisionEvent => ({
  type: 'Warning', reason: 'ProvisioningFailed', message: `failed to provision volume with StorageClass "${className}": ${error}`,
});

/** Where a provisioned volume lives, read back from its PV (for teardown): rancher's getPathAndNodeForPV. */
export const locateLocalPathVolume = (pv: PersistentVolume): { path: string; node: string } | undefined => {
  const path = pv.spec?.hostPath?.path;
  const terms = pv.spec?.nodeAffinity?.required?.nodeSelectorTerms ?? [];
  const expr = terms.flatMap((t) => t.matchExpressions ?? []).find((e) => e.key === KEYS.hostname && e.operator === 'In');
  if (!path || expr?.values?.length !== 1) return undefined;
  return { path, node: expr.values[0] };
};

/**
 * What to do with one of our volumes once Released: Delete removes the directory (a helper pod on
 * its node) and then the PV; Retain keeps both (004:3210 notwithstanding, Delete never leaves it Available).
 */
export const decideLocalPathReclaim = (
  pv: PersistentVolume,
): { action: 'delete'; path: string; node: string } | { action: 'keep'; reason: string } => {
  if (pv.metadata?.annotations?.[KEYS.provisionedBy] !== LOCAL_PATH_PROVISIONER) return { action: 'keep', reason: 'not provisioned by bosun.dev/local-path' };
  if (pv.status?.phase !== 'Released') return { action: 'keep', reason: `phase ${pv.status?.phase ?? 'Pending'}, not Released` };
  if (pv.spec?.persistentVolumeReclaimPolicy !== 'Delete') return { action: 'keep', reason: `reclaim policy ${pv.spec?.persistentVolumeReclaimPolicy ?? 'Retain'} keeps it` };
  const where = locateLocalPathVolume(pv);
  return where ? { action: 'delete', ...where } : { action: 'keep', reason: 'no hostPath or node affinity to find it by' };
};
