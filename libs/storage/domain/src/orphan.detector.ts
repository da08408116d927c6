import type { OrphanClaim, OrphanReport, OrphanVolume } from '@bosun/contracts';
import { podsUsingClaim } from './claim.causes';
import type { PersistentVolume, PersistentVolumeClaim, Pod, StatefulSet } from './kube-types';

// Orphans: claims no live pod mounts, and Released volumes nobody can reuse until released.
// A StatefulSet's claims are named `<template>-<sts>-<ordinal>` and outlive it and its
// scale-downs (004:3385, 3443, 3481; 000:13102-13152), so they are the usual orphans.

/** A StatefulSet that no longer exists but is remembered (its name and claim templates). */
export interface FormerStatefulSet { namespace: string; name: string; templates: string[] }

export interface OrphanInput {
  claims: readonly PersistentVolumeClaim[];
  pods: readonly Pod[];
  statefulSets?: readonly StatefulSet[];
  formerStatefulSets?: readonly FormerStatefulSet[];
  volumes?: readonly PersistentVolume[];
  namespace?: string;
}

interface Owner { name: string; templates: string[]; replicas?: number; exists: boolean }

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A StatefulSet named in the claim's ownerReferences (retention policy) that is gone: its template is what precedes `-<sts>-<n>`. */
const ownerFromReferences = (claim: PersistentVolumeClaim, live: readonly Owner[]): Owner[] =>
  (claim.metadata?.ownerReferences ?? [])
    .filter((r) => r.kind === 'StatefulSet' && !live.some((o) => o.name === r.name))
    .flatMap((r) => {
      const m = new RegExp(`^(.+)-${escapeRegExp(r.name)}-\\d+$`).exec(claim.metadata?.name ?? '');
      return m ? [{ name: r.name, templates: [m[1]], exists: false }] : [];
    });

const ownersIn = (ns: string, input: OrphanInput): Owner[] => [
  ...(input.statefulSets ?? [])
    .filter((s) => (s.metadata?.namespace ?? 'default') === ns)
    .map((s) => ({
      name: s.metadata?.name ?? '',
      templates: (s.spec?.volumeClaimTemplates ?? []).map((t) => t.metadata?.name ?? ''),
      replicas: s.spec?.replicas ?? 1,
      exists: true,
    })),
  ...(input.formerStatefulSets ?? []).filter((s) => s.namespace === ns).map((s) => ({ ...s, exists: false })),
];

/** The StatefulSet and template a claim name comes from, if one of the owners made it. */
export const statefulSetOf = (
  claimName: string, owners: readonly Owner[],
): { owner: Owner; template: string; ordinal: number } | undefined => {
  for (const owner of owners) {
    for (const template of owner.templates) {
      const prefix = `${template}-${owner.name}-`;
      const rest = claimName.startsWith(prefix) ? claimName.slice(prefix.length) : '';
      if (/^(0|[1-9]\d*)$/.test(rest)) return { owner, template, ordinal: Number(rest) };
    }
  }
  return undefined;
};

type Sts = NonNullable<ReturnType<typeof statefulSetOf>>;

const stsReason = (sts: Sts): string =>
  sts.owner.exists
    ? `no pod mounts it: StatefulSet ${sts.owner.name} has ${sts.owner.replicas ?? 0} replicas and kept this claim of ordinal ${sts.ordinal} when it scaled down`
    : `no pod mounts it: StatefulSet ${sts.owner.name} is gone and its claims are kept (004:3481)`;

const baseOf = (claim: PersistentVolumeClaim, namespace: string, name: string): Omit<OrphanClaim, 'reason'> => ({
  namespace, name, volume: claim.spec?.volumeName || undefined, size: claim.spec?.resources?.requests?.storage,
});

const claimOrphan = (claim: PersistentVolumeClaim, input: OrphanInput): OrphanClaim | undefined => {
  const ns = claim.metadata?.namespace ?? 'default';
  const name = claim.metadata?.name ?? '';
  if (podsUsingClaim({ namespace: ns, name }, input.pods).length > 0) return undefined;
  const owners = ownersIn(ns, input);
  const sts = statefulSetOf(name, [...owners, ...ownerFromReferences(claim, owners)]);
  // A live StatefulSet's claim within its replicas is waiting for its pod to come back, not orphaned.
  if (sts?.owner.exists && sts.ordinal < (sts.owner.replicas ?? 0)) return undefined;
  const base = baseOf(claim, ns, name);
  if (!sts) return { ...base, reason: 'no pod mounts it' };
  const statefulSet = { name: sts.owner.name, template: sts.template, ordinal: sts.ordinal, exists: sts.owner.exists };
  return { ...base, statefulSet, reason: stsReason(sts) };
};

const volumeOrphan = (pv: PersistentVolume): OrphanVolume | undefined => {
  if (pv.status?.phase !== 'Released') return undefined;
  const ref = pv.spec?.claimRef;
  const claim = ref ? `${ref.namespace ?? 'default'}/${ref.name ?? ''}` : undefined;
  return {
    name: pv.metadata?.name ?? '',
    capacity: pv.spec?.capacity?.storage,
    claim,
    reclaimPolicy: pv.spec?.persistentVolumeReclaimPolicy,
    reason: `Released by claim ${claim ?? '(unknown)'}: it keeps its data but binds no claim until released (remove spec.claimRef) or deleted`,
  };
};

const inNamespace = (ns: string | undefined, wanted: string | undefined): boolean => wanted === undefined || (ns ?? 'default') === wanted;

/** Orphan claims and volumes, optionally of one namespace (volumes by their claimRef's namespace), sorted by name. */
export const findOrphans = (input: OrphanInput): OrphanReport => {
  const claims = input.claims
    .filter((c) => inNamespace(c.metadata?.namespace, input.namespace))
    .map((c) => claimOrphan(c, input))
    .filter((o): o is OrphanClaim => o !== undefined)
    .sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`));
  const volumes = (input.volumes ?? [])
    .filter((v) => inNamespace(v.spec?.claimRef?.namespace, input.namespace))
    .map(volumeOrphan)
    .filter((o): o is OrphanVolume => o !== undefined)
    .sort((a, b) => a.name.localeCompare(b.name));
  return { claims, volumes };
};
