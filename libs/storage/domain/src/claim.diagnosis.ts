import type { ClaimDiagnosis, DiagnosisCause, VolumeCandidate } from '@bosun/contracts';
import { newClaimAdmission } from './claim-admission.rules';
import { defaultClassState } from './default-class.rules';
import { cause, delayBindingCauses, provisioningCauses, resolveClass, type ClassResolution } from './claim.causes';
import { KEYS, NO_PROVISIONER, type CoreEvent, type LimitRange, type Node, type PersistentVolume, type PersistentVolumeClaim, type Pod, type ResourceQuota, type StorageClass } from './kube-types';
import type { NodeFacts } from './label-selector.matcher';
import {
  chooseVolume, claimClassOf, compareByPreference, isVolumeBoundToClaim, mismatchReasons, prepareClaim, prepareVolumes,
  type MatchContext, type PreparedClaim, type PreparedVolume,
} from './volume.matcher';

// Why is this claim Pending? Every volume with the exact reasons it does not fit, and the
// claim-level causes (class, default class, delayed binding, provisioning, admission), each with
// a hint. The work is linear in the volumes: each capacity is parsed once (or passed prepared).

/** What the diagnosis reads; everything but the claim is optional. */
export interface DiagnosisInput {
  claim: PersistentVolumeClaim;
  volumes?: readonly PersistentVolume[];
  /** The same volumes already prepared (parsed once, reused across diagnoses); wins over `volumes`. */
  prepared?: readonly PreparedVolume[];
  classes?: readonly StorageClass[];
  /** Pods of the claim's namespace: who waits for it under WaitForFirstConsumer. */
  pods?: readonly Pod[];
  /** Events of the claim (ProvisioningFailed words). */
  events?: readonly CoreEvent[];
  /** Nodes, for the labels of the claim's selected node. */
  nodes?: readonly Node[];
  /** For a claim not yet created (no uid): what admission would refuse. */
  quotas?: readonly ResourceQuota[];
  limitRanges?: readonly LimitRange[];
}

interface Ranked { volume: PreparedVolume; reasons: string[] }

const byRank = (a: Ranked, b: Ranked): number => {
  const [am, bm] = [a.reasons.length === 0, b.reasons.length === 0];
  if (am !== bm) return am ? -1 : 1;
  if (am) return compareByPreference(a.volume, b.volume);
  return a.reasons.length - b.reasons.length || (a.volume.name < b.volume.name ? -1 : a.volume.name > b.volume.name ? 1 : 0);
};

const rank = (claim: PreparedClaim, volumes: readonly PreparedVolume[], ctx: MatchContext): Ranked[] =>
  volumes.map((volume) => ({ volume, reasons: mismatchReasons(claim, volume, ctx) })).sort(byRank);

const toCandidate = (r: Ranked): VolumeCandidate => ({ volume: r.volume.name, matches: r.reasons.length === 0, reasons: r.reasons });

/** The selected node with its labels when known; its hostname label is its name otherwise. */
const selectedNode = (claim: PreparedClaim, nodes: readonly Node[]): NodeFacts | undefined => {
  const name = claim.claim.metadata?.annotations?.[KEYS.selectedNode];
  if (name === undefined) return undefined;
  const node = nodes.find((n) => n.metadata?.name === name);
  return { name, labels: node?.metadata?.labels ?? { [KEYS.hostname]: name } };
};

const askedVolumeCauses = (claim: PreparedClaim, ranked: readonly Ranked[]): DiagnosisCause[] => {
  const asked = ranked.find((r) => r.volume.name === claim.volumeName);
  if (!asked) return [cause('VolumeNotFound', `volume "${claim.volumeName}" requested by spec.volumeName not found`)];
  const ref = asked.volume.volume.spec?.claimRef;
  if (ref && !isVolumeBoundToClaim(asked.volume.volume, claim)) {
    return [cause('VolumeTaken', `volume "${asked.volume.name}" already bound to a different claim.`)];
  }
  return [cause('VolumeMismatch', `Cannot bind to requested volume "${asked.volume.name}": ${asked.reasons.join('; ')}`)];
};

const noMatch = (claim: PreparedClaim, ranked: readonly Ranked[]): DiagnosisCause => {
  const closest = ranked[0];
  const base = claim.className === ''
    ? 'no persistent volumes available for this claim and no storage class is set'
    : `no persistent volume of class "${claim.className}" matches the claim`;
  const detail = closest ? `; closest is "${closest.volume.name}" (${closest.reasons.join('; ')})` : '; there are no persistent volumes';
  return cause('NoMatchingVolume', base + detail);
};

const pendingCauses = (
  claim: PreparedClaim, cls: ClassResolution, ranked: readonly Ranked[], ctx: MatchContext, input: DiagnosisInput,
): DiagnosisCause[] => {
  if (claim.volumeName !== undefined) return askedVolumeCauses(claim, ranked);
  const waiting = ctx.delayBinding && !ctx.node;
  if (waiting) return delayBindingCauses(claim, input.pods ?? []);
  if (cls.storageClass) return provisioningCauses(claim, cls.storageClass, input.events ?? []);
  return [...cls.causes, noMatch(claim, ranked)];
};

/** A claim not created yet: what admission would refuse, counting an unset class as the default one it will get. */
const admissionCauses = (claim: PreparedClaim, cls: ClassResolution, input: DiagnosisInput): DiagnosisCause[] => {
  if (claim.uid !== undefined) return [];
  const className = cls.name || (claimClassOf(claim.claim) === undefined ? defaultClassState(input.classes ?? []).default : undefined);
  return newClaimAdmission({ name: claim.name, className, request: claim.request }, input.quotas, input.limitRanges);
};

const settled = (claim: PersistentVolumeClaim, volumes: readonly PreparedVolume[]): ClaimDiagnosis => {
  const name = claim.spec?.volumeName;
  if (claim.status?.phase === 'Bound') return { phase: 'Bound', boundTo: name, candidates: [], hint: `bound to volume "${name}"`, causes: [] };
  const volume = volumes.find((v) => v.name === name);
  const message = !name
    ? 'Bound claim has lost reference to PersistentVolume. Data on the volume is lost!'
    : volume ? 'Two claims are bound to the same volume, this one is bound incorrectly' : 'Bound claim has lost its PersistentVolume. Data on the volume is lost!';
  const lost = cause('ClaimLost', message);
  return { phase: 'Lost', boundTo: name, candidates: [], hint: lost.hint, causes: [lost] };
};

const matchedHint = (chosen: PreparedVolume, ctx: MatchContext): string =>
  ctx.delayBinding
    ? `volume "${chosen.name}" matches on node "${ctx.node?.name}": the scheduler binds it as the pod starts`
    : `volume "${chosen.name}" matches: the PV controller binds it on its next sync (about every 15 s)`;

/**
 * Diagnoses a claim. A Bound or Lost claim says so; a Pending one lists every volume (matching
 * ones first, in the controller's order of preference) with its reasons, and the causes; `hint`
 * is the first thing to do.
 */
export const diagnoseClaim = (input: DiagnosisInput): ClaimDiagnosis => {
  const volumes = input.prepared ?? prepareVolumes(input.volumes ?? []);
  const phase = input.claim.status?.phase ?? 'Pending';
  if (phase === 'Bound' || phase === 'Lost') return settled(input.claim, volumes);
  const claim = prepareClaim(input.claim);
  const cls = resolveClass(claim, input.classes ?? []);
  const ctx: MatchContext = {
    node: selectedNode(claim, input.nodes ?? []),
    delayBinding: cls.storageClass?.volumeBindingMode === 'WaitForFirstConsumer',
  };
  const ranked = rank(claim, volumes, ctx);
  const chosen = chooseVolume(claim, ranked, ctx);
  const causes = [...admissionCauses(claim, cls, input), ...(chosen ? [] : pendingCauses(claim, cls, ranked, ctx, input))];
  const hint = causes[0]?.hint ?? (chosen ? matchedHint(chosen, ctx) : 'no cause found');
  return { phase, candidates: ranked.map(toCandidate), hint, causes };
};

/** Which of the claim-specific inputs can change a claim's diagnosis (the rest: volumes, classes, come from caches). */
export interface DiagnosisReads {
  /** The namespace's pods: who waits for the claim under WaitForFirstConsumer, before the scheduler picked a node. */
  pods: boolean;
  /** The claim's events: a dynamic provisioner's ProvisioningFailed words. */
  events: boolean;
  /** The selected node, whose labels the volumes' node affinity is matched against. */
  node?: string;
}

/**
 * What `diagnoseClaim` will look at besides the volumes and classes, so that a caller serving
 * those from a cache reads nothing else it does not need: leaving out an input this says is not
 * needed gives the same diagnosis (the spec checks it). The same branches as `pendingCauses`.
 */
export const diagnosisReads = (claim: PersistentVolumeClaim, classes: readonly StorageClass[]): DiagnosisReads => {
  const phase = claim.status?.phase ?? 'Pending';
  if (phase === 'Bound' || phase === 'Lost') return { pods: false, events: false };
  const node = claim.metadata?.annotations?.[KEYS.selectedNode];
  const withNode = node === undefined ? {} : { node };
  if (claim.spec?.volumeName) return { pods: false, events: false, ...withNode };
  const sc = resolveClass(prepareClaim(claim), classes).storageClass;
  const waiting = sc?.volumeBindingMode === 'WaitForFirstConsumer' && node === undefined;
  return { pods: waiting, events: !waiting && sc !== undefined && sc.provisioner !== NO_PROVISIONER, ...withNode };
};
