import type { ClaimOutcome, CommandEnvelope, OperationError, Progress } from '@bosun/contracts';
import { createLogger } from '@bosun/logging';
import type { OperationContext } from '../transport/contexts';
import type { CommandRoute } from './command.routes';
import { OperationFailure } from './operation.failure';
import { ReportedFailure } from './operation.job';
import type { OperationJob } from './operation.job';
import { OperationRun } from './operation.run';
import type { RunDeps } from './operation.run';

// Fakes of the kit's own ports (control bucket, line per object, reporter): the lifecycle's
// every branch, without a broker. The real ones are proven in the integration tests.
type Event = { type: 'started' | 'progressed' | 'succeeded' | 'failed'; progress?: Progress; result?: unknown; error?: OperationError };

const envelope: CommandEnvelope = {
  operationId: 'op_1', kind: 'deployment.restart', actor: { subject: 'user:alice', groups: ['dev'], via: 'api' },
  target: { cluster: 'default', namespace: 'team-a', kind: 'Deployment', name: 'web' }, payload: { namespace: 'team-a', name: 'web' }, issuedAt: '2026-12-01T10:00:00Z',
};

function setup(opts: { claim?: ClaimOutcome; attemptsMade?: number; attempts?: number; waitTurn?: (signal: AbortSignal) => Promise<void> } = {}) {
  const events: Event[] = [];
  const fifo = { left: [] as string[], waitTurn: jest.fn(async (_k: string, _id: string, signal: AbortSignal) => opts.waitTurn?.(signal)), leave: jest.fn(async (_k: string, id: string) => void fifo.left.push(id)) };
  const cancel = new AbortController();
  const stopping = new AbortController();
  const moved: number[] = [];
  const job = {
    data: { operationId: 'op_1', subject: 'bosun.cmd.deployer.restart.v1', envelope, sequence: 7, acceptedAt: 1_000 },
    attemptsMade: opts.attemptsMade ?? 0, opts: { attempts: opts.attempts ?? 3 }, token: 'tok',
    moveToDelayed: jest.fn(async (at: number) => void moved.push(at)),
  } as unknown as OperationJob;
  const deps: RunDeps = {
    instance: 'deployer-1',
    control: { claim: jest.fn(async () => opts.claim ?? { outcome: 'claimed' as const }) },
    cancellations: { register: () => cancel, release: jest.fn() },
    fifo,
    reporter: {
      started: async () => void events.push({ type: 'started' }),
      progressed: async (_id, progress) => void events.push({ type: 'progressed', progress }),
      succeeded: async (_id, result) => void events.push({ type: 'succeeded', result }),
      failed: async (_id, error) => void events.push({ type: 'failed', error }),
    },
    logger: createLogger('test', 'silent'),
    metrics: { operationEnded: jest.fn() },
    stopping: stopping.signal,
  };
  const run = (invoke: (payload: unknown, ctx: OperationContext) => Promise<unknown>): Promise<unknown> =>
    new OperationRun(job, { subject: job.data.subject, invoke } as CommandRoute, deps).run();
  return { events, fifo, cancel, stopping, moved, job, deps, run };
}

describe('OperationRun', () => {
  it('succeeds: waits its turn, claims, reports started, progress in order, then the result; leaves the line', async () => {
    const t = setup();
    const out = await t.run(async (payload, ctx) => {
      expect(payload).toEqual(envelope.payload);
      expect(ctx.operation).toMatchObject({ operationId: 'op_1', cluster: 'default', attempt: 1, acceptedAt: 1_000, identity: { user: 'alice', groups: ['dev'] } });
      ctx.progress({ current: 1, total: 2, message: '1 of 2' });
      ctx.progress({ current: 2, total: 2, message: '2 of 2' });
      return { revision: 2 };
    });
    expect(out).toEqual({ outcome: 'succeeded', result: { revision: 2 } });
    expect(t.events.map((e) => e.type)).toEqual(['started', 'progressed', 'progressed', 'succeeded']);
    expect(t.events[2].progress?.current).toBe(2);
    expect(t.fifo.waitTurn).toHaveBeenCalledWith('default/team-a/Deployment/web', 'op_1', expect.any(AbortSignal));
    expect(t.fifo.left).toEqual(['op_1']);
  });

  it('runs the handler without waiting for started\'s ack; a started the stream refused fails the attempt (a retry), never reports success', async () => {
    const t = setup();
    let ackStarted!: () => void;
    t.deps.reporter.started = () => new Promise<void>((r) => (ackStarted = () => { t.events.push({ type: 'started' }); r(); }));
    let handlerRan = false;
    const running = t.run(async () => { handlerRan = true; setTimeout(() => ackStarted(), 10); return 'done'; });
    expect(await running).toEqual({ outcome: 'succeeded', result: 'done' });
    expect(handlerRan).toBe(true);
    expect(t.events.map((e) => e.type)).toEqual(['started', 'succeeded']);

    const refused = setup();
    refused.deps.reporter.started = async () => { throw Object.assign(new Error('TIMEOUT'), { code: 'TIMEOUT' }); };
    await expect(refused.run(async () => 'done')).rejects.toThrow('TIMEOUT');
    expect(refused.events.map((e) => e.type)).toEqual([]);
  });

  it('firstRun: true when this run made the first claim, false when an earlier run had claimed it (a crash, a hand-over)', async () => {
    const seen: boolean[] = [];
    await setup().run(async (_p, ctx) => void seen.push(ctx.operation.firstRun));
    await setup({ claim: { outcome: 'reclaimed', claimedBy: 'deployer-0' } }).run(async (_p, ctx) => void seen.push(ctx.operation.firstRun));
    expect(seen).toEqual([true, false]);
  });

  it('cancelled while queued (the cancel won the claim): never runs, reports nothing, leaves the line', async () => {
    const t = setup({ claim: { outcome: 'cancelled', cancelledBy: 'user:bob' } });
    const invoke = jest.fn();
    expect(await t.run(invoke)).toEqual({ outcome: 'cancelled' });
    expect(invoke).not.toHaveBeenCalled();
    expect(t.events).toEqual([]);
    expect(t.fifo.left).toEqual(['op_1']);
  });

  it('cancelled while waiting for its turn behind another operation: never claims, never runs', async () => {
    const t = setup({ waitTurn: (signal) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))) });
    const running = t.run(jest.fn());
    t.cancel.abort();
    expect(await running).toEqual({ outcome: 'cancelled' });
    expect(t.deps.control.claim).not.toHaveBeenCalled();
    expect(t.events).toEqual([]);
  });

  it('cancelled while running (too late for the change): stops, and reports no terminal state', async () => {
    const t = setup();
    const out = await t.run(async (_p, ctx) => {
      t.cancel.abort();
      expect(ctx.signal.aborted).toBe(true);
      throw ctx.stopped();
    });
    expect(out).toEqual({ outcome: 'cancelled' });
    expect(t.events.map((e) => e.type)).toEqual(['started']);
  });

  it('a retryable failure before the last attempt goes back to BullMQ (no report, keeps its place in line)', async () => {
    const t = setup({ attemptsMade: 0, attempts: 3 });
    const err = new Error('socket hang up');
    await expect(t.run(async () => { throw err; })).rejects.toBe(err);
    expect(t.events.map((e) => e.type)).toEqual(['started']);
    expect(t.fifo.left).toEqual([]);
  });

  it('the same failure on the last attempt is final: failed with the code, once, and the line moves on', async () => {
    const t = setup({ attemptsMade: 2, attempts: 3 });
    await expect(t.run(async () => { throw new Error('socket hang up'); })).rejects.toBeInstanceOf(ReportedFailure);
    expect(t.events.at(-1)).toEqual({ type: 'failed', error: { code: 'Internal', message: 'socket hang up' } });
    expect(t.fifo.left).toEqual(['op_1']);
  });

  it('an expected failure is final on the first attempt and carries its evidence', async () => {
    const t = setup();
    const rejected = t.run(async () => { throw new OperationFailure('ProgressDeadlineExceeded', 'ReplicaSet "web-1" has timed out progressing.', { result: { diagnosis: [] } }); });
    await expect(rejected).rejects.toMatchObject({ failure: { code: 'ProgressDeadlineExceeded' } });
    expect(t.events.at(-1)).toMatchObject({ type: 'failed', error: { code: 'ProgressDeadlineExceeded' } });
  });

  it('a shutdown mid-run hands the job back without spending an attempt or reporting, and keeps its place', async () => {
    const t = setup();
    await expect(t.run(async (_p, ctx) => {
      t.stopping.abort();
      throw ctx.stopped();
    })).rejects.toMatchObject({ name: 'DelayedError' });
    expect(t.moved).toHaveLength(1);
    expect(t.events.map((e) => e.type)).toEqual(['started']);
    expect(t.fifo.left).toEqual([]);
  });

  it('a job resumed after a crash (already claimed by itself) runs again; the handler\'s marker makes the change once', async () => {
    const t = setup({ claim: { outcome: 'reclaimed', claimedBy: 'deployer-0' }, attemptsMade: 1 });
    expect(await t.run(async (_p, ctx) => ctx.operation.attempt)).toEqual({ outcome: 'succeeded', result: 2 });
  });
});
