import { commandEnvelopeSchema, OPERATION_STATUS_QUERY, querySubject, serviceCommandFilter, STREAMS } from '@bosun/contracts';
import type { CommandEnvelope, OperationStatusReport } from '@bosun/contracts';
import { createLogger } from '@bosun/logging';
import { decodeJson, DurableConsumer, JetStreamPublisher } from '@bosun/messaging';
import { eventually, infra, uniqueName } from '@bosun/testing';
import { GatewayHarness } from '../testing/gateway.harness';

// The reconciler against real NATS and Redis: the test plays the deployer, answering its
// operation-status query (or not answering at all) and publishing its lifecycle events.
jest.setTimeout(60_000);
let h: GatewayHarness;
/** What "the deployer" says about each operation; no entry = it does not answer in time. */
const reports = new Map<string, Omit<OperationStatusReport, 'operationId'>>();
const asked = new Map<string, number>();
const deadLetters: { subject: string; message: { operationId?: string } }[] = [];
/** The deployer's command consumer: it acknowledges every command at once, except those of a Deployment named here until released. */
const holds = new Map<string, Promise<void>>();
let commands: DurableConsumer<CommandEnvelope>;

beforeAll(async () => {
  // Small budgets so that minutes become seconds: a round every second for operations
  // unchanged for a second; three deliveries of an event before it is dead-lettered.
  h = await GatewayHarness.start({ reconciler: { intervalSeconds: 1, afterSeconds: 1, queryTimeoutMs: 300 }, operationEvents: { maxDeliver: 3 } });
  const deployer = await h.as('deployer');
  deployer.subscribe(querySubject('deployer', OPERATION_STATUS_QUERY), {
    callback: (_e, m) => {
      const { operationId } = (decodeJson(m.data) as { params: { operationId: string } }).params;
      asked.set(operationId, (asked.get(operationId) ?? 0) + 1);
      const r = reports.get(operationId);
      if (r) m.respond(JSON.stringify({ ok: true, value: { operationId, ...r } }));
    },
  });
  commands = new DurableConsumer<CommandEnvelope>(deployer, new JetStreamPublisher(deployer), {
    stream: STREAMS.commands.name, durable: 'deployer-commands', filterSubjects: [serviceCommandFilter('deployer')],
    schema: commandEnvelopeSchema as never, maxDeliver: 5, handler: async (env) => { await holds.get(env.target.name ?? ''); },
  }, createLogger('test', 'silent'));
  await commands.start();
  h.nc.subscribe('bosun.dlq.>', { callback: (_e, m) => void deadLetters.push(decodeJson(m.data) as (typeof deadLetters)[number]) });
  await h.nc.flush();
  await deployer.flush();
}, 30_000);
afterAll(async () => {
  await commands?.stop();
  await h?.close();
});

const deploy = async (name = uniqueName('web')): Promise<string> => {
  const r = await h.call('POST', '/v1/deployments', { namespace: 'int-reconcile', name, image: 'nginx:1.27' });
  expect(r.status).toBe(202);
  return r.body.id;
};
const get = async (id: string): Promise<any> => (await h.call('GET', `/v1/operations/${id}`)).body;
const terminal = (id: string, timeoutMs = 20_000): Promise<any> =>
  eventually(async () => { const op = await get(id); return ['succeeded', 'failed', 'cancelled'].includes(op.status) ? op : undefined; }, `${id} terminal`, timeoutMs, 100);

describe('gateway: no operation left running forever (real NATS and Redis)', () => {
  it('folds the terminal state a service reports (succeeded, failed) into operations whose events never came', async () => {
    const ok = await deploy();
    const bad = await deploy();
    await h.reporter.started(bad);
    reports.set(ok, { state: 'succeeded', result: { revision: 4 }, at: '2026-12-01T10:00:00.000Z' });
    reports.set(bad, { state: 'failed', error: { code: 'ProgressDeadlineExceeded', message: 'ReplicaSet "web-1" has timed out progressing' } });
    expect(await terminal(ok)).toMatchObject({ status: 'succeeded', result: { revision: 4 }, updatedAt: '2026-12-01T10:00:00.000Z' });
    expect(await terminal(bad)).toMatchObject({ status: 'failed', error: { code: 'ProgressDeadlineExceeded', message: 'ReplicaSet "web-1" has timed out progressing' } });
  });

  it('unknown to its service → failed with Lost naming the service, and a late claim of the command is refused', async () => {
    const id = await deploy();
    reports.set(id, { state: 'unknown' });
    expect(await terminal(id)).toMatchObject({ status: 'failed', error: { code: 'Lost', message: 'the deployer service has no record of this operation; it was never run' } });
    expect(await h.control.claim(id, 'deployer-late')).toMatchObject({ outcome: 'cancelled' });
  });

  it('unknown to its service while its command is not acknowledged (a replica died holding it) → left alone; Lost once it is', async () => {
    const name = uniqueName('held');
    let release!: () => void;
    holds.set(name, new Promise<void>((r) => (release = r)));
    const id = await deploy(name);
    reports.set(id, { state: 'unknown' });
    await eventually(() => ((asked.get(id) ?? 0) >= 3 ? true : undefined), 'asked three rounds', 20_000, 100);
    expect((await get(id)).status).toBe('queued');
    expect(await h.control.claim(id, 'deployer-redelivered')).toMatchObject({ outcome: 'claimed' }); // not cancelled as lost
    release();
    expect(await terminal(id)).toMatchObject({ status: 'failed', error: { code: 'Lost' } });
  });

  it('waiting, active or no answer → left alone and asked again next round; folded once the service knows', async () => {
    const waiting = await deploy();
    const active = await deploy();
    const silent = await deploy();
    reports.set(waiting, { state: 'waiting' });
    reports.set(active, { state: 'active' });
    await eventually(() => ([waiting, active, silent].every((id) => (asked.get(id) ?? 0) >= 2) ? true : undefined), 'asked twice each', 20_000, 100);
    for (const id of [waiting, active, silent]) expect((await get(id)).status).toBe('queued');
    reports.set(silent, { state: 'succeeded' });
    expect(await terminal(silent)).toMatchObject({ status: 'succeeded' });
    for (const id of [waiting, active]) reports.set(id, { state: 'succeeded' });
    await terminal(waiting);
    await terminal(active);
  });

  it('an operation that keeps changing is not asked about', async () => {
    const id = await deploy();
    await h.reporter.started(id);
    for (let i = 0; i < 6; i++) {
      await h.reporter.progressed(id, { current: i, total: 10, message: `${i} of 10` });
      await eventually(async () => ((await get(id)).progress?.current === i ? true : undefined), `progress ${i}`);
      await new Promise((r) => setTimeout(r, 400)); // the service's pace: a change every ~0.5 s, under afterSeconds
    }
    expect(asked.get(id) ?? 0).toBe(0);
    reports.set(id, { state: 'succeeded' });
    await terminal(id);
  });

  it('Redis stopped for longer than the events consumer\'s redelivery budget: the event is dead-lettered, the operation still ends terminal', async () => {
    const id = await deploy();
    await h.reporter.started(id);
    await eventually(async () => ((await get(id)).status === 'running' ? true : undefined), 'running');
    infra('stop-redis');
    try {
      await h.reporter.succeeded(id, { revision: 9, via: 'event' });
      const dl = await eventually(() => deadLetters.find((d) => d.message?.operationId === id), 'event dead-lettered', 20_000, 100);
      expect(dl.subject).toBe('bosun.evt.deployer.operation.succeeded.v1');
      expect(await (await fetch(`${h.url}/metrics`)).text()).toMatch(/^bosun_operation_events_dead_lettered_total\{subject="bosun.evt.deployer.operation.succeeded.v1"\} [1-9]/m);
      // Meanwhile reads are refused as unavailable, not as a server bug.
      expect(await h.call('GET', `/v1/operations/${id}`)).toMatchObject({ status: 503, body: { code: 'Unavailable' } });
    } finally {
      infra('start-redis');
    }
    expect((await eventually(async () => { const r = await h.call('GET', `/v1/operations/${id}`); return r.status === 200 ? r.body : undefined; }, 'redis back', 30_000)).status).toBe('running');
    // The deployer knows how it ended; the reconciler asks and folds it.
    reports.set(id, { state: 'succeeded', result: { revision: 9, via: 'reconciler' } });
    expect(await terminal(id, 30_000)).toMatchObject({ status: 'succeeded', result: { revision: 9, via: 'reconciler' } });
  }, 90_000);
});
