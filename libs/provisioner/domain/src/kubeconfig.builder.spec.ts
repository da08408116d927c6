import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { buildKubeconfig } from './kubeconfig.builder';

const caPem = readFileSync(join(__dirname, 'fixtures', 'ca.crt'), 'utf8');
const input = {
  clusterName: 'local', server: 'https://10.0.2.2:6443', caPem, namespace: 'team-a', userName: 'team-a-edit',
  token: 'eyJhbGciOiJSUzI1NiJ9.payload.signature', expiresAt: '2026-12-01T21:00:00Z',
};

describe('buildKubeconfig (000:15594-15855)', () => {
  it('one cluster with its CA inline, one token user, one context in the tenant namespace', () => {
    expect(parse(buildKubeconfig(input))).toEqual({
      apiVersion: 'v1',
      kind: 'Config',
      preferences: {},
      clusters: [{ name: 'local', cluster: { server: 'https://10.0.2.2:6443', 'certificate-authority-data': Buffer.from(caPem).toString('base64') } }],
      users: [{ name: 'team-a-edit', user: { token: 'eyJhbGciOiJSUzI1NiJ9.payload.signature' } }],
      contexts: [{ name: 'team-a-edit@local', context: { cluster: 'local', namespace: 'team-a', user: 'team-a-edit' } }],
      'current-context': 'team-a-edit@local',
    });
  });

  it('is the exact text, with the expiry as a comment', () => {
    const text = buildKubeconfig({ ...input, caPem: 'PEM', contextName: 'team-a' });
    expect(text).toBe([
      '# token expires at 2026-12-01T21:00:00Z',
      'apiVersion: v1',
      'kind: Config',
      'preferences: {}',
      'clusters:',
      '- name: "local"',
      '  cluster:',
      '    server: "https://10.0.2.2:6443"',
      '    certificate-authority-data: "UEVN"',
      'users:',
      '- name: "team-a-edit"',
      '  user:',
      '    token: "eyJhbGciOiJSUzI1NiJ9.payload.signature"',
      'contexts:',
      '- name: "team-a"',
      '  context:',
      '    cluster: "local"',
      '    namespace: "team-a"',
      '    user: "team-a-edit"',
      'current-context: "team-a"',
      '',
    ].join('\n'));
  });

  it('quotes every value, so odd names stay strings', () => {
    const text = buildKubeconfig({ ...input, clusterName: 'yes', userName: 'a: "b"\n#c', expiresAt: undefined });
    const config = parse(text);
    expect(config.clusters[0].name).toBe('yes');
    expect(config.users[0].name).toBe('a: "b"\n#c');
    expect(text.startsWith('apiVersion: v1')).toBe(true);
  });
});
