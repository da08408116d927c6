import { z } from 'zod';
import type { CommandEnvelope } from '@bosun/contracts';
import { refusalOf } from './command.acceptance';
import type { CommandRoute } from './command.routes';

const env = (payload: unknown, issuedAt = '2026-12-01T10:00:00Z'): CommandEnvelope => ({
  operationId: 'op_1', kind: 'deployment.scale', actor: { subject: 'user:a', groups: [], via: 'api' }, target: { cluster: 'default', kind: 'Deployment' }, payload, issuedAt,
});
const route: CommandRoute = {
  subject: 'bosun.cmd.deployer.scale.v1',
  schema: z.object({ replicas: z.number().int().min(0, 'replicas must be 0 or more') }),
  rules: ((p: { replicas: number }) => (p.replicas > 100 ? [{ path: 'replicas', message: 'at most 100 here' }] : [])) as never,
  invoke: async () => undefined,
};
const now = Date.parse('2026-12-01T10:00:05Z');

describe('refusalOf (what a command gets before any job exists)', () => {
  it('accepts a valid, fresh command for a known subject', () => {
    expect(refusalOf(env({ replicas: 3 }), route.subject, route, 3600, now)).toBeUndefined();
  });

  it('refuses a subject nobody handles, naming it (a v2 never reaches the v1 handler)', () => {
    expect(refusalOf(env({}), 'bosun.cmd.deployer.scale.v2', undefined, 3600, now)).toMatchObject({ code: 'NotImplemented', message: 'deployer has no handler for bosun.cmd.deployer.scale.v2' });
  });

  it.each([
    ['older than the max age', '2026-12-01T08:59:59Z'],
    ['with an unreadable issue time', 'yesterday'],
  ])('refuses a command issued %s as Stale', (_what, issuedAt) => {
    expect(refusalOf(env({ replicas: 1 }, issuedAt), route.subject, route, 3600, now)).toMatchObject({ code: 'Stale' });
  });

  it('refuses a payload the schema or the domain rules refuse, naming each field', () => {
    expect(refusalOf(env({ replicas: -1 }), route.subject, route, 3600, now)).toMatchObject({
      code: 'Invalid', message: 'invalid scale command: replicas: replicas must be 0 or more', details: { fieldErrors: [{ path: 'replicas', message: 'replicas must be 0 or more' }] },
    });
    expect(refusalOf(env({ replicas: 101 }), route.subject, route, 3600, now)).toMatchObject({ code: 'Invalid', details: { fieldErrors: [{ path: 'replicas' }] } });
  });
});
