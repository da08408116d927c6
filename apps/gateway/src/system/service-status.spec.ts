import type { PingReply } from '@bosun/contracts';
import { statusOf } from './service-status';

const reply = (instance: string, health: PingReply['health']): PingReply => ({ service: 'deployer', instance, version: '1', uptimeSeconds: 1, health });

describe('statusOf (a service row of /v1/status)', () => {
  it('no replica answering → not ready, 0 replicas, says so', () => {
    expect(statusOf('storage', [])).toEqual({ name: 'storage', ready: false, replicas: 0, message: 'no storage replica answers its ping' });
  });
  it('ready when one replica is healthy; counts every replica', () => {
    expect(statusOf('deployer', [reply('a', { redis: { ok: false, detail: 'x' } }), reply('b', { redis: { ok: true } })])).toEqual({ name: 'deployer', ready: true, replicas: 2 });
  });
  it('an unreachable cluster does not make the service unready', () => {
    expect(statusOf('deployer', [reply('a', { kubernetes: { ok: false, detail: 'refused' } })]).ready).toBe(true);
  });
  it('names the unhealthy components', () => {
    expect(statusOf('deployer', [reply('a', { redis: { ok: false, detail: 'connecting' }, nats: { ok: false } })])).toEqual({ name: 'deployer', ready: false, replicas: 1, message: 'redis: connecting; nats: down' });
  });
});
