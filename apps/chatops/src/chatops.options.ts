import type { BosunConfig } from '@bosun/config';
import { DEFAULT_AVAILABLE_CAPABILITIES, type Capability } from '@bosun/chatops-domain';

/** Timings and limits of the chat front door; tests shrink them, production keeps the defaults. */
export interface ChatopsOptions {
  /** Slack gives up after 3 s: whatever is not done by then is acked as "working on it". */
  ackDeadlineMs: number;
  /** Ceiling for one gateway call that carries on in the background after the ack. */
  gatewayTimeoutMs: number;
  /** Attempts per response-URL post (the first included). */
  postAttempts: number;
  /** First retry delay; doubles each time, with jitter. */
  postBackoffMs: number;
  postTimeoutMs: number;
  /** Slack accepts five posts per response_url; one is kept for the final message. */
  maxPostsPerResponseUrl: number;
  /** Least time between two progress posts; the latest state wins when updates come faster. */
  progressIntervalMs: number;
  /** Give up following an operation after this long (approval wait plus rollout, with margin). */
  followLimitMs: number;
  /** First delay before re-opening a dropped event stream; doubles up to 30 s. */
  reconnectBackoffMs: number;
  /**
   * A follow is held by one process at a time for this long, renewed while it lives: after a
   * crash another replica (or the restarted process) resumes it within this plus one sweep.
   */
  followLeaseMs: number;
  /** How often leases are renewed and stored follows nobody holds are picked up (well under the lease). */
  followSweepMs: number;
  /** Capabilities whose services run; other verbs answer "coming soon". */
  capabilities: ReadonlySet<Capability>;
}

export const defaultChatopsOptions = (config: BosunConfig): ChatopsOptions => ({
  ackDeadlineMs: 2000,
  gatewayTimeoutMs: 20_000,
  postAttempts: 4,
  postBackoffMs: 500,
  postTimeoutMs: 5000,
  maxPostsPerResponseUrl: 5,
  progressIntervalMs: 2000,
  followLimitMs: (config.approvalTtlSeconds + config.rolloutTimeoutSeconds + 300) * 1000,
  reconnectBackoffMs: 1000,
  followLeaseMs: 15_000,
  followSweepMs: 5000,
  capabilities: DEFAULT_AVAILABLE_CAPABILITIES,
});
