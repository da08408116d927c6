import type { BosunConfig } from '@bosun/config';

/**
 * Tunables of the gateway's background work. Every field has a default; the deployment's
 * configuration (BOSUN_RECONCILE_*) and tests pass other values.
 */
export interface GatewayOptions {
  /** The outbox sender (OperationDispatcher). */
  dispatcher?: {
    /** How often it looks for unsent commands (default 1 s). */
    intervalMs?: number;
    /** A command is left to the request that accepted it for this long (default 2 s). */
    graceMs?: number;
  };
  reconciler?: {
    /** How often the reconciler looks for stuck operations (default 30 s). */
    intervalSeconds?: number;
    /** An operation queued or running without change for this long is asked about (default 120 s). */
    afterSeconds?: number;
    /** How long the owning service may take to answer (default 2 s). */
    queryTimeoutMs?: number;
  };
  operationEvents?: {
    /** Deliveries of one lifecycle event before it is dead-lettered (default 20). */
    maxDeliver?: number;
    /** How long a delivery may stay unacknowledged (default 30 s). */
    ackWaitMs?: number;
  };
}

/** The options a deployment configures (BOSUN_RECONCILE_INTERVAL_SECONDS, BOSUN_RECONCILE_AFTER_SECONDS), from the typed config. */
export function gatewayOptionsFrom(config: Pick<BosunConfig, 'reconcile'>): GatewayOptions {
  return { reconciler: { intervalSeconds: config.reconcile.intervalSeconds, afterSeconds: config.reconcile.afterSeconds } };
}
