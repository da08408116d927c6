import { z } from 'zod';
import { dnsLabel } from './common';
import { QUANTITY } from './quantity.grammar';

// Wire schemas of the storage service (API.md "Storage"). Every issue carries its field path
// (`accessModes.1`, `claimRef.namespace`) so that toFieldErrors names the bad field.

/** The four access modes and their short names (004:3129-3132). */
export const ACCESS_MODES = ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'] as const;
export type AccessMode = (typeof ACCESS_MODES)[number];
export const ACCESS_MODE_SHORT: Record<AccessMode, string> = {
  ReadWriteOnce: 'RWO', ReadOnlyMany: 'ROX', ReadWriteMany: 'RWX', ReadWriteOncePod: 'RWOP',
};

/** Reclaim policies (000:4447-4477); Recycle is deprecated upstream but still a valid value. */
export const RECLAIM_POLICIES = ['Retain', 'Delete', 'Recycle'] as const;
export type ReclaimPolicy = (typeof RECLAIM_POLICIES)[number];

export const HOST_PATH_TYPES = [
  '', 'DirectoryOrCreate', 'Directory', 'FileOrCreate', 'File', 'Socket', 'CharDevice', 'BlockDevice',
] as const;

// PersistentVolume, PersistentVolumeClaim and StorageClass names are DNS-1123 subdomains in
// Kubernetes (dots allowed, ≤ 253), unlike most object names; namespaces stay labels.
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
export const storageObjectName = (what = 'name'): z.ZodString =>
  z
    .string({ error: `${what} is required` })
    .max(253, `${what} must be at most 253 characters`)
    .regex(DNS1123_SUBDOMAIN, `${what} must be a DNS-1123 subdomain: lower-case letters, digits, '-' and '.', each part starting and ending with a letter or digit`);

const size = (what: string): z.ZodString =>
  z
    .string({ error: `${what} is required (a quantity such as 1Gi)` })
    .regex(QUANTITY, `${what} must be a Kubernetes quantity such as 500Mi, 1Gi or 10G`);

const accessModeSchema = z.enum(ACCESS_MODES, {
  error: (issue) => `access mode ${JSON.stringify(issue.input)} is not one of ${ACCESS_MODES.join(', ')}`,
});

const accessModesSchema = z
  .array(accessModeSchema, { error: 'accessModes must be a list such as ["ReadWriteOnce"]' })
  .min(1, 'at least one access mode is required')
  .superRefine((modes, ctx) => {
    modes.forEach((mode, i) => {
      if (modes.indexOf(mode) !== i) ctx.addIssue({ code: 'custom', path: [i], message: `Duplicate value: "${mode}"` });
    });
  });

const reclaimPolicySchema = z.enum(RECLAIM_POLICIES, {
  error: (issue) => `reclaimPolicy ${JSON.stringify(issue.input)} is not one of ${RECLAIM_POLICIES.join(', ')}`,
});

/** `storageClassName` of a static volume: a class name, or "" for a volume of no class. */
const volumeClassName = z.union([z.literal(''), storageObjectName('storageClassName')], {
  error: 'storageClassName must be "" (no class) or a DNS-1123 subdomain',
});

/** `POST /v1/storage/volumes`: a static PersistentVolume. */
export const createVolumeRequestSchema = z.strictObject({
  name: storageObjectName('name'),
  capacity: size('capacity'),
  accessModes: accessModesSchema,
  storageClassName: volumeClassName,
  reclaimPolicy: reclaimPolicySchema.optional(),
  volumeMode: z.enum(['Filesystem', 'Block']).optional(),
  hostPath: z
    .strictObject({
      path: z.string({ error: 'hostPath.path is required' }).startsWith('/', 'hostPath.path must be an absolute path'),
      type: z.enum(HOST_PATH_TYPES).optional(),
    })
    .optional(),
  /** Reserves the volume for one claim (004:3251-3261). */
  claimRef: z.strictObject({ namespace: dnsLabel('claimRef.namespace'), name: storageObjectName('claimRef.name') }).optional(),
  labels: z.record(z.string(), z.string()).optional(),
});
export type CreateVolumeRequest = z.infer<typeof createVolumeRequestSchema>;

/** `PATCH /v1/storage/volumes/{name}`. */
export const patchVolumeRequestSchema = z.strictObject({ reclaimPolicy: reclaimPolicySchema });
export type PatchVolumeRequest = z.infer<typeof patchVolumeRequestSchema>;

/** `POST /v1/storage/claims`. An absent storageClassName means the default class; "" means none. */
export const createClaimRequestSchema = z.strictObject({
  namespace: dnsLabel('namespace'),
  name: storageObjectName('name'),
  size: size('size'),
  accessModes: accessModesSchema,
  storageClassName: volumeClassName.optional(),
  volumeMode: z.enum(['Filesystem', 'Block']).optional(),
  volumeName: storageObjectName('volumeName').optional(),
});
export type CreateClaimRequest = z.infer<typeof createClaimRequestSchema>;

/** `POST /v1/storage/claims/{ns}/{name}/expand`. */
export const expandClaimRequestSchema = z.strictObject({ size: size('size') });
export type ExpandClaimRequest = z.infer<typeof expandClaimRequestSchema>;

/** `PUT /v1/storage/default-class`. */
export const setDefaultClassRequestSchema = z.strictObject({ name: storageObjectName('name') });
export type SetDefaultClassRequest = z.infer<typeof setDefaultClassRequestSchema>;

/** Path parameters and command payloads. */
export const volumeRefSchema = z.object({ name: storageObjectName('name') });
export const claimRefSchema = z.object({ namespace: dnsLabel('namespace'), name: storageObjectName('name') });
export const patchVolumePayloadSchema = volumeRefSchema.extend(patchVolumeRequestSchema.shape);
export const expandClaimPayloadSchema = claimRefSchema.extend(expandClaimRequestSchema.shape);
export const orphansQuerySchema = z.object({ namespace: dnsLabel('namespace').optional() });
export type VolumeRef = z.infer<typeof volumeRefSchema>;
export type ClaimRef = z.infer<typeof claimRefSchema>;

/** Operation kinds and their command actions (subject `bosun.cmd.storage.<action>.v1`). */
export const STORAGE_ACTIONS = {
  'storage.set-default-class': 'set-default-class',
  'storage.create-volume': 'create-volume',
  'storage.patch-volume': 'patch-volume',
  'storage.release-volume': 'release-volume',
  'storage.create-claim': 'create-claim',
  'storage.expand-claim': 'expand-claim',
} as const;
export type StorageOperationKind = keyof typeof STORAGE_ACTIONS;

/** Query names (subject `bosun.qry.storage.<name>.v1`). */
export const STORAGE_QUERIES = {
  classes: 'classes', volumes: 'volumes', claims: 'claims', diagnosis: 'diagnosis', orphans: 'orphans', validate: 'validate',
} as const;

// ---- responses ----

export interface StorageClassView {
  name: string;
  provisioner: string;
  reclaimPolicy: ReclaimPolicy;
  volumeBindingMode: 'Immediate' | 'WaitForFirstConsumer';
  allowVolumeExpansion: boolean;
  /** True only when this is the one default; two marked classes behave like none (000:4411-4446). */
  default: boolean;
  parameters?: Record<string, string>;
}

export interface VolumeView {
  name: string;
  capacity: string;
  accessModes: string[];
  storageClassName: string;
  reclaimPolicy: string;
  phase: string;
  claim?: string;
  hostPath?: string;
  node?: string;
}

export interface ClaimView {
  namespace: string;
  name: string;
  phase: string;
  size: string;
  capacity?: string;
  accessModes: string[];
  storageClassName?: string;
  boundTo?: string;
}

/** One volume considered for a claim; `reasons` is empty exactly when `matches`. */
export interface VolumeCandidate { volume: string; matches: boolean; reasons: string[] }

/** A claim-level cause of a Pending claim, with a stable code and words for people. */
export interface DiagnosisCause { code: string; message: string; hint: string }

/** `GET /v1/storage/claims/{ns}/{name}/diagnosis`. */
export interface ClaimDiagnosis {
  phase: string;
  boundTo?: string;
  candidates: VolumeCandidate[];
  hint: string;
  causes: DiagnosisCause[];
}

/** `result` of the `storage.create-claim` operation. */
export interface CreateClaimResult { phase: string; boundTo?: string; diagnosis?: ClaimDiagnosis }

export interface OrphanClaim {
  namespace: string;
  name: string;
  volume?: string;
  size?: string;
  /** The StatefulSet whose claim template made it (`<template>-<sts>-<ordinal>`), present or gone. */
  statefulSet?: { name: string; template: string; ordinal: number; exists: boolean };
  reason: string;
}
export interface OrphanVolume { name: string; capacity?: string; claim?: string; reclaimPolicy?: string; reason: string }

/** `GET /v1/storage/orphans`. */
export interface OrphanReport { claims: OrphanClaim[]; volumes: OrphanVolume[] }

// ---- commands and queries, for the gateway's routes and the chat verbs ----

/** The payload of each command action (what the handler validates with; the gateway sends the same). */
export const createVolumePayloadSchema = createVolumeRequestSchema;
export const createClaimPayloadSchema = createClaimRequestSchema;
export const releaseVolumePayloadSchema = volumeRefSchema;
export const setDefaultClassPayloadSchema = setDefaultClassRequestSchema;
export type PatchVolumePayload = z.infer<typeof patchVolumePayloadSchema>;
export type ExpandClaimPayload = z.infer<typeof expandClaimPayloadSchema>;

export type StorageAction = (typeof STORAGE_ACTIONS)[StorageOperationKind];

/** `bosun.cmd.storage.<action>.v1` → its payload schema. */
export const STORAGE_COMMAND_SCHEMAS: Record<StorageAction, z.ZodType> = {
  'set-default-class': setDefaultClassPayloadSchema,
  'create-volume': createVolumePayloadSchema,
  'patch-volume': patchVolumePayloadSchema,
  'release-volume': releaseVolumePayloadSchema,
  'create-claim': createClaimPayloadSchema,
  'expand-claim': expandClaimPayloadSchema,
};

/** Query params: `classes` and `volumes` take none; `claims` one namespace or all. */
export const noParamsSchema = z.object({});
export const claimsQuerySchema = z.object({ namespace: dnsLabel('namespace').optional() });
export const diagnosisQuerySchema = claimRefSchema;
/** `validate`: what the gateway asks before it accepts an operation (`kind` is `storage.<action>` or the action). */
export const storageValidateQuerySchema = z.object({ kind: z.string().min(1, 'kind is required'), payload: z.unknown() });
export type ClaimsQuery = z.infer<typeof claimsQuerySchema>;
export type OrphansQuery = z.infer<typeof orphansQuerySchema>;

/** `bosun.qry.storage.<name>.v1` → its params schema. */
export const STORAGE_QUERY_SCHEMAS: Record<(typeof STORAGE_QUERIES)[keyof typeof STORAGE_QUERIES], z.ZodType> = {
  classes: noParamsSchema, volumes: noParamsSchema, claims: claimsQuerySchema, diagnosis: diagnosisQuerySchema, orphans: orphansQuerySchema,
  validate: storageValidateQuerySchema,
};

/** `result` of `storage.set-default-class`: the one default afterwards and the classes unmarked on the way. */
export interface SetDefaultClassResult { default: string; unset: string[]; changed: boolean }

/** `result` of `storage.create-volume`, `storage.patch-volume` and `storage.release-volume`. */
export type VolumeResult = VolumeView & { changed: boolean };

/**
 * `result` of `storage.expand-claim`: the requested size and the capacity the claim reports
 * afterwards (`resized` once `status.capacity` reached it; a class's own resizer may take longer).
 */
export interface ExpandClaimResult { namespace: string; name: string; size: string; capacity?: string; resized: boolean; changed: boolean }
