import { connect, nkeyAuthenticator } from '@nats-io/transport-node';
import type { ConnectionOptions, NatsConnection } from '@nats-io/transport-node';
import type { BosunLogger } from '@bosun/logging';
import { redactUrl } from './url.redaction';

/**
 * Who a connection is on Bosun's bus (ADR 0005): the principal names its permissions on the
 * server (tools/nats-auth/permissions.cjs) and its own inbox prefix, the seed proves it.
 */
export interface NatsAuth {
  principal: string;
  seed: string;
}

/** The inbox prefix of a principal; the server lets nobody else subscribe under it. */
export const inboxPrefixOf = (principal: string): string => `_INBOX.${principal}`;

const isAuthError = (why: string): boolean => /authorization|authentication/i.test(why);

/**
 * The first connect is retried until `firstConnectDeadlineMs` (default 60 s): a NATS that is
 * restarting (its port open, JetStream still recovering its store) or starting beside the app
 * answers late, and an app or a test that gives up at once is a flake. Credentials the server
 * refuses are final: retrying cannot fix them.
 */
async function connectWithRetry(options: ConnectionOptions, url: string, logger: BosunLogger, auth: NatsAuth | undefined, firstConnectDeadlineMs = 60_000): Promise<NatsConnection> {
  const deadline = Date.now() + firstConnectDeadlineMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await connect({ ...options, timeout: 5000 });
    } catch (e) {
      const why = (e as Error).message;
      if (isAuthError(why)) {
        const hint = auth ? ` as ${auth.principal}: the server does not know this nkey (is its accounts file from the same seeds?)` : ': the server requires credentials (set NATS_NKEY_SEED or NATS_NKEY_SEED_FILE)';
        throw new Error(`cannot connect to NATS at ${redactUrl(url)}${hint}: ${why}`);
      }
      if (Date.now() >= deadline) throw new Error(`cannot connect to NATS at ${redactUrl(url)} after ${attempt} attempts: ${why}`);
      logger.warn({ url: redactUrl(url), attempt, err: why }, 'nats not answering yet; retrying');
      await new Promise((r) => setTimeout(r, Math.min(250 * attempt, 2000)));
    }
  }
}

/** Connects with unlimited reconnects: a NATS restart must never take a service down. */
export interface ConnectNatsOptions {
  /** How long the first connect is retried (default 60 s); 0 tries once (a user's server, answered now or reported). */
  firstConnectDeadlineMs?: number;
}

export async function connectNats(url: string, name: string, logger: BosunLogger, auth?: NatsAuth, opts: ConnectNatsOptions = {}): Promise<NatsConnection> {
  // noAsyncTraces: nats.js otherwise builds an Error (a stack) for every request in case it
  // fails — 11 % of the gateway's intake CPU (bench/results/intake.md).
  const options: ConnectionOptions = { servers: url, name, maxReconnectAttempts: -1, reconnectTimeWait: 500, pingInterval: 5000, noAsyncTraces: true };
  if (auth) {
    options.authenticator = nkeyAuthenticator(new TextEncoder().encode(auth.seed));
    options.inboxPrefix = inboxPrefixOf(auth.principal);
  }
  const nc = await connectWithRetry(options, url, logger, auth, opts.firstConnectDeadlineMs);
  void (async () => {
    for await (const s of nc.status()) {
      if (s.type === 'disconnect' || s.type === 'reconnect' || s.type === 'error') {
        logger.warn({ nats: s.type, server: 'server' in s ? s.server : undefined, err: 'error' in s ? String(s.error) : undefined }, 'nats connection status');
      }
    }
  })();
  logger.info({ url: redactUrl(url), name, principal: auth?.principal }, 'connected to nats');
  return nc;
}
