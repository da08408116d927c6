// Test-only: the gateway in-process on the test NATS and Redis, with the test acting as every
// back-end service (it publishes their lifecycle events and answers their queries). Not imported by main.ts.
import type { INestApplication } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import { pingSubject, querySubject } from '@bosun/contracts';
import type { PingReply, QueryEnvelope, QueryReply, ServiceName } from '@bosun/contracts';
import { loadConfig } from '@bosun/config';
import { createLogger } from '@bosun/logging';
import { connectNats, connectRedis, decodeJson, encodeJson, JetStreamPublisher, OperationControl, OperationReporter } from '@bosun/messaging';
import type { NatsConnection, Redis } from '@bosun/messaging';
import { TEST_ENCRYPTION_KEY, testInfra, testNatsAuth, testNatsEnv, uniqueName } from '@bosun/testing';
import { createGateway } from '../app.factory';
import type { GatewayOptions } from '../gateway.options';

export const ADMIN_TOKEN = 'gateway-int-admin-token-0123456789';

export interface Reply { status: number; body: any; headers: Headers }

export class GatewayHarness {
  private readonly subs: { unsubscribe(): void }[] = [];
  private readonly services = new Map<ServiceName, Promise<NatsConnection>>();
  private readonly answerers: NatsConnection[] = [];
  private constructor(
    readonly app: INestApplication, readonly url: string, readonly nc: NatsConnection, readonly redis: Redis,
    readonly reporter: OperationReporter, readonly control: OperationControl, private readonly serviceNc: NatsConnection,
  ) {}

  static async start(options: GatewayOptions = {}, env: Record<string, string> = {}): Promise<GatewayHarness> {
    // The services' key: the gateway seals deploy env values with it.
    const config = loadConfig('gateway', { ...process.env, ...testNatsEnv('gateway'), BOSUN_ADMIN_TOKEN: ADMIN_TOKEN, BOSUN_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY, BOSUN_INSTANCE_ID: uniqueName('gateway-int'), BOSUN_RATE_LIMIT_PER_MINUTE: '0', LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn', ...env });
    const logger = createLogger('gateway', config.logLevel);
    const app = await createGateway(config, logger, options);
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as AddressInfo;
    const silent = createLogger('test', 'silent');
    const nc = await connectNats(testInfra().natsUrl, uniqueName('gateway-int-test'), silent, testNatsAuth('gateway'));
    // The test plays the services (ADR 0005: on the bus as each of them): it reports as the deployer.
    const serviceNc = await connectAs('deployer');
    const redis = connectRedis(testInfra().redisUrl, 'gateway-int-test', silent);
    redis.on('error', () => undefined); // Redis is restarted on purpose in some tests
    return new GatewayHarness(app, `http://127.0.0.1:${port}`, nc, redis, new OperationReporter(new JetStreamPublisher(serviceNc), 'deployer'), await OperationControl.open(nc), serviceNc);
  }

  async call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
    const res = await fetch(`${this.url}${path}`, {
      method, headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try { parsed = text ? JSON.parse(text) : undefined; } catch { /* not JSON */ }
    return { status: res.status, body: parsed, headers: res.headers };
  }

  /** Answers one query of a service the way the service would (the gateway asks over real NATS). */
  async answer<P>(service: ServiceName, query: string, handler: (params: P, env: QueryEnvelope<P>) => QueryReply<unknown> | Promise<QueryReply<unknown>>): Promise<void> {
    const subject = query === 'ping' ? pingSubject(service) : querySubject(service, query);
    // Its own connection, as a replica would have: each may answer a request once (allow_responses).
    const nc = await connectAs(service);
    this.answerers.push(nc);
    this.subs.push(nc.subscribe(subject, {
      callback: (_e, m) => void (async () => {
        const env = decodeJson(m.data) as QueryEnvelope<P>;
        m.respond(encodeJson(await handler(env.params, env)));
      })(),
    }));
    await nc.flush(); // the subscription is on the server before the gateway asks
  }

  /** A healthy ping reply of one replica. */
  static ping(service: ServiceName, instance: string, health: PingReply['health'] = { nats: { ok: true } }): QueryReply<PingReply> {
    return { ok: true, value: { service, instance, version: 'test', uptimeSeconds: 1, health } };
  }

  /** The bus as one service (its own credentials): answering its queries, publishing its events. */
  as(service: ServiceName): Promise<NatsConnection> {
    if (service === 'deployer') return Promise.resolve(this.serviceNc);
    let c = this.services.get(service);
    if (!c) this.services.set(service, (c = connectAs(service)));
    return c;
  }

  stopAnswering(): void {
    for (const s of this.subs.splice(0)) s.unsubscribe();
  }

  async close(): Promise<void> {
    this.stopAnswering();
    await this.app.close();
    await this.nc.drain().catch(() => undefined);
    await this.serviceNc.drain().catch(() => undefined);
    for (const c of this.services.values()) await (await c).drain().catch(() => undefined);
    for (const c of this.answerers.splice(0)) await c.drain().catch(() => undefined);
    this.redis.disconnect();
  }
}

const connectAs = (service: ServiceName): Promise<NatsConnection> =>
  connectNats(testInfra().natsUrl, uniqueName(`gateway-int-${service}`), createLogger('test', 'silent'), testNatsAuth(service));
