import { Controller, Injectable, Module, UseInterceptors } from '@nestjs/common';
import type { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import type { Observable } from 'rxjs';
import request from 'supertest';
import { z } from 'zod';
import { commandSubject, querySubject } from '@bosun/contracts';
import { encodeJson } from '@bosun/messaging';
import { eventually } from '@bosun/testing';
import { OperationFailure } from '../operations/operation.failure';
import { ADMIN, ServiceHarness } from '../testing/service.harness';
import { BosunClientProxy } from './bosun.client';
import { firstValueFrom, lastValueFrom } from 'rxjs';
import { OperationContext, QueryContext } from './contexts';
import { NotificationHandler, OperationHandler, QueryHandler } from './handler.decorators';

// The transport's guarantees against real NATS and Redis, with a service made only of
// handlers (the smallest service the kit allows): Nest's pipes and interceptors apply to
// messages, duplicates run once, transient failures are retried, typed failures are final.
const calls: Record<string, number> = {};
const seen: string[] = [];
const bump = (k: string): number => (calls[k] = (calls[k] ?? 0) + 1);
const echoSchema = z.object({ name: z.string().regex(/^[a-z]+$/, 'name must be lower-case letters'), failTimes: z.number().int().default(0) });

@Injectable()
class CountingInterceptor implements NestInterceptor {
  intercept(_ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    bump('intercepted');
    return next.handle();
  }
}

@Controller()
@UseInterceptors(CountingInterceptor)
class EchoHandlers {
  @OperationHandler(commandSubject('storage', 'echo'), { schema: echoSchema, rules: (p) => (p.name === 'forbidden' ? [{ path: 'name', message: 'not this one' }] : []) })
  async echo(@Payload() p: z.infer<typeof echoSchema>, @Ctx() op: OperationContext): Promise<unknown> {
    const n = bump(op.operation.operationId);
    if (p.name === 'final') throw new OperationFailure('Conflict', 'the echo conflicts');
    if (n <= p.failTimes) throw new Error(`transient failure ${n}`);
    op.progress({ current: 1, total: 1, message: 'echoed' });
    return { echoed: p.name, attempt: op.operation.attempt, as: op.operation.identity.user };
  }

  @QueryHandler(querySubject('storage', 'echo'), z.object({ name: z.string().min(1, 'name is required') }))
  query(@Payload() p: { name: string }, @Ctx() q: QueryContext): unknown {
    if (p.name === 'missing') throw new OperationFailure('NotFound', 'no such echo');
    return { name: p.name, asked: q.actor?.subject, cluster: q.cluster };
  }

  @NotificationHandler('bosun.ntf.storage.test.v1')
  notified(@Payload() p: { note: string }): void {
    seen.push(p.note);
  }
}

@Injectable()
class InitCounter {
  onModuleInit(): void {
    bump('init');
  }
}

@Module({ controllers: [EchoHandlers], providers: [CountingInterceptor, InitCounter] })
class EchoModule {}

let h: ServiceHarness;
beforeAll(async () => {
  h = await ServiceHarness.create({ service: 'storage', modules: [EchoModule], kindPrefix: 'echo', targetKind: 'Echo' });
  await h.start({ BOSUN_KUBECONFIG: '' });
}, 60_000);
afterAll(async () => h?.close(), 30_000);

describe('BosunTransport (real NATS and Redis)', () => {
  it('runs the modules\' init hooks once per instance (the transport shares the app\'s container)', () => {
    expect(calls.init).toBe(1);
  });

  it('runs an @OperationHandler through Nest (interceptors apply), with progress before the terminal event', async () => {
    const before = calls.intercepted ?? 0;
    const op = await h.command('echo', { name: 'hello' });
    const done = await h.succeeded(op);
    expect(done.result).toEqual({ echoed: 'hello', attempt: 1, as: 'admin' });
    expect(h.of(op).map((e) => e.type)).toEqual(['started', 'progressed', 'succeeded']);
    expect(calls.intercepted).toBe(before + 1);
  });

  it('a payload the schema or the rules refuse fails its operation at once, naming the field, and runs nothing', async () => {
    const bad = await h.command('echo', { name: 'Hello' });
    expect(await h.terminal(bad)).toMatchObject({ type: 'failed', error: { code: 'Invalid', message: 'invalid echo command: name: name must be lower-case letters' }, result: { errors: [{ path: 'name' }] } });
    const refused = await h.command('echo', { name: 'forbidden' });
    expect(await h.terminal(refused)).toMatchObject({ error: { code: 'Invalid', message: 'invalid echo command: name: not this one' } });
    expect(calls[bad]).toBeUndefined();
    expect(h.of(bad, 'started')).toEqual([]);
  });

  it('a duplicate command (same message id, or redelivered past de-duplication) runs once', async () => {
    const env = h.envelope('echo.echo', { name: 'twice' });
    await h.publish(env);
    await h.publish(env);
    await h.succeeded(env.operationId);
    await h.publisher.event(commandSubject('storage', 'echo'), env);
    await new Promise((r) => setTimeout(r, 1000));
    expect(calls[env.operationId]).toBe(1);
    expect(h.of(env.operationId, 'succeeded')).toHaveLength(1);
  });

  it('a transient failure is retried with back-off and then succeeds; a typed failure is final at once', async () => {
    const flaky = await h.command('echo', { name: 'flaky', failTimes: 2 });
    expect((await h.succeeded(flaky, 30_000)).result).toMatchObject({ attempt: 3 });
    expect(h.of(flaky, 'failed')).toEqual([]);
    const final = await h.command('echo', { name: 'final' });
    expect(await h.terminal(final)).toMatchObject({ type: 'failed', error: { code: 'Conflict', message: 'the echo conflicts' } });
    expect(calls[final]).toBe(1);
  }, 40_000);

  it('a command envelope that is not valid is dead-lettered, not retried forever', async () => {
    await h.nc.publish(commandSubject('storage', 'echo'), encodeJson({ operationId: 'op_broken', kind: 'echo.echo' }));
    const jsm = await (await import('@nats-io/jetstream')).jetstreamManager(h.nc);
    const dlq = await eventually(async () => (await jsm.streams.getMessage('BOSUN_DLQ', { last_by_subj: 'bosun.dlq.storage.echo.v1' }).catch(() => null)) ?? undefined, 'dead letter');
    expect(dlq.json<{ reason: string }>().reason).toMatch(/invalid message/);
  });

  it('answers @QueryHandler queries with typed replies: values, failures, invalid params naming the field', async () => {
    expect(await h.query('echo', { name: 'x' })).toEqual({ ok: true, value: { name: 'x', asked: 'user:admin', cluster: 'default' } });
    expect(await h.query('echo', { name: 'missing' })).toEqual({ ok: false, error: { code: 'NotFound', message: 'no such echo' } });
    expect(await h.query('echo', { name: '' })).toMatchObject({ ok: false, error: { code: 'Invalid', fieldErrors: [{ path: 'name', message: 'name is required' }] } });
  });

  it('refuses a @QueryHandler query that names no actor (never answered as Bosun itself); the kit\'s housekeeping answers without one', async () => {
    expect(await h.query('echo', { name: 'x' }, null)).toEqual({ ok: false, error: { code: 'Unauthorized', message: expect.stringMatching(/names no actor/) } });
    expect(await h.query('operation-status', { operationId: 'op_never' }, null)).toEqual({ ok: true, value: { operationId: 'op_never', state: 'unknown' } });
    expect(await h.query('validate', { kind: 'echo.echo', action: 'echo', payload: { name: 'fine' } }, null)).toEqual({ ok: true, value: { fieldErrors: [] } });
  });

  it('answers the gateway\'s validate question from the command\'s own schema and rules when the service has none of its own', async () => {
    expect(await h.query('validate', { kind: 'echo.echo', action: 'echo', payload: { name: 'fine' } })).toEqual({ ok: true, value: { fieldErrors: [] } });
    expect(await h.query('validate', { kind: 'echo.echo', action: 'echo', payload: { name: 'Bad' } })).toMatchObject({ ok: false, error: { code: 'Invalid', fieldErrors: [{ path: 'name', message: 'name must be lower-case letters' }] } });
    expect(await h.query('validate', { kind: 'echo.echo', action: 'echo', payload: { name: 'forbidden' } })).toMatchObject({ ok: false, error: { code: 'Invalid', fieldErrors: [{ path: 'name' }] } });
    expect(await h.query('validate', { kind: 'echo.nope', action: 'nope', payload: {} })).toMatchObject({ ok: false, error: { code: 'Invalid', fieldErrors: [{ path: 'kind' }] } });
  });

  it('answers the operation-status query for the reconciler from its queue', async () => {
    const op = await h.command('echo', { name: 'status' });
    await h.succeeded(op);
    expect(await h.query('operation-status', { operationId: op })).toEqual({ ok: true, value: expect.objectContaining({ operationId: op, state: 'succeeded', result: expect.objectContaining({ echoed: 'status' }) }) });
    expect(await h.query('operation-status', { operationId: 'op_never' })).toEqual({ ok: true, value: { operationId: 'op_never', state: 'unknown' } });
  });

  it('serves /metrics (operations by kind and outcome, queue depth, components) and its probes', async () => {
    const server = h.service!.getHttpServer();
    const metrics = await request(server).get('/metrics').expect(200);
    expect(metrics.text).toMatch(/bosun_operations_total\{kind="echo.echo",outcome="succeeded"\} \d+/);
    expect(metrics.text).toMatch(/bosun_operations_total\{kind="echo.echo",outcome="refused"\} \d+/);
    expect(metrics.text).toMatch(/bosun_queue_jobs\{queue="bosun-storage-operations",state="waiting"\} \d+/);
    expect(metrics.text).toMatch(/bosun_component_up\{component="commands"\} 1/);
    expect(metrics.text).toMatch(/bosun_operation_duration_seconds_bucket/);
    await request(server).get('/healthz').expect(200);
    expect((await request(server).get('/readyz').expect(200)).body).toMatchObject({ status: 'ready', components: { nats: { ok: true }, redis: { ok: true }, commands: { ok: true } } });
  });

  it('the gateway\'s ClientProxy: send() is request/reply with the typed reply, emit() a deduplicated command', async () => {
    const client = new BosunClientProxy(h.nc);
    expect(await firstValueFrom(client.send(querySubject('storage', 'echo'), { actor: ADMIN, cluster: 'default', params: { name: 'p' } }))).toEqual({ ok: true, value: { name: 'p', asked: 'user:admin', cluster: 'default' } });
    const env = h.envelope('echo.echo', { name: 'proxied' });
    const first = await lastValueFrom(client.emit(commandSubject('storage', 'echo'), env), { defaultValue: undefined });
    const again = await client.command(commandSubject('storage', 'echo'), env);
    expect(again).toMatchObject({ duplicate: true, seq: (first as { seq: number }).seq });
    expect((await h.succeeded(env.operationId)).result).toMatchObject({ echoed: 'proxied' });
  });

  it('delivers @NotificationHandler notifications (core NATS) to the handler', async () => {
    h.nc.publish('bosun.ntf.storage.test.v1', encodeJson({ note: 'hi' }));
    await eventually(() => (seen.includes('hi') ? true : undefined), 'notification seen');
  });
});
