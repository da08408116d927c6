import { sealedEnvContext } from '@bosun/contracts';
import { SECRET_PURPOSES, SecretBox } from '@bosun/service-kit';
import { TEST_ENCRYPTION_KEY } from '@bosun/testing';
import { DeployerHarness } from '../testing/deployer.harness';
import type { Json } from '../testing/deployer.harness';

// The deployer's side of sealed env values, on the real module, bus and cluster: it opens a
// value sealed for this Deployment into the pod template, and refuses, before applying
// anything, a plaintext value or a sealed value copied from another Deployment's command.
let h: DeployerHarness;
let ns: string;
const box = new SecretBox(TEST_ENCRYPTION_KEY, SECRET_PURPOSES.sealedValues);
const sealFor = (name: string, variable: string, value: string): { sealed: string } =>
  ({ sealed: box.seal(value, sealedEnvContext({ cluster: 'default', namespace: ns, name }, variable)) });
const envOf = (d: Json | undefined): unknown => d?.spec.template.spec.containers[0].env;

beforeAll(async () => {
  h = await DeployerHarness.create();
  await h.start();
  ns = await h.namespace('deployer-sealed');
}, 60_000);
afterAll(async () => {
  await h?.close();
}, 60_000);

describe('deployer: sealed env values', () => {
  it('a value sealed for this Deployment reaches its pod template; a Secret reference as valueFrom.secretKeyRef', async () => {
    const op = await h.command('deploy', { namespace: ns, name: 'web', image: 'nginx:1.27', env: { API_KEY: sealFor('web', 'API_KEY', 'k-42'), DB: { valueFrom: { secretKeyRef: { name: 'db', key: 'password', optional: true } } } } });
    await h.succeeded(op, 90_000);
    expect(envOf(await h.deployment(ns, 'web'))).toEqual([
      { name: 'API_KEY', value: 'k-42' },
      { name: 'DB', valueFrom: { secretKeyRef: { name: 'db', key: 'password', optional: true } } },
    ]);
  }, 120_000);

  it('a plaintext value on the bus is refused (Invalid, naming it, not echoing it): nothing is applied', async () => {
    const op = await h.command('deploy', { namespace: ns, name: 'plain', image: 'nginx:1.27', env: { API_KEY: 'hunter2' } });
    const failed = await h.terminal(op);
    expect(failed.error).toMatchObject({ code: 'Invalid' });
    expect(JSON.stringify(failed)).toMatch(/env\.API_KEY/);
    expect(JSON.stringify(failed)).not.toContain('hunter2');
    expect(await h.deployment(ns, 'plain')).toBeUndefined();
    const v = await h.query('validate', { kind: 'deployment.deploy', action: 'deploy', payload: { namespace: ns, name: 'plain', image: 'nginx:1.27', env: { API_KEY: 'hunter2' } } });
    expect(v).toMatchObject({ ok: false, error: { code: 'Invalid', fieldErrors: [{ path: 'env.API_KEY' }] } });
  });

  it('a sealed value copied into a command for another Deployment does not open there: Invalid naming it, nothing applied', async () => {
    const op = await h.command('deploy', { namespace: ns, name: 'thief', image: 'nginx:1.27', env: { API_KEY: sealFor('web', 'API_KEY', 'k-42') } });
    const failed = await h.terminal(op);
    expect(failed.error).toMatchObject({ code: 'Invalid', message: expect.stringMatching(/env\.API_KEY.*cannot be opened/) });
    expect(await h.deployment(ns, 'thief')).toBeUndefined();
  });
});
