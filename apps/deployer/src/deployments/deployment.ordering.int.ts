import { readFileSync } from 'node:fs';
import { jetstreamManager } from '@nats-io/jetstream';
import { CLUSTER_QUERIES, commandSubject, STREAMS } from '@bosun/contracts';
import { createLogger } from '@bosun/logging';
import { connectNats, connectRedis } from '@bosun/messaging';
import type { Redis } from '@bosun/messaging';
import { eventually, testCluster, testInfra, testNatsAuth, uniqueName } from '@bosun/testing';
import { HealthRegistry } from '@bosun/service-kit';
import { DeployerHarness, revisionOf } from '../testing/deployer.harness';

// The operations kit's holes, each closed and proven against real NATS, Redis and Kubernetes:
// cancel of a queued operation, the work-queue command stream, stale and reordered commands,
// versioned subjects, the shared cluster registry and a corrupt stored kubeconfig.
let h: DeployerHarness;
let ns: string;
let redis: Redis;

beforeAll(async () => {
  h = await DeployerHarness.create();
  await h.start();
  ns = await h.namespace('deployer-order');
  redis = connectRedis(testInfra().redisUrl, 'deployer-order-int', createLogger('test', 'silent'));
}, 60_000);
afterAll(async () => {
  redis?.disconnect();
  await h?.close();
}, 60_000);

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const imageOf = async (name: string): Promise<string | undefined> => (await h.deployment(ns, name))?.spec.template.spec.containers[0].image;

describe('deployer on the operations kit: ordering, cancellation and staleness', () => {
  it('a deploy cancelled while queued (the service down) never reaches the cluster and reports nothing', async () => {
    await h.stop();
    const env = h.envelope('deployment.deploy', { namespace: ns, name: 'never', image: 'nginx:1.27' });
    await h.publish(env);
    expect(await h.cancel(env.operationId)).toEqual({ outcome: 'won' });
    await h.start();
    const survivor = await h.command('deploy', { namespace: ns, name: 'after-cancel', image: 'nginx:1.27' });
    await h.succeeded(survivor);
    await sleep(500);
    expect(await h.deployment(ns, 'never')).toBeUndefined();
    expect(h.of(env.operationId)).toEqual([]);
  }, 90_000);

  it('two set-image operations on one Deployment run one after the other, in the order they were accepted', async () => {
    await h.succeeded(await h.command('deploy', { namespace: ns, name: 'ordered', image: 'nginx:1.27', replicas: 2 }));
    const first = h.envelope('deployment.set-image', { namespace: ns, name: 'ordered', image: 'nginx:1.28' });
    const second = h.envelope('deployment.set-image', { namespace: ns, name: 'ordered', image: 'nginx:1.29' });
    await h.publish(first);
    await h.publish(second);
    const [a, b] = [await h.succeeded(first.operationId), await h.succeeded(second.operationId)];
    expect(a.result).toMatchObject({ images: ['nginx:1.28'] });
    expect(b.result).toMatchObject({ images: ['nginx:1.29'] });
    // The second started only after the first ended: no race on the Deployment's resourceVersion.
    expect(Date.parse(h.of(second.operationId, 'started')[0].at)).toBeGreaterThanOrEqual(Date.parse(a.at));
    expect(await imageOf('ordered')).toBe('nginx:1.29');
    expect(revisionOf(await h.deployment(ns, 'ordered'))).toBe(3);
  }, 120_000);

  it('a stale scale redelivered after a newer one does not revert it; a command older than the max age fails Stale', async () => {
    await h.succeeded(await h.command('deploy', { namespace: ns, name: 'scaled', image: 'nginx:1.27', replicas: 1 }));
    const older = h.envelope('deployment.scale', { namespace: ns, name: 'scaled', replicas: 3 });
    await h.publish(older);
    await h.succeeded(older.operationId);
    await h.succeeded(await h.command('scale', { namespace: ns, name: 'scaled', replicas: 5 }));
    // The old command comes again (its job record gone, past JetStream's de-duplication).
    await redis.del(`bull:${h.queueName}:${older.operationId}`);
    await h.publisher.event(commandSubject('deployer', 'scale'), older);
    await eventually(() => (h.of(older.operationId, 'succeeded').length === 2 ? true : undefined), 'replayed scale ended', 30_000);
    expect((await h.deployment(ns, 'scaled'))?.spec.replicas).toBe(5);

    const ancient = { ...h.envelope('deployment.scale', { namespace: ns, name: 'scaled', replicas: 1 }), issuedAt: new Date(Date.now() - 2 * 24 * 3600_000).toISOString() };
    await h.publish(ancient);
    expect((await h.terminal(ancient.operationId)).error).toMatchObject({ code: 'Stale' });
    expect((await h.deployment(ns, 'scaled'))?.spec.replicas).toBe(5);
  }, 120_000);

  it('routes by the exact versioned subject: a v2 command never reaches the v1 handler', async () => {
    await h.succeeded(await h.command('deploy', { namespace: ns, name: 'versioned', image: 'nginx:1.27' }));
    const env = h.envelope('deployment.restart', { namespace: ns, name: 'versioned' });
    await h.publish(env, 2);
    expect((await h.terminal(env.operationId)).error).toMatchObject({ code: 'NotImplemented', message: expect.stringContaining('bosun.cmd.deployer.restart.v2') });
    expect(revisionOf(await h.deployment(ns, 'versioned'))).toBe(1);
  }, 60_000);

  it('a re-created command consumer does not replay commands already done (work-queue stream)', async () => {
    const op = await h.command('deploy', { namespace: ns, name: 'replay', image: 'nginx:1.27' });
    await h.succeeded(op);
    await h.stop();
    // Only the deployer may delete its consumer (ADR 0005).
    const asDeployer = await connectNats(testInfra().natsUrl, 'ordering-int-deployer', createLogger('test', 'silent'), testNatsAuth('deployer'));
    await (await jetstreamManager(asDeployer)).consumers.delete(STREAMS.commands.name, 'deployer-commands');
    await asDeployer.drain();
    await h.start();
    await h.succeeded(await h.command('deploy', { namespace: ns, name: 'replay-2', image: 'nginx:1.27' }));
    await sleep(500);
    expect(h.of(op, 'started')).toHaveLength(1);
  }, 90_000);
});

describe('deployer on the operations kit: the cluster registry across replicas', () => {
  it('a cluster added through one replica is usable from another; a corrupt stored kubeconfig does not stop a boot', async () => {
    await redis.hset('bosun:clusters', 'corrupt', 'not.a.valid.ciphertext');
    const second = await h.start();
    try {
      const name = uniqueName('c');
      const added = await h.query(CLUSTER_QUERIES.add, { name, kubeconfig: readFileSync(testCluster().kubeconfig, 'utf8') });
      expect(added).toEqual({ ok: true, value: expect.objectContaining({ name, reachable: true }) });
      // Queue-group queries land on either replica: every one of them must know the new cluster.
      const answers = await Promise.all(Array.from({ length: 8 }, () => h.query(CLUSTER_QUERIES.get, { name })));
      for (const a of answers) expect(a).toMatchObject({ ok: true, value: { name, reachable: true } });
      // Operations too, whichever replica's worker takes them (four, so both replicas get some).
      const ops = ['a', 'b', 'c', 'd'].map((x) => h.envelope('deployment.deploy', { namespace: ns, name: `elsewhere-${x}`, image: 'nginx:1.27' }, undefined, { cluster: name }));
      for (const op of ops) await h.publish(op);
      for (const op of ops) await h.succeeded(op.operationId);
      // The replica that booted with the corrupt entry reports it (every replica answers ping; ask that one directly).
      expect((await second.get(HealthRegistry).check())['stored-clusters']).toEqual({ ok: false, detail: expect.stringContaining('corrupt') });
    } finally {
      await h.stop(second);
      await redis.hdel('bosun:clusters', 'corrupt');
    }
  }, 90_000);
});
