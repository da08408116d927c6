import { compareQuantities, formatQuantity, fromWhole, parseQuantity, type Quantity } from '@bosun/quantity';
import { KEYS, type PersistentVolume, type PersistentVolumeClaim } from './kube-types';
import {
  compileLabelSelector, describeNodeSelector, nodeSelectorAdmits, unmetRequirements, type NodeFacts, type Requirement,
} from './label-selector.matcher';

// PV ↔ PVC matching as the upstream PV controller and scheduler apply it (component-helpers
// FindMatchingVolume, the controller's access-mode index, checkVolumeSatisfyClaim), with one
// difference: instead of skipping a volume at its first failed check we keep every reason, so
// that a diagnosis can say all of them. A volume matches exactly when it has no reason.
// Seed: same class, every requested mode offered, request ≤ capacity, one PV per PVC
// (004:3125, 3208, 3269-3270).

/** A volume with what matching needs parsed once (capacity above all): diagnose 1,000 PVs without re-parsing. */
export interface PreparedVolume {
  readonly volume: PersistentVolume;
  readonly name: string;
  readonly capacity?: Quantity;
  readonly capacityProblem?: string;
  readonly accessModes: readonly string[];
  readonly className: string;
  readonly volumeMode: string;
  readonly phase: string;
}

/** A claim with its request parsed and its selector compiled once. */
export interface PreparedClaim {
  readonly claim: PersistentVolumeClaim;
  readonly namespace: string;
  readonly name: string;
  readonly uid?: string;
  readonly request: Quantity;
  /** "" when the claim names no class (unset or ""), as upstream's GetPersistentVolumeClaimClass. */
  readonly className: string;
  readonly accessModes: readonly string[];
  readonly volumeMode: string;
  readonly selector: readonly Requirement[];
  readonly volumeName?: string;
}

/** The selected node (WaitForFirstConsumer) whose labels a volume's node affinity must admit. */
export interface MatchContext {
  node?: NodeFacts;
  /** The claim's class binds WaitForFirstConsumer: without a node, only pre-bound volumes are chosen. */
  delayBinding?: boolean;
}

const ZERO: Quantity = fromWhole(0n);
const FILESYSTEM = 'Filesystem';

/** The beta annotation wins over the field, as upstream reads it; "" means no class. */
export const volumeClassOf = (pv: PersistentVolume): string =>
  pv.metadata?.annotations?.[KEYS.betaStorageClass] ?? pv.spec?.storageClassName ?? '';

/** The class a claim asks for; `undefined` when unset (the default class applies), "" for explicitly none. */
export const claimClassOf = (claim: PersistentVolumeClaim): string | undefined =>
  claim.metadata?.annotations?.[KEYS.betaStorageClass] ?? claim.spec?.storageClassName;

const parseCapacity = (pv: PersistentVolume): { capacity?: Quantity; capacityProblem?: string } => {
  const text = pv.spec?.capacity?.storage;
  if (text === undefined) return { capacityProblem: 'no capacity.storage' };
  const parsed = parseQuantity(String(text));
  return parsed.ok ? { capacity: parsed.value } : { capacityProblem: `capacity "${text}" is not a quantity` };
};

export const prepareVolume = (volume: PersistentVolume): PreparedVolume => ({
  volume,
  name: volume.metadata?.name ?? '',
  ...parseCapacity(volume),
  accessModes: volume.spec?.accessModes ?? [],
  className: volumeClassOf(volume),
  volumeMode: volume.spec?.volumeMode ?? FILESYSTEM,
  // A PV the controller has not synced yet has no phase; upstream only binds Available ones.
  phase: volume.status?.phase ?? 'Pending',
});

export const prepareVolumes = (volumes: readonly PersistentVolume[]): PreparedVolume[] => volumes.map(prepareVolume);

const requestOf = (claim: PersistentVolumeClaim): Quantity => {
  const parsed = parseQuantity(String(claim.spec?.resources?.requests?.storage ?? '0'));
  // An unparseable request cannot reach a claim the API server accepted; treat it as zero like a missing one.
  return parsed.ok ? parsed.value : ZERO;
};

export const prepareClaim = (claim: PersistentVolumeClaim): PreparedClaim => ({
  claim,
  namespace: claim.metadata?.namespace ?? 'default',
  name: claim.metadata?.name ?? '',
  uid: claim.metadata?.uid,
  request: requestOf(claim),
  className: claimClassOf(claim) ?? '',
  accessModes: claim.spec?.accessModes ?? [],
  volumeMode: claim.spec?.volumeMode ?? FILESYSTEM,
  selector: compileLabelSelector(claim.spec?.selector),
  volumeName: claim.spec?.volumeName || undefined,
});

/** Upstream's IsVolumeBoundToClaim: same namespace and name, and the same uid when the claimRef has one. */
export const isVolumeBoundToClaim = (pv: PersistentVolume, claim: Pick<PreparedClaim, 'namespace' | 'name' | 'uid'>): boolean => {
  const ref = pv.spec?.claimRef;
  if (!ref || ref.name !== claim.name || (ref.namespace ?? 'default') !== claim.namespace) return false;
  return !ref.uid || ref.uid === claim.uid;
};

const claimKey = (ref: { namespace?: string; name?: string }): string => `${ref.namespace ?? 'default'}/${ref.name ?? ''}`;

const claimRefReason = (v: PreparedVolume): string => {
  const ref = v.volume.spec?.claimRef ?? {};
  if (v.phase === 'Released') return `Released: still refers to the deleted claim ${claimKey(ref)} (remove spec.claimRef to reuse it)`;
  return ref.uid ? `bound to claim ${claimKey(ref)}` : `reserved for claim ${claimKey(ref)} (spec.claimRef)`;
};

const accessModeReasons = (c: PreparedClaim, v: PreparedVolume): string[] => {
  const offers = v.accessModes.length > 0 ? v.accessModes.join(', ') : 'none';
  return c.accessModes.filter((m) => !v.accessModes.includes(m)).map((m) => `access mode ${m} not offered (offers ${offers})`);
};

const capacityReasons = (c: PreparedClaim, v: PreparedVolume): string[] => {
  if (v.capacity === undefined) return [v.capacityProblem ?? 'no capacity.storage'];
  return compareQuantities(v.capacity, c.request) < 0 ? [`capacity ${formatQuantity(v.capacity)} < requested ${formatQuantity(c.request)}`] : [];
};

const nodeReasons = (v: PreparedVolume, node: NodeFacts | undefined): string[] => {
  const required = v.volume.spec?.nodeAffinity?.required;
  if (!node || !required || nodeSelectorAdmits(required, node)) return [];
  return [`node affinity does not admit node "${node.name}" (requires ${describeNodeSelector(required)})`];
};

/** How the claim relates to this volume before any attribute is compared. */
type Binding = 'askedFor' | 'notAskedFor' | 'preBound' | 'free' | 'taken';

const bindingOf = (c: PreparedClaim, v: PreparedVolume): Binding => {
  const ref = v.volume.spec?.claimRef;
  if (c.volumeName !== undefined) {
    if (c.volumeName !== v.name) return 'notAskedFor';
    return !ref || isVolumeBoundToClaim(v.volume, c) ? 'askedFor' : 'taken';
  }
  if (!ref) return 'free';
  return isVolumeBoundToClaim(v.volume, c) ? 'preBound' : 'taken';
};

/**
 * Every reason this volume cannot bind this claim, in plain words naming the values; `[]` means
 * it matches. A volume pre-bound to the claim (its claimRef names it) skips phase, class and
 * selector, as upstream does; a claim with spec.volumeName only considers that volume and, like
 * checkVolumeSatisfyClaim, ignores phase and selector there.
 */
export const mismatchReasons = (c: PreparedClaim, v: PreparedVolume, ctx: MatchContext = {}): string[] => {
  const binding = bindingOf(c, v);
  if (binding === 'notAskedFor') return [`the claim asks for volume "${c.volumeName}" (spec.volumeName)`];
  const reasons: string[] = [];
  if (binding === 'taken') reasons.push(claimRefReason(v));
  if (v.volume.metadata?.deletionTimestamp !== undefined) reasons.push('volume is being deleted');
  if (binding === 'free' && v.phase !== 'Available') reasons.push(`phase ${v.phase}, not Available`);
  if (binding !== 'preBound' && v.className !== c.className) reasons.push(`storageClassName "${v.className}" ≠ "${c.className}"`);
  reasons.push(...accessModeReasons(c, v), ...capacityReasons(c, v));
  if (v.volumeMode !== c.volumeMode) reasons.push(`volumeMode ${v.volumeMode} ≠ requested ${c.volumeMode}`);
  if (binding === 'free' || binding === 'taken') reasons.push(...unmetRequirements(c.selector, v.volume.metadata?.labels));
  reasons.push(...nodeReasons(v, ctx.node));
  return reasons;
};

/**
 * Upstream's preference among matching volumes: the controller searches its access-mode index
 * from the smallest mode set up, and within a set takes the smallest capacity. Equal ones are
 * broken by name (upstream leaves that to informer order).
 */
export const compareByPreference = (a: PreparedVolume, b: PreparedVolume): number =>
  a.accessModes.length - b.accessModes.length ||
  compareQuantities(a.capacity ?? ZERO, b.capacity ?? ZERO) ||
  (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

const preBoundFirst = (c: PreparedClaim, volumes: readonly PreparedVolume[], ctx: MatchContext): PreparedVolume | undefined =>
  volumes
    .filter((v) => (c.volumeName !== undefined ? v.name === c.volumeName : isVolumeBoundToClaim(v.volume, c)))
    .filter((v) => mismatchReasons(c, v, ctx).length === 0)
    .sort(compareByPreference)[0];

/**
 * The volume the PV controller (no node) or the scheduler (with the selected node) would bind,
 * or undefined. A pre-bound volume wins; under delayed binding without a node nothing else is
 * chosen; otherwise the preferred matching volume (compareByPreference).
 */
export const findMatchingVolume = (
  claim: PreparedClaim, volumes: readonly PreparedVolume[], ctx: MatchContext = {},
): PreparedVolume | undefined => {
  const preBound = preBoundFirst(claim, volumes, ctx);
  if (preBound || claim.volumeName !== undefined) return preBound;
  if (ctx.delayBinding && !ctx.node) return undefined;
  let best: PreparedVolume | undefined;
  for (const v of volumes) {
    if (v.volume.spec?.claimRef) continue;
    if (mismatchReasons(claim, v, ctx).length > 0) continue;
    if (!best || compareByPreference(v, best) < 0) best = v;
  }
  return best;
};
