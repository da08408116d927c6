import { createHash } from 'node:crypto';
import type { Operation } from '@bosun/contracts';

/**
 * A chat thread following one operation, as kept in a shared store so that a chatops
 * restart (or another replica) can carry on where the last one stopped. The thread is its
 * response URL: one follow per operation and URL, whoever started it.
 */
export interface FollowRecord {
  operationId: string;
  /** The chat user the events are read as (the gateway checks they still may). */
  platform: 'slack' | 'webhook';
  userId: string;
  /** The canonical URL the allow-list passed; a capability, so the store keeps it sealed. */
  responseUrl: string;
  /** Button decisions replace the card they were on. */
  replaceOriginal: boolean;
  /** Epoch milliseconds. */
  startedAt: number;
  /** Nobody follows after this (the follow limit); the store forgets the record then. */
  expiresAt: number;
}

/** What has been said in the thread so far, updated as posts go out. */
export interface FollowProgress {
  /** Posts spent on the response URL (Slack allows five). */
  sent: number;
  /** The state the thread last saw (a fingerprint of status and progress). */
  shown: string;
}

const FORMAT = 1;

/** What a thread has been shown of an operation: its status and progress (the rest changes without news). */
export const progressFingerprint = (op: Pick<Operation, 'status' | 'progress'>): string =>
  `${op.status}|${op.progress ? `${op.progress.current}/${op.progress.total} ${op.progress.message}` : ''}`;

/** A fixed-length, store-safe id for one operation in one thread; the URL cannot be read back from it. */
export const followId = (operationId: string, responseUrl: string): string =>
  createHash('sha256').update(`${operationId}\n${responseUrl}`).digest('hex').slice(0, 40);

export interface NewFollow {
  operationId: string;
  user: { platform: 'slack' | 'webhook'; userId: string };
  responseUrl: string;
  replaceOriginal: boolean;
  now: number;
  limitMs: number;
}

export const newFollow = (f: NewFollow): FollowRecord => ({
  operationId: f.operationId, platform: f.user.platform, userId: f.user.userId, responseUrl: f.responseUrl,
  replaceOriginal: f.replaceOriginal, startedAt: f.now, expiresAt: f.now + Math.max(0, f.limitMs),
});

export const encodeFollow = (r: FollowRecord): string => JSON.stringify({ v: FORMAT, ...r });

const isString = (v: unknown): v is string => typeof v === 'string' && v !== '';
const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

/** The record, or undefined when it is not one this version wrote (it is then dropped, not guessed at). */
export const decodeFollow = (text: string): FollowRecord | undefined => {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (typeof raw !== 'object' || raw === null || raw.v !== FORMAT) return undefined;
  const { operationId, platform, userId, responseUrl, replaceOriginal, startedAt, expiresAt } = raw;
  if (!isString(operationId) || !isString(userId) || !isString(responseUrl)) return undefined;
  if ((platform !== 'slack' && platform !== 'webhook') || typeof replaceOriginal !== 'boolean') return undefined;
  if (!isTime(startedAt) || !isTime(expiresAt) || expiresAt < startedAt) return undefined;
  return { operationId, platform, userId, responseUrl, replaceOriginal, startedAt, expiresAt };
};

export type ResumeDecision =
  | { resume: true; remainingMs: number }
  | { resume: false; why: 'expired' | 'budget spent' | 'final claimed' };

/**
 * Whether a stored follow is worth picking up. A final message already claimed is never
 * posted again — not even when its claimant died mid-post: at most one final message per
 * thread (the claimant may have delivered it; a second would be a duplicate).
 */
export const resumeDecision = (r: FollowRecord, p: FollowProgress, state: { now: number; maxPosts: number; finalClaimed: boolean }): ResumeDecision => {
  if (state.finalClaimed) return { resume: false, why: 'final claimed' };
  if (state.now >= r.expiresAt) return { resume: false, why: 'expired' };
  if (p.sent >= state.maxPosts) return { resume: false, why: 'budget spent' };
  return { resume: true, remainingMs: r.expiresAt - state.now };
};
