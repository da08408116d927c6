import { sealedEnvContext } from '@bosun/contracts';
import { SECRET_PURPOSES, SecretBox } from '@bosun/service-kit';
import { MODULE_TEST_ENCRYPTION_KEY, testConfig } from '../testing/module.testing';
import { DeployEnvSealer } from './deploy-env.sealer';

const req = { namespace: 'team-a', name: 'web', image: 'nginx:1.27' };
const ref = { valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } };

describe('DeployEnvSealer', () => {
  it('seals each literal for its own variable; leaves references, and requests without env, as they are', () => {
    const out = new DeployEnvSealer(testConfig()).seal({ ...req, env: { A: 'one', B: 'one', R: ref } }, 'default');
    const env = out.env as Record<string, { sealed: string }>;
    expect(env.A.sealed).not.toBe(env.B.sealed);
    const box = new SecretBox(MODULE_TEST_ENCRYPTION_KEY, SECRET_PURPOSES.sealedValues);
    const target = { cluster: 'default', namespace: 'team-a', name: 'web' };
    expect(box.open(env.A.sealed, sealedEnvContext(target, 'A'))).toBe('one');
    expect(() => box.open(env.A.sealed, sealedEnvContext(target, 'B'))).toThrow();
    expect(env.R).toEqual(ref);
    expect(new DeployEnvSealer(testConfig()).seal(req, 'default')).toEqual(req);
  });

  it('without BOSUN_ENCRYPTION_KEY: references still work, a literal is a 503 naming each variable (never sent in plaintext)', () => {
    const sealer = new DeployEnvSealer({ ...testConfig(), encryptionKey: undefined });
    expect(sealer.seal({ ...req, env: { R: ref } }, 'default')).toEqual({ ...req, env: { R: ref } });
    expect(() => sealer.seal({ ...req, env: { R: ref, A: 'x', B: 'y' } }, 'default')).toThrow(expect.objectContaining({
      status: 503, code: 'Unavailable', errors: [{ path: 'env.A', message: expect.any(String) }, { path: 'env.B', message: expect.any(String) }],
    }));
  });
});
