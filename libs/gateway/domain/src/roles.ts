/** Bosun roles, from least to most powerful. */
export const ROLES = ['viewer', 'operator', 'approver', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/**
 * What each role may do. `approver` can read and decide approvals but not change
 * workloads; `operator` changes workloads but cannot approve; `admin` does everything.
 */
const GRANTS: Record<Role, readonly Role[]> = {
  viewer: ['viewer'],
  operator: ['viewer', 'operator'],
  approver: ['viewer', 'approver'],
  admin: ['viewer', 'operator', 'approver', 'admin'],
};

/** True when any of `held` grants `required`. */
export const allows = (held: readonly Role[], required: Role): boolean => held.some((r) => GRANTS[r]?.includes(required));
