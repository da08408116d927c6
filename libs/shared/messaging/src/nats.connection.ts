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

/** Connects with unlimited reconnects: a NATS restart must never take a service down. */
export async function connectNats(url: string, name: string, logger: BosunLogger, auth?: NatsAuth): Promise<NatsConnection> {
  // noAsyncTraces: nats.js otherwise builds an Error (a stack) for every request in case it
  // fails — 11 % of the gateway's intake CPU (bench/results/intake.md).
  const options: ConnectionOptions = { servers: url, name, maxReconnectAttempts: -1, reconnectTimeWait: 500, pingInterval: 5000, noAsyncTraces: true };
  if (auth) {
    options.authenticator = nkeyAuthenticator(new TextEncoder().encode(auth.seed));
    options.inboxPrefix = inboxPrefixOf(auth.principal);
  }
  let nc: NatsConnection;
  try {
    nc = await connect(options);
  } catch (e) {
    const why = (e as Error).message;
    const hint = /authorization|authentication/i.test(why)
      ? auth ? ` as ${auth.principal}: the server does not know this nkey (is its accounts file from the same seeds?)` : ': the server requires credentials (set NATS_NKEY_SEED or NATS_NKEY_SEED_FILE)'
      : '';
    throw new Error(`cannot connect to NATS at ${redactUrl(url)}${hint}: ${why}`);
  }
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
