import {
  credentialsRequestSchema, drainPlanSchema, drainRequestSchema, joinTokenRequestSchema, nodeRefSchema, tenantCreateRequestSchema, toFieldErrors,
} from '@bosun/contracts';
import { planDrain } from './drain.planner';
import { pod } from './pod.fixtures';

// The wire schemas of libs/shared/contracts/src/provisioner.ts: each error names its field.
// Structural, so the domain never imports zod itself.
interface Schema { safeParse(body: unknown): { success: boolean; error?: Parameters<typeof toFieldErrors>[0] } }
const errors = (schema: Schema, body: unknown): { path: string; message: string }[] => {
  const r = schema.safeParse(body);
  return r.success || !r.error ? [] : toFieldErrors(r.error);
};

describe('provisioner contracts', () => {
  it('accepts the API.md tenant body', () => {
    expect(errors(tenantCreateRequestSchema, {
      name: 'team-a',
      quota: { cpu: '4', memory: '8Gi', pods: 20, storage: '100Gi', persistentVolumeClaims: 10 },
      limits: { defaultRequest: { cpu: '100m' }, default: { cpu: '500m' }, min: { memory: '64Mi' }, max: { memory: '1Gi' } },
      members: [{ subject: 'user:alice', role: 'admin' }, { subject: 'serviceaccount:ci:bot', role: 'view' }],
    })).toEqual([]);
  });

  it.each([
    [tenantCreateRequestSchema, { name: 'Team A' }, 'name'],
    [tenantCreateRequestSchema, {}, 'name'],
    [tenantCreateRequestSchema, { name: 'a', quota: { cpu: 'lots' } }, 'quota.cpu'],
    [tenantCreateRequestSchema, { name: 'a', quota: { pods: -1 } }, 'quota.pods'],
    [tenantCreateRequestSchema, { name: 'a', quota: { gpus: 1 } }, 'quota'],
    [tenantCreateRequestSchema, { name: 'a', limits: { max: { memory: '1 Gi' } } }, 'limits.max.memory'],
    [tenantCreateRequestSchema, { name: 'a', members: [{ subject: 'user:a', role: 'view' }, { subject: 'user:b', role: 'owner' }] }, 'members.1.role'],
    [tenantCreateRequestSchema, { name: 'a', members: [{ subject: 'alice', role: 'view' }] }, 'members.0.subject'],
    [credentialsRequestSchema, { ttlSeconds: 599 }, 'ttlSeconds'],
    [credentialsRequestSchema, {}, 'ttlSeconds'],
    [credentialsRequestSchema, { ttlSeconds: 600, role: 'root' }, 'role'],
    [joinTokenRequestSchema, { ttlSeconds: 0 }, 'ttlSeconds'],
    [drainRequestSchema, { timeoutSeconds: 0 }, 'timeoutSeconds'],
    [drainRequestSchema, { gracePeriodSeconds: -2 }, 'gracePeriodSeconds'],
    [drainRequestSchema, { force: 'yes' }, 'force'],
    [drainRequestSchema, { ignoreDaemonsets: true }, ''],
    [nodeRefSchema, { name: 'Node_1' }, 'name'],
  ])('%#: refuses %j at %s', (schema, body, path) => {
    const found = errors(schema as Schema, body);
    expect(found.length).toBeGreaterThan(0);
    expect(found[0].path).toBe(path || '(body)');
  });

  it.each([
    [credentialsRequestSchema, { ttlSeconds: 600, role: 'edit' }],
    [joinTokenRequestSchema, {}],
    [drainRequestSchema, { timeoutSeconds: 300, gracePeriodSeconds: -1, deleteEmptyDirData: true, force: false }],
    [nodeRefSchema, { name: 'node-1.example' }],
  ])('%#: accepts %j', (schema, body) => {
    expect(errors(schema as Schema, body)).toEqual([]);
  });

  it('a planned drain is a valid plan body', () => {
    const plan = planDrain({ pods: [pod('a', { owner: ['ReplicaSet', 'x'] }), pod('b'), pod('c', { mirror: true })] });
    expect(drainPlanSchema.parse(plan)).toEqual(plan);
  });
});
