import type { Operation } from '@bosun/contracts';
import type { Block } from './block-kit.types';
import { code, context, esc, section } from './mrkdwn.format';
import { dnsCheckBlocks, dnsChecksSummary } from './dns.renderer';
import { drainResultBlocks } from './node.renderer';
import { readDnsChecks, readDrainResult, readTenantResult } from './result.views';
import { obj } from './wire.readers';

// What an operation's `result` says, by kind, for the final message of a followed
// operation: the DNS checklist, a drain's evictions and blockers, a tenant's quota.

const isDnsChecks = (kind: string): boolean => kind === 'dns.checks' || kind === 'dns.check';
const hasResult = (op: Operation): boolean => Object.keys(obj(op.result)).length > 0;

const tenantBlocks = (op: Operation): Block[] => {
  const t = readTenantResult(op.result);
  const quota = Object.entries(t.hard).map(([k, v]) => `${esc(k)} ${esc(v)}`);
  const blocks: Block[] = [section(`Namespace ${code(t.name || op.target.name || '?')} is ready${quota.length > 0 ? ` with quota ${quota.slice(0, 12).join(', ')}` : ' (no quota)'}.`)];
  if (t.warnings.length > 0) blocks.push(context(...t.warnings.slice(0, 5).map((w) => `⚠️ ${esc(w)}`)));
  return blocks;
};

/** Blocks for the operation's result, or none when its kind has nothing worth showing. */
export const resultBlocks = (op: Operation): Block[] => {
  if (!hasResult(op)) return [];
  if (isDnsChecks(op.kind) && op.status === 'succeeded') return dnsCheckBlocks(readDnsChecks(op.result));
  if (op.kind === 'node.drain' && (op.status === 'succeeded' || op.status === 'failed')) return drainResultBlocks(readDrainResult(op.result), op.status === 'failed');
  if (op.kind === 'tenant.create' && op.status === 'succeeded') return tenantBlocks(op);
  return [];
};

/** A few words of the result for the one-line text (notifications, screen readers). */
export const resultSummary = (op: Operation): string => {
  if (!hasResult(op)) return '';
  if (isDnsChecks(op.kind) && op.status === 'succeeded') return ` (${dnsChecksSummary(readDnsChecks(op.result))})`;
  if (op.kind === 'node.drain' && (op.status === 'succeeded' || op.status === 'failed')) {
    const r = readDrainResult(op.result);
    return ` (${r.evicted.length} evicted${r.blocked.length > 0 ? `, ${r.blocked.length} blocked` : ''})`;
  }
  return '';
};
