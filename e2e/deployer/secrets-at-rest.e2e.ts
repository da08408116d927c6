import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { SEALED_VALUE } from '@bosun/contracts';
import { createLogger } from '@bosun/logging';
import { connectNats, connectRedis, decodeJson, JetStreamPublisher } from '@bosun/messaging';
import type { NatsConnection, Redis } from '@bosun/messaging';
import { eventually, testCluster, testInfra, testNatsAuth, uniqueName } from '@bosun/testing';
import { api, finishOperation, startStack } from '../support/stack';
import type { Stack } from '../support/stack';
import { fileTraces, redisTraces, stateDirs } from '../support/traces';

jest.setTimeout(240_000);

const marker = (what: string): string => `bosun-${what}-marker-${randomBytes(12).toString('hex')}`;
const envOf = (d: any): any[] => d.spec.template.spec.containers[0].env;

/**
 * Issue 13's attack on secrets at rest: whoever can read Bosun's disks (the Redis AOF, the
 * JetStream file store) or its answers learns nothing of a deploy's env values. Literal values
 * (random markers) go through the HTTP API as a user sends them — straight, after an approval,
 * and into the dead-letter stream — and reach the Deployment; a Secret reference reaches it
 * as valueFrom.secretKeyRef while the Secret's value never crosses Bosun. Then every Redis key,
 * the AOF files, the JetStream files, the job data and the API's answers are searched for them.
 */
describe('secrets at rest: deploy env values (HTTP → gateway → JetStream → deployer → Kubernetes)', () => {
  let stack: Stack;
  let call: ReturnType<typeof api>;
  let nc: NatsConnection;
  let redis: Redis;
  const ns = uniqueName('e2e-sec');
  const cluster = testCluster();
  const kubectl = (...args: string[]): string => execFileSync(cluster.kubectl, ['--kubeconfig', cluster.kubeconfig, ...args], { encoding: 'utf8' });
  const deployment = (name: string): any => JSON.parse(kubectl('-n', ns, 'get', 'deployment', name, '-o', 'json'));
  const markers = { literal: marker('literal'), waiting: marker('waiting'), approved: marker('approved'), deadLettered: marker('dead-lettered'), secret: marker('secret-value') };
  const needles = Object.values(markers);
  // Controls, written where the markers must not be: the scans must find these, or they prove nothing.
  const control = { redis: marker('control-redis'), jetstream: marker('control-jetstream') };
  const controlKey = `secrets-e2e:control:${ns}`;
  const published: { subject: string; data: any }[] = [];
  const ops: Record<string, string> = {};
  const secretRef = { valueFrom: { secretKeyRef: { name: 'db-credentials', key: 'password' } } };
  // The per-object line's key (kit's TargetFifo): a value of the wrong type there makes every
  // delivery of that object's command fail, so the deployer dead-letters it.
  const poisonKey = `bosun:fifo:deployer:default/${ns}/Deployment/poisoned`;

  beforeAll(async () => {
    stateDirs(); // fails at once, saying why, when the state directory is not this NATS/Redis's
    // Metrics on a free port: a running `npm run up` holds the default ones.
    stack = await startStack(['gateway', 'deployer'], { BOSUN_COMMAND_MAX_DELIVER: '2', BOSUN_METRICS_PORT: '0' });
    call = api(stack);
    nc = await connectNats(testInfra().natsUrl, uniqueName('secrets-e2e'), createLogger('e2e', 'silent'), testNatsAuth('gateway'));
    // Core NATS sees every JetStream publish: the exact bytes BOSUN_CMD and BOSUN_DLQ store.
    for (const s of ['bosun.cmd.deployer.>', 'bosun.dlq.>']) nc.subscribe(s, { callback: (_e, m) => void published.push({ subject: m.subject, data: decodeJson(m.data) }) });
    await nc.flush();
    redis = connectRedis(testInfra().redisUrl, 'secrets-e2e', createLogger('e2e', 'silent'));
    await redis.set(controlKey, control.redis, 'EX', 600);
    await new JetStreamPublisher(nc).event('bosun.dlq.evt.e2e-secrets-control.v1', { control: control.jetstream }); // the gateway's own dead letters
    kubectl('create', 'namespace', ns);
    kubectl('-n', ns, 'create', 'secret', 'generic', 'db-credentials', `--from-literal=password=${markers.secret}`);
    await deployerReady();
  });
  const deployerReady = (): Promise<boolean> =>
    eventually(async () => ((await call('GET', '/v1/status')).body?.services?.find((s: any) => s.name === 'deployer')?.ready ? true : undefined), 'the deployer ready', 60_000, 250);
  afterAll(async () => {
    await redis?.del(poisonKey, controlKey);
    redis?.disconnect();
    await nc?.drain();
    await stack?.stop();
    try { kubectl('delete', 'namespace', ns, '--wait=false'); } catch { /* already gone */ }
  });

  it('a literal value and a secretKeyRef reach the pod template; what JetStream got is ciphertext', async () => {
    const r = await call('POST', '/v1/deployments', { namespace: ns, name: 'web', image: 'nginx:1.27', replicas: 1, env: { API_TOKEN: markers.literal, DB_PASSWORD: secretRef } });
    expect(r.status).toBe(202);
    ops.literal = r.body.id;
    expect(await finishOperation(call, ops.literal)).toMatchObject({ status: 'succeeded' });
    expect(envOf(deployment('web'))).toEqual([
      { name: 'API_TOKEN', value: markers.literal },
      { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db-credentials', key: 'password' } } },
    ]);
    const command = published.find((p) => p.data.operationId === ops.literal)!;
    expect(command.subject).toBe('bosun.cmd.deployer.deploy.v1');
    expect(command.data.payload.env).toEqual({ API_TOKEN: { sealed: expect.stringMatching(SEALED_VALUE) }, DB_PASSWORD: secretRef });
  });

  it('a command waiting in BOSUN_CMD (the deployer is down) is on disk sealed; the deployer, back, applies the value', async () => {
    await stack.stop('deployer');
    try {
      // The validation query times out (no deployer): intake goes on, the command is durable.
      const r = await call('POST', '/v1/deployments', { namespace: ns, name: 'waiting', image: 'nginx:1.27', replicas: 1, env: { API_TOKEN: markers.waiting } });
      expect(r.status).toBe(202);
      ops.waiting = r.body.id;
      const { jetstream } = stateDirs();
      // The unacknowledged command is in the command stream's files (found by its id), sealed.
      await eventually(() => (fileTraces(jetstream, [ops.waiting]).traces.some((t) => /BOSUN_CMD/.test(t.where)) ? true : undefined), 'the command in BOSUN_CMD\'s file store', 10_000, 100);
      expect(fileTraces(jetstream, needles).traces).toEqual([]);
    } finally {
      await stack.start('deployer');
      await deployerReady();
    }
    expect(await finishOperation(call, ops.waiting, 60_000)).toMatchObject({ status: 'succeeded' });
    expect(envOf(deployment('waiting'))).toEqual([{ name: 'API_TOKEN', value: markers.waiting }]);
  });

  it('a sealed command waits for approval, and after it the value reaches the pod template', async () => {
    const priorRules: unknown[] = (await call('GET', '/v1/policies/approvals')).body.rules;
    await call('PUT', '/v1/policies/approvals', { rules: [...priorRules, { namespaces: [ns], actions: ['deployment.deploy'], approvals: 1 }] });
    let r: Awaited<ReturnType<typeof call>>;
    try {
      r = await call('POST', '/v1/deployments', { namespace: ns, name: 'approved', image: 'nginx:1.27', replicas: 1, env: { API_TOKEN: markers.approved } });
    } finally {
      await call('PUT', '/v1/policies/approvals', { rules: priorRules });
    }
    expect(r.body.status).toBe('awaiting_approval');
    ops.approved = r.body.id;
    // Kept to be sent after the approval: sealed, never plaintext.
    expect(JSON.parse((await redis.get(`bosun:op:pending:${ops.approved}`))!).envelope.payload.env.API_TOKEN.sealed).toMatch(SEALED_VALUE);
    const approver = await call('POST', '/v1/tokens', { name: uniqueName('approver'), subject: 'user:secrets-e2e-approver', roles: ['approver'], ttlSeconds: 600 });
    expect((await api(stack, approver.body.token)('POST', `/v1/operations/${ops.approved}/approve`, {})).status).toBe(200);
    expect(await finishOperation(call, ops.approved)).toMatchObject({ status: 'succeeded' });
    expect(envOf(deployment('approved'))).toEqual([{ name: 'API_TOKEN', value: markers.approved }]);
    expect(JSON.parse((await redis.get(`bosun:op:pending:${ops.approved}`))!).envelope.payload.env).toEqual({ API_TOKEN: '[redacted]' });
  });

  it('a deploy the deployer cannot take is dead-lettered; BOSUN_DLQ holds its command sealed', async () => {
    await redis.set(poisonKey, 'not a sorted set');
    const r = await call('POST', '/v1/deployments', { namespace: ns, name: 'poisoned', image: 'nginx:1.27', env: { API_TOKEN: markers.deadLettered } });
    expect(r.status).toBe(202);
    ops.deadLettered = r.body.id;
    expect(await finishOperation(call, ops.deadLettered, 60_000)).toMatchObject({ status: 'failed', error: { code: 'DeadLettered' } });
    const dead = await eventually(() => published.find((p) => p.subject === 'bosun.dlq.deployer.deploy.v1' && p.data.message?.operationId === ops.deadLettered), 'the dead letter');
    expect(dead.data.message.payload.env).toEqual({ API_TOKEN: { sealed: expect.stringMatching(SEALED_VALUE) } });
  });

  it('no marker in any Redis key of any type, nor in BullMQ job data', async () => {
    const { traces, keys } = await redisTraces(redis, [...needles, control.redis]);
    expect(traces).toEqual([{ where: `redis string ${controlKey}`, needle: control.redis }]);
    expect(keys).toBeGreaterThan(0);
    // The scan did see the data that used to hold plaintext: the job, and the pending record.
    const job = await redis.hgetall(`bull:bosun-deployer-operations:${ops.literal}`);
    expect(JSON.parse(job.data).envelope.payload.env.API_TOKEN.sealed).toMatch(SEALED_VALUE);
    expect(JSON.parse((await redis.get(`bosun:op:pending:${ops.literal}`))!).envelope.payload.env).toEqual({ API_TOKEN: '[redacted]', DB_PASSWORD: secretRef });
  });

  it('no marker in the Redis AOF files, once fsynced (appendfsync everysec)', async () => {
    await new Promise((r) => setTimeout(r, 2500));
    const { aof } = stateDirs();
    const { traces, files } = fileTraces(aof, [...needles, control.redis]);
    // The AOF is the live one (it holds the control and this run's operations), and nothing else.
    expect(traces.map((t) => t.needle)).toEqual([control.redis]);
    expect(fileTraces(aof, [ops.literal, ops.deadLettered]).traces.map((t) => t.needle)).toEqual(expect.arrayContaining([ops.literal, ops.deadLettered]));
    expect(files.length).toBeGreaterThan(0);
  });

  it('no marker in the JetStream file store (BOSUN_CMD, BOSUN_DLQ and every other stream and KV)', () => {
    const { jetstream } = stateDirs();
    const { traces, files } = fileTraces(jetstream, [...needles, control.jetstream]);
    expect(traces.map((t) => [t.needle, /BOSUN_DLQ/.test(t.where)])).toEqual([[control.jetstream, true]]);
    // The dead letter is on disk, and was read: its stream's files hold its operation id.
    expect(fileTraces(jetstream, [ops.deadLettered]).traces.some((t) => /BOSUN_DLQ/.test(t.where))).toBe(true);
    expect(files.some((f) => /BOSUN_CMD/.test(f)) && files.some((f) => /BOSUN_EVT/.test(f))).toBe(true);
  });

  it('no marker in the operations, the operation list, the audit, the Deployment views or the logs', async () => {
    const answers = [
      ...await Promise.all(Object.values(ops).map((id) => call('GET', `/v1/operations/${id}`))),
      await call('GET', '/v1/operations?limit=500'),
      await call('GET', '/v1/audit?limit=1000'),
      await call('GET', `/v1/deployments?namespace=${ns}`),
      await call('GET', `/v1/deployments/${ns}/web/history`),
    ];
    for (const a of answers) expect(a.status).toBe(200);
    const text = JSON.stringify(answers.map((a) => a.body));
    expect(needles.filter((n) => text.includes(n))).toEqual([]);
    expect(text).toContain(ops.literal);
    const logs = JSON.stringify(stack.logs);
    expect(needles.filter((n) => logs.includes(n))).toEqual([]);
  });

  it('the Secret\'s value never crossed Bosun: only Kubernetes has it', () => {
    expect(Buffer.from(JSON.parse(kubectl('-n', ns, 'get', 'secret', 'db-credentials', '-o', 'json')).data.password, 'base64').toString()).toBe(markers.secret);
    expect(JSON.stringify(published)).not.toContain(markers.secret);
  });
});
