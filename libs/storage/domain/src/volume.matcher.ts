import { compareQuantities, fromWhole, parseQuantity, type Quantity } from '@bosun/quantity';
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
  /** The capacity as the PV spells it, for reasons (formatting each would cost more than matching). */
  readonly capacityText?: string;
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
  readonly requestText: string;
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

const parseCapacity = (pv: PersistentVolume): Pick<PreparedVolume, 'capacity' | 'capacityText' | 'capacityProblem'> => {
  const text = pv.spec?.capacity?.storage;
  if (text === undefined) return { capacityProblem: 'no capacity.storage' };
  const parsed = parseQuantity(String(text));
  return parsed.ok ? { capacity: parsed.value, capacityText: String(text) } : { capacityProblem: `capacity "${text}" is not a quantity` };
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

const versionKey = (pv: PersistentVolume): string | undefined =>
  pv.metadata?.resourceVersion ? `${pv.metadata.name}@${pv.metadata.resourceVersion}` : undefined;

/**
 * prepareVolumes that reuses the entries of an earlier call for volumes unchanged since (the same
 * object, or the same name and resourceVersion), so that a service diagnosing claim after claim
 * from an informer cache parses each capacity once per change.
 */
export const prepareVolumesReusing = (volumes: readonly PersistentVolume[], previous: readonly PreparedVolume[] = []): PreparedVolume[] => {
  const byObject = new Map<PersistentVolume, PreparedVolume>();
  const byVersion = new Map<string, PreparedVolume>();
  for (const p of previous) {
    byObject.set(p.volume, p);
    const key = versionKey(p.volume);
    if (key) byVersion.set(key, p);
  }
  return volumes.map((pv) => byObject.get(pv) ?? byVersion.get(versionKey(pv) ?? '') ?? prepareVolume(pv));
};

const requestOf = (text: string): Quantity => {
  const parsed = parseQuantity(text);
  // An unparseable request cannot reach a claim the API server accepted; treat it as zero like a missing one.
  return parsed.ok ? parsed.value : ZERO;
};

const specOf = (spec: NonNullable<PersistentVolumeClaim['spec']>): Pick<PreparedClaim, 'request' | 'requestText' | 'accessModes' | 'volumeMode' | 'selector' | 'volumeName'> => {
  const requestText = String(spec.resources?.requests?.storage ?? '0');
  return {
    request: requestOf(requestText),
    requestText,
    accessModes: spec.accessModes ?? [],
    volumeMode: spec.volumeMode ?? FILESYSTEM,
    selector: compileLabelSelector(spec.selector),
    volumeName: spec.volumeName || undefined,
  };
};

export const prepareClaim = (claim: PersistentVolumeClaim): PreparedClaim => ({
  claim,
  namespace: claim.metadata?.namespace ?? 'default',
  name: claim.metadata?.name ?? '',
  uid: claim.metadata?.uid,
  className: claimClassOf(claim) ?? '',
  ...specOf(claim.spec ?? {}),
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
  return compareQuantities(v.capacity, c.request) < 0 ? [`capacity ${v.capacityText} < requested ${c.requestText}`] : [];
};

const nodeReasons = (v: PreparedVolume, node: NodeFacts | undefined): string[] => {
  const required = v.volume.spec?.nodeAffinity?.required;
  if (!node || !required || nodeSelectorAdmits(required, node)) return [];
  return [`node affinity does not admit node "${node.name}" (requires ${describeNodeSelector(required)})`];
};

/** How the claim relates to this volume before any attribute is compared. */
type Binding = 'mutual' | 'askedFor' | 'notAskedFor' | 'preBound' | 'free' | 'taken';

const bindingOf = (c: PreparedClaim, v: PreparedVolume): Binding => {
  const ref = v.volume.spec?.claimRef;
  if (c.volumeName !== undefined) {
    if (c.volumeName !== v.name) return 'notAskedFor';
    if (!ref) return 'askedFor';
    return isVolumeBoundToClaim(v.volume, c) ? 'mutual' : 'taken';
  }
  if (!ref) return 'free';
  return isVolumeBoundToClaim(v.volume, c) ? 'preBound' : 'taken';
};

/**
 * Every reason this volume cannot bind this claim, in plain words naming the values; `[]` means
 * it matches. A volume pre-bound to the claim (its claimRef names it) skips phase, class and
 * selector, as upstream does; a claim with spec.volumeName only considers that volume and, like
 * checkVolumeSatisfyClaim, ignores phase and selector there; when both name each other nothing is compared.
 */
export const mismatchReasons = (c: PreparedClaim, v: PreparedVolume, ctx: MatchContext = {}): string[] => {
  const binding = bindingOf(c, v);
  if (binding === 'notAskedFor') return [`the claim asks for volume "${c.volumeName}" (spec.volumeName)`];
  // Claim and volume name each other: upstream finishes that binding without comparing anything.
  if (binding === 'mutual') return nodeReasons(v, ctx.node);
  const reasons: string[] = [];
  if (binding === 'taken') reasons.push(claimRefReason(v));
  if (v.volume.metadata?.deletionTimestamp !== undefined) reasons.push('volume is being deleted');
  if (binding === 'free' && v.phase !== 'Available') reasons.push(`phase ${v.phase}, not Available`);
  if (binding !== 'preBound' && v.className !== c.className) reasons.push(`storageClassName "${v.className}" ≠ "${c.className}"`);
  reasons.push(...accessModeReasons(c, v), ...capacityReasons(c, v));
  if (v.volumeMode !== c.volumeMode) reasons.push(`volumeMode ${v.volumeMode} ≠ requested ${c.volumeMode}`);
  if (c.volumeName === undefined && binding !== 'preBound') reasons.push(...unmetRequirements(c.selector, v.volume.metadata?.labels));
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

/** A volume with its reasons already computed (a diagnosis has them anyway). */
export interface Assessed { volume: PreparedVolume; reasons: readonly string[] }

const askedOrPreBound = (c: PreparedClaim, v: PreparedVolume): boolean =>
  c.volumeName !== undefined ? v.name === c.volumeName : isVolumeBoundToClaim(v.volume, c);

/**
 * The volume the PV controller (no node) or the scheduler (with the selected node) would bind,
 * from volumes already assessed, or undefined. A pre-bound volume wins; under delayed binding
 * without a node nothing else is chosen; otherwise the preferred matching volume (compareByPreference).
 */
export const chooseVolume = (claim: PreparedClaim, assessed: readonly Assessed[], ctx: MatchContext = {}): PreparedVolume | undefined => {
  let preBound: PreparedVolume | undefined;
  let best: PreparedVolume | undefined;
  for (const { volume, reasons } of assessed) {
    if (reasons.length > 0) continue;
    if (askedOrPreBound(claim, volume)) {
      if (!preBound || compareByPreference(volume, preBound) < 0) preBound = volume;
    } else if (!volume.volume.spec?.claimRef && (!best || compareByPreference(volume, best) < 0)) {
      best = volume;
    }
  }
  if (preBound || claim.volumeName !== undefined) return preBound;
  return ctx.delayBinding && !ctx.node ? undefined : best;
};

/** chooseVolume over volumes not yet assessed. */
export const findMatchingVolume = (
  claim: PreparedClaim, volumes: readonly PreparedVolume[], ctx: MatchContext = {},
): PreparedVolume | undefined => chooseVolume(claim, volumes.map((volume) => ({ volume, reasons: mismatchReasons(claim, volume, ctx) })), ctx);
