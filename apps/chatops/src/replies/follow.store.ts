import type { FollowProgress, FollowRecord } from '@bosun/chatops-domain';

/** A stored follow as a process picking it up sees it. */
export interface StoredFollow {
  record: FollowRecord;
  progress: FollowProgress;
  /** Someone claimed the right to post its final message already. */
  finalClaimed: boolean;
}

/**
 * Port: the follows of every chat thread, where any chatops replica (and the next process
 * after a restart or a crash) can see them. One holder at a time follows a thread (a lease
 * it renews); one claimant ever posts its final message.
 */
export abstract class FollowStore {
  /** Keeps a new follow and takes its lease; false when another holder follows this thread already. */
  abstract start(id: string, record: FollowRecord, progress: FollowProgress, owner: string, leaseMs: number): Promise<boolean>;
  /** Ids of follows that have not expired, soonest to expire first. */
  abstract pending(now: number, limit: number): Promise<string[]>;
  /** The lease of a follow nobody holds, and its state; undefined when it is held or gone (an unreadable one is dropped). */
  abstract take(id: string, owner: string, leaseMs: number): Promise<StoredFollow | undefined>;
  /** Extends a held lease (or takes it back if it lapsed unclaimed); false when another holder has it now. */
  abstract renew(id: string, owner: string, leaseMs: number): Promise<boolean>;
  /** Lets go of the lease (only ours), so that the next process resumes the follow at once. */
  abstract release(id: string, owner: string): Promise<void>;
  /** A progress post was spent, showing `shown`. */
  abstract progressed(id: string, shown: string): Promise<void>;
  /** The one right to post the final message: true for a single owner, until `untilMs` (epoch). */
  abstract claimFinal(id: string, owner: string, untilMs: number): Promise<boolean>;
  /** Gives the claim back (only ours): the final post did not go out and the next process may try. */
  abstract unclaimFinal(id: string, owner: string): Promise<void>;
  /** The follow is over: forget it (the final claim stays until it expires, for late readers). */
  abstract end(id: string): Promise<void>;
}
