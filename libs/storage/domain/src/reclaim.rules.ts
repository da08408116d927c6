import { KEYS, type PersistentVolume, type PersistentVolumeClaim } from './kube-types';
import { fail, fieldError, ok, type Result } from '@bosun/contracts';

// Reclaim and release (004:3210-3212, 000:4447-4477). When its claim goes, a Retain volume
// becomes Released and keeps its data; a Delete volume is deleted, PV object and storage alike —
// the seed (004:3210) is wrong that it becomes Available; Recycle (deprecated) scrubs it and
// makes it Available again. A Released volume never binds again until its claimRef is removed.

export type ReclaimOutcome = 'Released' | 'Deleted' | 'Recycled';

/** What the PV controller does with a volume once its claim is gone, by reclaim policy. */
export const reclaimOutcome = (pv: PersistentVolume): { outcome: ReclaimOutcome; message: string } => {
  const policy = pv.spec?.persistentVolumeReclaimPolicy ?? 'Retain';
  if (policy === 'Delete') return { outcome: 'Deleted', message: 'the volume and its storage are deleted with the claim' };
  if (policy === 'Recycle') return { outcome: 'Recycled', message: 'the volume is scrubbed (rm -rf) and becomes Available again' };
  return { outcome: 'Released', message: 'the volume becomes Released and keeps its data; remove spec.claimRef to reuse it' };
};

const key = (ns: string | undefined, name: string | undefined): string => `${ns ?? 'default'}/${name ?? ''}`;

/**
 * Upstream's isVolumeReleased: the volume holds a bound claimRef (with uid) and that claim is gone,
 * was recreated (another uid), or is bound to another volume. A reservation without uid is not.
 */
export const isVolumeReleased = (pv: PersistentVolume, claims: readonly PersistentVolumeClaim[]): boolean => {
  const ref = pv.spec?.claimRef;
  if (!ref?.uid) return false;
  const claim = claims.find((c) => key(c.metadata?.namespace, c.metadata?.name) === key(ref.namespace, ref.name));
  if (!claim || claim.metadata?.uid !== ref.uid) return true;
  const volumeName = claim.spec?.volumeName;
  return volumeName !== undefined && volumeName !== '' && volumeName !== pv.metadata?.name;
};

/** A JSON patch (RFC 6902) and the equivalent merge patch; either makes the volume Available. */
export interface ReleasePlan {
  jsonPatch: { op: 'test' | 'remove'; path: string; value?: string }[];
  mergePatch: { spec: { claimRef: null }; metadata?: { annotations: Record<string, null> } };
}

const escapePointer = (s: string): string => s.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * `POST /v1/storage/volumes/{name}/release`: remove spec.claimRef so that the controller makes
 * the volume Available (004:3210-3212). Refused while its claim still holds it (a volume binds
 * one claim, 004:3208). The JSON patch first tests the claimRef's uid so it cannot release a
 * volume rebound in between; the controller's bound-by annotation goes too, as unbindVolume does.
 */
export const planRelease = (pv: PersistentVolume, claims: readonly PersistentVolumeClaim[]): Result<ReleasePlan | null> => {
  const ref = pv.spec?.claimRef;
  if (!ref) return ok(null);
  if (pv.status?.phase === 'Bound' || (ref.uid && !isVolumeReleased(pv, claims))) {
    return fail([fieldError('name', `volume "${pv.metadata?.name}" is bound to claim ${key(ref.namespace, ref.name)}: delete the claim first, then release it`)]);
  }
  const boundBy = pv.metadata?.annotations?.[KEYS.boundByController] !== undefined;
  const annotationPath = `/metadata/annotations/${escapePointer(KEYS.boundByController)}`;
  return ok({
    jsonPatch: [
      ...(ref.uid ? [{ op: 'test' as const, path: '/spec/claimRef/uid', value: ref.uid }] : []),
      { op: 'remove', path: '/spec/claimRef' },
      ...(boundBy ? [{ op: 'remove' as const, path: annotationPath }] : []),
    ],
    mergePatch: { spec: { claimRef: null }, ...(boundBy ? { metadata: { annotations: { [KEYS.boundByController]: null } } } : {}) },
  });
};
