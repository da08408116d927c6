import { actionOf, parseCommand } from './command.payload';

describe('actionOf', () => {
  it('accepts operation kinds and actions', () => {
    expect(actionOf('deployment.rollback')).toBe('rollback');
    expect(actionOf('set-image')).toBe('set-image');
    expect(actionOf('deployment.explode')).toBeUndefined();
    expect(actionOf('toString')).toBeUndefined();
  });
});

describe('parseCommand', () => {
  it('accepts a valid deploy request and applies schema defaults', () => {
    const parsed = parseCommand('deploy', { namespace: 'team-a', name: 'web', image: 'nginx:1.27', strategy: { maxSurge: 1, maxUnavailable: 0 } });
    expect(parsed).toEqual({ ok: true, value: { action: 'deploy', payload: expect.objectContaining({ strategy: { type: 'RollingUpdate', maxSurge: 1, maxUnavailable: 0 } }) } });
  });

  it('names every bad field of a deploy request, schema first', () => {
    const parsed = parseCommand('deploy', { namespace: 'Team_A', name: 'web', image: 'nginx:1.27', replicas: -1 });
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.errors.map((e) => e.path)).toEqual(['namespace', 'replicas']);
  });

  it("runs the domain's checks the schema cannot express", () => {
    const parsed = parseCommand('deploy', { namespace: 'a', name: 'web', image: 'nginx:1.27', resources: { requests: { cpu: '2' }, limits: { cpu: '1' } } });
    expect(!parsed.ok && parsed.errors).toEqual([{ path: 'resources.requests.cpu', message: expect.stringContaining('must be less than or equal to cpu limit') }]);
    const badImage = parseCommand('set-image', { namespace: 'a', name: 'web', image: 'nginx:Bad Tag' });
    expect(!badImage.ok && badImage.errors[0].path).toBe('image');
  });

  it.each([
    ['rollback', { namespace: 'a', name: 'web', toRevision: 0 }, 'toRevision'],
    ['scale', { namespace: 'a', name: 'web', replicas: -2 }, 'replicas'],
    ['pause', { namespace: 'a' }, 'name'],
    ['set-image', { namespace: 'a', name: 'web' }, 'image'],
  ] as const)('%s with a bad payload names the field', (action, payload, path) => {
    const parsed = parseCommand(action, payload);
    expect(!parsed.ok && parsed.errors.map((e) => e.path)).toContain(path);
  });

  it('a deploy command carries env values sealed or as Secret references; a plaintext value is refused naming it', () => {
    const env = { A: { sealed: 'v1:QUJDREVGR0hJSktMTU5PUFFSU1RVVldY' }, B: { valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } } };
    expect(parseCommand('deploy', { namespace: 'a', name: 'web', image: 'nginx:1.27', env }).ok).toBe(true);
    const plain = parseCommand('deploy', { namespace: 'a', name: 'web', image: 'nginx:1.27', env: { A: 'hunter2' } });
    expect(!plain.ok && plain.errors.map((e) => e.path)).toEqual(['env.A']);
    expect(JSON.stringify(plain)).not.toContain('hunter2');
  });

  it('accepts the payloads of the other actions', () => {
    expect(parseCommand('rollback', { namespace: 'a', name: 'web' }).ok).toBe(true);
    expect(parseCommand('scale', { namespace: 'a', name: 'web', replicas: 0 }).ok).toBe(true);
    expect(parseCommand('delete', { namespace: 'a', name: 'web' }).ok).toBe(true);
  });
});
