import type { CreateClaimRequest, CreateVolumeRequest, FieldError } from '@bosun/contracts';
import { compareQuantities, formatQuantity, fromWhole, parseQuantity, type Quantity } from '@bosun/quantity';
import type { PersistentVolumeClaim, StorageClass } from './kube-types';
import { claimClassOf } from './volume.matcher';
import { fail, fieldError, ok, type Result } from '@bosun/contracts';

// The checks the API server would make that the zod schemas cannot: sizes as exact quantities,
// ReadWriteOncePod alone, and the expansion rules (a claim never shrinks, 004:3271; only a class
// with allowVolumeExpansion grows one). Run after the schema passed; `[]` means it will apply.

const ZERO = fromWhole(0n);

/** A positive quantity at `path`, or the errors that say why not. */
export const positiveSize = (text: string, path: string): Result<Quantity> => {
  const parsed = parseQuantity(text, path);
  if (!parsed.ok) return parsed;
  if (compareQuantities(parsed.value, ZERO) <= 0) return fail([fieldError(path, `Invalid value: "${text}": must be greater than zero`)]);
  return ok(parsed.value);
};

const errorsOf = <T>(r: Result<T>): FieldError[] => (r.ok ? [] : r.errors);

/** Upstream validation: ReadWriteOncePod may not be combined with another mode. */
const accessModeErrors = (modes: readonly string[]): FieldError[] =>
  modes.includes('ReadWriteOncePod') && modes.length > 1
    ? [fieldError('accessModes', 'may not use ReadWriteOncePod with other access modes')]
    : [];

const hostPathErrors = (path: string | undefined): FieldError[] =>
  path !== undefined && path.split('/').includes('..') ? [fieldError('hostPath.path', "must not contain '..'")] : [];

export const validateVolumeRequest = (req: CreateVolumeRequest): FieldError[] => [
  ...errorsOf(positiveSize(req.capacity, 'capacity')),
  ...accessModeErrors(req.accessModes),
  ...hostPathErrors(req.hostPath?.path),
];

export const validateClaimRequest = (req: CreateClaimRequest): FieldError[] => [
  ...errorsOf(positiveSize(req.size, 'size')),
  ...accessModeErrors(req.accessModes),
];

/** What an expansion is checked against: the claim as it is and its class (undefined when it has none or it is gone). */
export interface ExpansionInput {
  claim: PersistentVolumeClaim;
  storageClass?: StorageClass;
  size: string;
}

/** The current and the requested size of a valid expansion; `grows` is false for an unchanged size (a no-op). */
export interface ExpansionCheck { from: Quantity; to: Quantity; grows: boolean }

const currentRequest = (claim: PersistentVolumeClaim): Quantity => {
  const parsed = parseQuantity(String(claim.spec?.resources?.requests?.storage ?? '0'));
  return parsed.ok ? parsed.value : ZERO;
};

const classErrors = (claim: PersistentVolumeClaim, sc: StorageClass | undefined): FieldError[] => {
  if (sc?.allowVolumeExpansion === true) return [];
  const name = claimClassOf(claim);
  const why = !name ? 'the claim has no StorageClass' : !sc ? `storageclass.storage.k8s.io "${name}" not found` : `StorageClass "${name}" does not set allowVolumeExpansion`;
  // The first sentence is the API server's own (PVC update validation).
  return [fieldError('size', `only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize (${why})`)];
};

/**
 * Checks `POST …/expand {size}` (API.md: shrinking → 422, a class without allowVolumeExpansion →
 * 422), as FieldErrors on `size`. Only a Bound claim can be resized.
 */
export const validateExpansion = (input: ExpansionInput): Result<ExpansionCheck> => {
  const size = positiveSize(input.size, 'size');
  if (!size.ok) return size;
  const from = currentRequest(input.claim);
  const errors: FieldError[] = [];
  if (compareQuantities(size.value, from) < 0) {
    errors.push(fieldError('size', `Forbidden: ${formatQuantity(size.value)} is less than the claim's ${formatQuantity(from)}: a claim cannot shrink`));
  }
  if (input.claim.status?.phase !== 'Bound') {
    errors.push(fieldError('size', `Forbidden: only a Bound claim can be resized (it is ${input.claim.status?.phase ?? 'Pending'})`));
  }
  errors.push(...classErrors(input.claim, input.storageClass));
  return errors.length > 0 ? fail(errors) : ok({ from, to: size.value, grows: compareQuantities(size.value, from) > 0 });
};

const quantityOr0 = (text: string): Quantity => {
  const parsed = parseQuantity(text);
  return parsed.ok ? parsed.value : ZERO;
};

/** Compares two sizes as exact quantities (`1Gi` = `1024Mi`); one that does not parse counts as 0. */
export const compareSizes = (a: string, b: string): -1 | 0 | 1 => compareQuantities(quantityOr0(a), quantityOr0(b));
