import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/transport-node';
import type { BosunLogger } from '@bosun/logging';
import { redactUrl } from './url.redaction';

/** Connects with unlimited reconnects: a NATS restart must never take a service down. */
export async function connectNats(url: string, name: string, logger: BosunLogger): Promise<NatsConnection> {
  const nc = await connect({ servers: url, name, maxReconnectAttempts: -1, reconnectTimeWait: 500, pingInterval: 5000 });
  void (async () => {
    for await (const s of nc.status()) {
      if (s.type === 'disconnect' || s.type === 'reconnect' || s.type === 'error') {
        logger.warn({ nats: s.type, server: 'server' in s ? s.server : undefined }, 'nats connection status');
      }
    }
  })();
  logger.info({ url: redactUrl(url), name }, 'connected to nats');
  return nc;
}
