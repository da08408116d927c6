import { formatQuantity, parseQuantity, subtractQuantities } from '@bosun/quantity';
import type { ResourceQuota } from 'kubernetes-types/core/v1';

/** A tenant's quota as `kubectl describe quota` shows it, plus what is left. */
export interface QuotaView {
  hard: Record<string, string>;
  used: Record<string, string>;
  /** hard − used, exact (`1Gi` − `600Mi` = `424Mi`); negative when a lowered quota is already exceeded. */
  headroom: Record<string, string>;
}

const difference = (hard: string, used: string): string | undefined => {
  const h = parseQuantity(hard);
  const u = parseQuantity(used);
  return h.ok && u.ok ? formatQuantity(subtractQuantities(h.value, u.value)) : undefined;
};

/**
 * Hard, used and headroom per resource of a ResourceQuota (000:1590-1600). The status is
 * what the quota controller enforces; before it has synced, the spec's hard and no usage.
 */
export const quotaView = (quota: ResourceQuota | undefined): QuotaView => {
  const hard = { ...(quota?.status?.hard ?? quota?.spec?.hard ?? {}) };
  const used: Record<string, string> = {};
  const headroom: Record<string, string> = {};
  for (const [resource, limit] of Object.entries(hard)) {
    used[resource] = quota?.status?.used?.[resource] ?? '0';
    const left = difference(limit, used[resource]);
    if (left !== undefined) headroom[resource] = left;
  }
  return { hard, used, headroom };
};
