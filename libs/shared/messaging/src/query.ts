import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import type { z } from 'zod';
import { queryEnvelopeSchema } from '@bosun/contracts';
import type { QueryEnvelope, QueryReply } from '@bosun/contracts';
import type { BosunLogger } from '@bosun/logging';
import { decodeJson, encodeJson } from './codec';

/** Request/reply over core NATS with a timeout; failures come back as typed values. */
export class QueryClient {
  constructor(private readonly nc: NatsConnection) {}

  async request<T>(subject: string, envelope: QueryEnvelope, timeoutMs = 5000): Promise<QueryReply<T>> {
    try {
      const msg = await this.nc.request(subject, encodeJson(envelope), { timeout: timeoutMs });
      return decodeJson(msg.data) as QueryReply<T>;
    } catch (e) {
      const text = String((e as Error)?.message ?? e);
      if (/no responders/i.test(text)) return { ok: false, error: { code: 'Unreachable', message: `no service answers ${subject}` } };
      if (/timeout/i.test(text)) return { ok: false, error: { code: 'Timeout', message: `${subject} did not answer within ${timeoutMs} ms` } };
      return { ok: false, error: { code: 'Unreachable', message: text } };
    }
  }
}

/** Serves one query subject in a queue group, so replicas share the load. */
export function serveQuery<P, T>(
  nc: NatsConnection,
  subject: string,
  /** queue group: one replica answers; undefined: every replica does (ping, so replicas can be counted) */
  queue: string | undefined,
  paramsSchema: z.ZodType<P>,
  handler: (params: P, envelope: QueryEnvelope<P>) => Promise<QueryReply<T>>,
  logger: BosunLogger,
): Subscription {
  return nc.subscribe(subject, {
    ...(queue ? { queue } : {}),
    callback: (err, msg) => {
      if (err) return logger.error({ err, subject }, 'query subscription error');
      void (async () => {
        let reply: QueryReply<unknown>;
        try {
          const env = queryEnvelopeSchema.safeParse(decodeJson(msg.data));
          const params = env.success ? paramsSchema.safeParse(env.data.params) : undefined;
          if (!env.success || !params?.success) {
            const issues = (env.success ? params!.error! : env.error).issues;
            reply = { ok: false, error: { code: 'Invalid', message: 'invalid query', fieldErrors: issues.map((i) => ({ path: i.path.join('.'), message: i.message })) } };
          } else {
            reply = await handler(params.data, { ...env.data, params: params.data });
          }
        } catch (e) {
          logger.error({ err: e, subject }, 'query handler failed');
          reply = { ok: false, error: { code: 'Internal', message: 'the service failed to answer; see its logs' } };
        }
        msg.respond(encodeJson(reply));
      })();
    },
  });
}
