/**
 * The kit's Nest transport vs the bare nats.js path it replaced, in one run:
 *  - bare: a core-NATS queue-group subscription that parses the envelope and params with zod and replies (the old serveQuery);
 *  - transport: the same query as a `@QueryHandler` served by BosunTransport (Nest's pipes, interceptors and filters on the way).
 * Both are asked sequentially through the same QueryClient. Goal: transport p50 ≤ 1.1× bare.
 * Writes bench/results/transport.md and prints it.
 */
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Controller, Module } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { z } from 'zod';
import { querySubject, queryEnvelopeSchema } from '@bosun/contracts';
import { loadConfig } from '@bosun/config';
import { createLogger } from '@bosun/logging';
import { connectNats, decodeJson, encodeJson, QueryClient } from '@bosun/messaging';
import { createServiceApp, QueryHandler } from '@bosun/service-kit';
import { testNatsAuth, testNatsEnv } from '@bosun/testing';
import { fmt, nowMs, summarize } from './stats';
import type { Summary } from './stats';

const root = join(__dirname, '..', '..');
const logger = createLogger('bench', 'silent');
const N = Number(process.env.BENCH_N ?? 5000);
const params = z.object({ namespace: z.string().min(1), name: z.string().min(1) });
// Both answered as the dns-inspector (ADR 0005: only it may answer its queries).
const BARE = querySubject('dns-inspector', 'bench-bare');
const KIT = querySubject('dns-inspector', 'bench-echo');
/** Every query the gateway asks names its actor (a @QueryHandler refuses one that does not). */
const ACTOR = { subject: 'user:bench', groups: [], via: 'api' as const };

@Controller()
class EchoQueries {
  @QueryHandler(KIT, params)
  echo(@Payload() p: z.infer<typeof params>): unknown {
    return { namespace: p.namespace, name: p.name };
  }
}
@Module({ controllers: [EchoQueries] })
class EchoModule {}

async function measure(client: QueryClient, subject: string): Promise<Summary> {
  for (let i = 0; i < 500; i++) await client.request(subject, { actor: ACTOR, cluster: 'default', params: { namespace: 'ns', name: `w${i}` } });
  const lat: number[] = [];
  const t0 = nowMs();
  for (let i = 0; i < N; i++) {
    const s = nowMs();
    const r = await client.request(subject, { actor: ACTOR, cluster: 'default', params: { namespace: 'ns', name: `n${i}` } });
    if (!r.ok) throw new Error(`${subject}: ${JSON.stringify(r.error)}`);
    lat.push(nowMs() - s);
  }
  return summarize(lat, nowMs() - t0);
}

async function main(): Promise<void> {
  const nc = await connectNats(process.env.NATS_URL!, 'bench-transport', logger, testNatsAuth('gateway'));
  const answerer = await connectNats(process.env.NATS_URL!, 'bench-transport-bare', logger, testNatsAuth('dns-inspector'));
  answerer.subscribe(BARE, {
    queue: 'bench',
    callback: (_e, msg) => {
      const env = queryEnvelopeSchema.parse(decodeJson(msg.data));
      msg.respond(encodeJson({ ok: true, value: params.parse(env.params) }));
    },
  });
  const config = loadConfig('dns-inspector', { ...process.env, ...testNatsEnv('dns-inspector'), LOG_LEVEL: 'silent', BOSUN_METRICS_PORT: '0' });
  const app = await createServiceApp(config, logger, [EchoModule]);
  await app.init();
  const client = new QueryClient(nc);
  // Interleaved rounds, so both see the same machine load.
  const bare: Summary[] = [];
  const kit: Summary[] = [];
  for (let round = 0; round < 3; round++) {
    bare.push(await measure(client, BARE));
    kit.push(await measure(client, KIT));
  }
  const best = (xs: Summary[]): Summary => xs.reduce((a, b) => (b.p50 < a.p50 ? b : a));
  const [b, k] = [best(bare), best(kit)];
  const md = `# Transport benchmark (${new Date().toISOString()})

Sequential request/reply on loopback NATS, ${N} requests per round, best of 3 interleaved rounds; Node ${process.version}.

| path | p50 ms | p99 ms | mean ms | req/s |
|---|---|---|---|---|
| bare nats.js (queue-group subscription, zod, reply) | ${fmt(b.p50, 3)} | ${fmt(b.p99, 3)} | ${fmt(b.mean, 3)} | ${fmt(b.perSecond, 0)} |
| BosunTransport \`@QueryHandler\` (Nest pipes, interceptors, filters) | ${fmt(k.p50, 3)} | ${fmt(k.p99, 3)} | ${fmt(k.mean, 3)} | ${fmt(k.perSecond, 0)} |

Ratio transport/bare: p50 **${fmt(k.p50 / b.p50)}×**, p99 ${fmt(k.p99 / b.p99)}× (goal ≤ 1.1× at p50).
`;
  writeFileSync(join(root, 'bench/results/transport.md'), md);
  process.stdout.write(md);
  await app.close();
  await nc.drain();
  await answerer.drain();
}

void main().then(() => process.exit(0), (e) => { process.stderr.write(`${(e as Error).stack}\n`); process.exit(1); });
