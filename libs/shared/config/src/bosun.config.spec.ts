import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './bosun.config';

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const c = loadConfig('gateway', {});
    expect(c.natsUrl).toBe('nats://127.0.0.1:4222');
    expect(c.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(c.gatewayPort).toBe(8080);
    expect(c.chatopsPort).toBe(8081);
    expect(c.admin).toEqual({ token: undefined, subject: 'user:admin', groups: ['system:masters'] });
    expect(c.approvalTtlSeconds).toBe(3600);
    expect(c.chatResponseUrlAllowList).toEqual(['https://hooks.slack.com']);
  });

  it('prefers BOSUN_KUBECONFIG over KUBECONFIG', () => {
    expect(loadConfig('deployer', { KUBECONFIG: '/a', BOSUN_KUBECONFIG: '/b' }).kubeconfig).toBe('/b');
    expect(loadConfig('deployer', { KUBECONFIG: '/a' }).kubeconfig).toBe('/a');
  });

  it('parses lists and numbers', () => {
    const c = loadConfig('gateway', { BOSUN_ADMIN_GROUPS: 'a, b,,c', BOSUN_GATEWAY_PORT: '9090', BOSUN_ADMIN_SUBJECT: 'user:root' });
    expect(c.admin.groups).toEqual(['a', 'b', 'c']);
    expect(c.gatewayPort).toBe(9090);
    expect(c.admin.subject).toBe('user:root');
  });

  it('fails fast naming every bad variable', () => {
    let err: unknown;
    try {
      loadConfig('gateway', { NATS_URL: 'http://x', BOSUN_GATEWAY_PORT: '70000', BOSUN_ADMIN_TOKEN: 'short' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const problems = (err as ConfigError).problems.join('\n');
    expect(problems).toMatch(/NATS_URL: must be a nats:\/\/ URL/);
    expect(problems).toMatch(/BOSUN_GATEWAY_PORT/);
    expect(problems).toMatch(/BOSUN_ADMIN_TOKEN: must be at least 16 characters/);
  });

  it('rejects a subject that is not user:/group:/serviceaccount:', () => {
    expect(() => loadConfig('gateway', { BOSUN_ADMIN_SUBJECT: 'admin' })).toThrow(/BOSUN_ADMIN_SUBJECT/);
  });

  describe('retention', () => {
    it('keeps terminal operations 30 days and audit entries 90 by default, in seconds', () => {
      expect(loadConfig('gateway', {}).retention).toEqual({ operationSeconds: 30 * 86400, auditSeconds: 90 * 86400 });
      expect(loadConfig('gateway', { BOSUN_OPERATION_RETENTION_DAYS: '7', BOSUN_AUDIT_RETENTION_DAYS: '365' }).retention)
        .toEqual({ operationSeconds: 7 * 86400, auditSeconds: 365 * 86400 });
    });
    it('refuses 0, fractions, words and more than ten years, naming each variable', () => {
      const problems = (env: Record<string, string>): string => {
        try {
          loadConfig('gateway', env);
        } catch (e) {
          return (e as ConfigError).problems.join('\n');
        }
        return '';
      };
      // Under a day an Idempotency-Key (kept 24 h) could outlive the operation it names.
      expect(problems({ BOSUN_OPERATION_RETENTION_DAYS: '0' })).toMatch(/BOSUN_OPERATION_RETENTION_DAYS: must be at least 1 \(Idempotency-Keys are kept 24 h\)/);
      expect(problems({ BOSUN_OPERATION_RETENTION_DAYS: '0.5' })).toMatch(/BOSUN_OPERATION_RETENTION_DAYS: must be a whole number of days/);
      expect(problems({ BOSUN_AUDIT_RETENTION_DAYS: 'forever' })).toMatch(/BOSUN_AUDIT_RETENTION_DAYS/);
      const both = problems({ BOSUN_AUDIT_RETENTION_DAYS: '3651', BOSUN_OPERATION_RETENTION_DAYS: '-1' });
      expect(both).toMatch(/BOSUN_AUDIT_RETENTION_DAYS/);
      expect(both).toMatch(/BOSUN_OPERATION_RETENTION_DAYS/);
    });
  });

  describe('NATS credentials', () => {
    const seed = `SU${'A'.repeat(56)}`;
    it('takes the seed from NATS_NKEY_SEED or from the file NATS_NKEY_SEED_FILE names', () => {
      expect(loadConfig('deployer', { NATS_NKEY_SEED: seed }).natsSeed).toBe(seed);
      const dir = mkdtempSync(join(tmpdir(), 'seed-'));
      writeFileSync(join(dir, 'deployer.nk'), `${seed}\n`);
      expect(loadConfig('deployer', { NATS_NKEY_SEED_FILE: join(dir, 'deployer.nk') }).natsSeed).toBe(seed);
    });
    it('refuses something that is not a user seed without echoing it', () => {
      let err: unknown;
      try {
        loadConfig('deployer', { NATS_NKEY_SEED: 'not-a-seed-but-a-secret' });
      } catch (e) {
        err = e;
      }
      expect(String(err)).toMatch(/NATS_NKEY_SEED: must be a NATS user nkey seed/);
      expect(String(err)).not.toContain('not-a-seed-but-a-secret');
      const dir = mkdtempSync(join(tmpdir(), 'seed-'));
      writeFileSync(join(dir, 'bad.nk'), 'hunter2-hunter2');
      expect(() => loadConfig('deployer', { NATS_NKEY_SEED_FILE: join(dir, 'bad.nk') })).toThrow(/does not hold a NATS user nkey seed/);
      expect(() => loadConfig('deployer', { NATS_NKEY_SEED_FILE: join(dir, 'missing.nk') })).toThrow(/cannot read .*ENOENT/);
    });
  });
});
