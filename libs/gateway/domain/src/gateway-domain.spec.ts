import type { Operation } from '@bosun/contracts';
import { allows, applyChange, canonicalJson, generateToken, globMatches, hashToken, requestFingerprint, requiredApprovals, tokensEqual } from './index';

describe('roles', () => {
  it.each([
    [['viewer'], 'viewer', true], [['viewer'], 'operator', false], [['operator'], 'viewer', true],
    [['operator'], 'operator', true], [['operator'], 'approver', false], [['operator'], 'admin', false],
    [['approver'], 'approver', true], [['approver'], 'operator', false], [['admin'], 'operator', true],
    [['admin'], 'approver', true], [['admin'], 'admin', true], [[], 'viewer', false], [['viewer', 'approver'], 'approver', true],
  ] as const)('%j allows %s: %s', (held, required, expected) => {
    expect(allows(held, required)).toBe(expected);
  });
});

describe('tokens', () => {
  it('are random, prefixed and stored as a sha256 hash', () => {
    const a = generateToken();
    expect(a).toMatch(/^bsn_[A-Za-z0-9_-]{43}$/);
    expect(generateToken()).not.toBe(a);
    expect(hashToken(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashToken(a)).not.toContain(a);
    expect(tokensEqual(a, a)).toBe(true);
    expect(tokensEqual(a, `${a}x`)).toBe(false);
  });
});

const op = (status: Operation['status']): Operation => ({
  id: 'op_1', kind: 'deployment.deploy', status, actor: { subject: 'user:a', groups: [], via: 'api' },
  target: { cluster: 'default', namespace: 'ns', kind: 'Deployment', name: 'web' }, createdAt: 't0', updatedAt: 't0',
});

describe('applyChange', () => {
  it('moves queued → running → succeeded and fills progress', () => {
    const running = applyChange(op('queued'), { type: 'progressed', at: 't1', progress: { current: 1, total: 3, message: '1 of 3' } })!;
    expect(running).toMatchObject({ status: 'running', progress: { current: 1 }, updatedAt: 't1' });
    const done = applyChange(running, { type: 'succeeded', at: 't2', result: { revision: 1 } })!;
    expect(done).toMatchObject({ status: 'succeeded', result: { revision: 1 }, progress: { current: 3, total: 3 } });
  });
  it('never changes a terminal operation', () => {
    for (const s of ['succeeded', 'failed', 'rejected', 'cancelled'] as const) {
      expect(applyChange(op(s), { type: 'started', at: 't' })).toBeUndefined();
      expect(applyChange(op(s), { type: 'failed', at: 't', error: { code: 'X', message: 'x' } })).toBeUndefined();
    }
  });
  it('records failures with their code', () => {
    expect(applyChange(op('running'), { type: 'failed', at: 't', error: { code: 'Forbidden', message: 'no' } })).toMatchObject({ status: 'failed', error: { code: 'Forbidden' } });
  });
  it('approval moves awaiting_approval to queued and records the approver; only from awaiting_approval', () => {
    expect(applyChange(op('awaiting_approval'), { type: 'approved', at: 't', by: 'user:b' })).toMatchObject({ status: 'queued', approvals: [{ subject: 'user:b', decision: 'approve' }] });
    expect(applyChange(op('running'), { type: 'approved', at: 't', by: 'user:b' })).toBeUndefined();
    expect(applyChange(op('awaiting_approval'), { type: 'rejected', at: 't', by: 'user:b', error: { code: 'Rejected', message: 'no' } })).toMatchObject({ status: 'rejected' });
  });
  it('a cancel says who cancelled, or carries the error it is given (a change already made)', () => {
    for (const s of ['queued', 'running', 'awaiting_approval'] as const) {
      expect(applyChange(op(s), { type: 'cancelled', at: 't', by: 'user:b' })).toMatchObject({ status: 'cancelled', updatedAt: 't', error: { code: 'Cancelled', message: 'cancelled by user:b' } });
    }
    const late = { code: 'CancelledAfterChange', message: 'cancelled after deployer had started changing the cluster (t0): the change stays; Bosun stopped following it' };
    expect(applyChange(op('running'), { type: 'cancelled', at: 't', by: 'user:b', error: late })).toMatchObject({ status: 'cancelled', error: late });
  });
  it('events after a cancel are ignored, the error of the cancel stays', () => {
    const late = { code: 'CancelledAfterChange', message: 'm' };
    const cancelled = applyChange(op('running'), { type: 'cancelled', at: 't', by: 'user:b', error: late })!;
    expect(applyChange(cancelled, { type: 'succeeded', at: 't2' })).toBeUndefined();
    expect(applyChange(cancelled, { type: 'failed', at: 't2', error: { code: 'Lost', message: 'x' } })).toBeUndefined();
    expect(applyChange(cancelled, { type: 'cancelled', at: 't2', by: 'user:c' })).toBeUndefined();
  });
  it('ignores service events while an operation still awaits approval', () => {
    expect(applyChange(op('awaiting_approval'), { type: 'started', at: 't' })).toBeUndefined();
  });
});

describe('approval policy', () => {
  it('matches globs anchored', () => {
    expect(globMatches('prod-*', 'prod-eu')).toBe(true);
    expect(globMatches('prod-*', 'preprod-eu')).toBe(false);
    expect(globMatches('deployment.*', 'deployment.deploy')).toBe(true);
    expect(globMatches('deployment.*', 'deploymentXdeploy')).toBe(false);
  });
  it('takes the largest matching rule', () => {
    const rules = [{ namespaces: ['prod-*'], actions: ['deployment.*'], approvals: 1 }, { namespaces: ['prod-core'], actions: ['*'], approvals: 2 }];
    expect(requiredApprovals(rules, 'deployment.deploy', 'prod-eu')).toBe(1);
    expect(requiredApprovals(rules, 'deployment.deploy', 'prod-core')).toBe(2);
    expect(requiredApprovals(rules, 'deployment.deploy', 'dev')).toBe(0);
    expect(requiredApprovals([], 'x', 'y')).toBe(0);
  });
});

describe('idempotency fingerprint', () => {
  it('ignores key order but not values, route or cluster', () => {
    expect(canonicalJson({ b: 1, a: [1, { d: 2, c: 3 }] })).toBe('{"a":[1,{"c":3,"d":2}],"b":1}');
    const f = requestFingerprint('POST', '/v1/deployments', 'default', { a: 1, b: 2 });
    expect(requestFingerprint('POST', '/v1/deployments', 'default', { b: 2, a: 1 })).toBe(f);
    expect(requestFingerprint('POST', '/v1/deployments', 'default', { a: 1, b: 3 })).not.toBe(f);
    expect(requestFingerprint('POST', '/v1/deployments', 'other', { a: 1, b: 2 })).not.toBe(f);
    // Keyed (HMAC): stable for one key, another key or none gives another fingerprint.
    const keyed = requestFingerprint('POST', '/v1/deployments', 'default', { a: 1, b: 2 }, 'k1');
    expect(requestFingerprint('POST', '/v1/deployments', 'default', { b: 2, a: 1 }, 'k1')).toBe(keyed);
    expect(keyed).not.toBe(f);
    expect(requestFingerprint('POST', '/v1/deployments', 'default', { a: 1, b: 2 }, 'k2')).not.toBe(keyed);
  });
});
