/** A rule of `PUT /v1/policies/approvals`: matching operations wait for `approvals` approvers. */
export interface ApprovalRule { namespaces: string[]; actions: string[]; approvals: number }

/** Shell-style glob with `*` only (`prod-*`, `deployment.*`), anchored. */
export const globMatches = (pattern: string, value: string): boolean => {
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return re.test(value);
};

/** Approvals an operation needs: the largest of the matching rules, 0 when none matches. */
export function requiredApprovals(rules: readonly ApprovalRule[], action: string, namespace: string | undefined): number {
  let needed = 0;
  for (const r of rules) {
    const ns = namespace ?? '';
    if (r.actions.some((a) => globMatches(a, action)) && r.namespaces.some((n) => globMatches(n, ns))) needed = Math.max(needed, r.approvals);
  }
  return needed;
}
