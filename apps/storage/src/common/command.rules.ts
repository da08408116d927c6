import { STORAGE_ACTIONS, STORAGE_COMMAND_SCHEMAS, toFieldErrors } from '@bosun/contracts';
import type { ExpandClaimPayload, FieldError, StorageAction, StorageOperationKind } from '@bosun/contracts';
import { positiveSize, validateClaimRequest, validateVolumeRequest } from '@bosun/storage-domain';

const expansionRules = (p: ExpandClaimPayload): FieldError[] => {
  const size = positiveSize(p.size, 'size');
  return size.ok ? [] : size.errors;
};

/** The domain checks of each action that need no cluster (the schemas cannot make them). */
export const STORAGE_RULES = {
  'create-claim': validateClaimRequest,
  'create-volume': validateVolumeRequest,
  'expand-claim': expansionRules,
} as const;
const RULES: Partial<Record<StorageAction, (payload: never) => FieldError[]>> = STORAGE_RULES;

const ACTIONS = new Set<string>(Object.values(STORAGE_ACTIONS));

/** `storage.expand-claim` or `expand-claim` → `expand-claim`; undefined for anything else. */
export const actionOf = (kindOrAction: string): StorageAction | undefined => {
  if (Object.hasOwn(STORAGE_ACTIONS, kindOrAction)) return STORAGE_ACTIONS[kindOrAction as StorageOperationKind];
  return ACTIONS.has(kindOrAction) ? (kindOrAction as StorageAction) : undefined;
};

/** The schema, then the rules: the same the handler applies on receipt. */
export const parseCommand = (action: StorageAction, payload: unknown): { ok: true; value: unknown } | { ok: false; errors: FieldError[] } => {
  const parsed = STORAGE_COMMAND_SCHEMAS[action].safeParse(payload);
  if (!parsed.success) return { ok: false, errors: toFieldErrors(parsed.error) };
  const errors = RULES[action]?.(parsed.data as never) ?? [];
  return errors.length ? { ok: false, errors } : { ok: true, value: parsed.data };
};
