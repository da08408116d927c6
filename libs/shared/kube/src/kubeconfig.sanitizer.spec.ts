import { sanitizeKubeconfig } from './kubeconfig.sanitizer';

const CA = Buffer.from('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n').toString('base64');

interface Doc {
  cluster?: Record<string, unknown>;
  user?: Record<string, unknown>;
  extraUsers?: Record<string, unknown>[];
}

function kubeconfig({ cluster = {}, user = {}, extraUsers = [] }: Doc): string {
  const doc = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'prod', cluster: { server: 'https://10.0.0.1:6443', 'certificate-authority-data': CA, ...cluster } }],
    users: [{ name: 'admin', user: { token: 's3cr3t-token', ...user } }, ...extraUsers.map((u, i) => ({ name: `other-${i}`, user: u }))],
    contexts: [{ name: 'prod', context: { cluster: 'prod', user: 'admin', namespace: 'team-a' } }],
    'current-context': 'prod',
  };
  return JSON.stringify(doc);
}

describe('sanitizeKubeconfig', () => {
  it('accepts inline data and a token, keeping only the current context', () => {
    const result = sanitizeKubeconfig(kubeconfig({}));
    expect(result).toMatchObject({ ok: true, server: 'https://10.0.0.1:6443' });
    if (!result.ok) throw result.error;
    expect(result.kubeconfig.users).toEqual([{ name: 'user', user: { token: 's3cr3t-token' } }]);
    expect(result.kubeconfig.clusters[0].cluster).toEqual({ server: 'https://10.0.0.1:6443', 'certificate-authority-data': CA });
    expect(result.kubeconfig.contexts[0].context).toEqual({ cluster: 'cluster', user: 'user', namespace: 'team-a' });
  });

  it('accepts inline client certificates in YAML form', () => {
    const yaml = `
apiVersion: v1
kind: Config
clusters:
- name: c
  cluster:
    server: https://k8s.example.com
    certificate-authority-data: ${CA}
users:
- name: u
  user:
    client-certificate-data: ${CA}
    client-key-data: ${CA}
contexts:
- name: x
  context: {cluster: c, user: u}
current-context: x
`;
    expect(sanitizeKubeconfig(yaml).ok).toBe(true);
  });

  it.each([
    ['users[0].user.exec', { user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: 'sh', args: ['-c', 'id'] } } }, 'exec credential plugins are not allowed'],
    ['users[0].user.auth-provider', { user: { 'auth-provider': { name: 'oidc', config: {} } } }, 'auth-provider plugins are not allowed'],
    ['users[0].user.client-certificate', { user: { 'client-certificate': '/etc/passwd' } }, 'file references are not allowed'],
    ['users[0].user.client-key', { user: { 'client-key': '/root/.ssh/id_rsa' } }, 'file references are not allowed'],
    ['users[0].user.tokenFile', { user: { tokenFile: '/var/run/secrets/kubernetes.io/serviceaccount/token' } }, 'file references are not allowed'],
    ['users[0].user.token-file', { user: { 'token-file': '/etc/shadow' } }, 'file references are not allowed'],
    ['clusters[0].cluster.certificate-authority', { cluster: { 'certificate-authority': '/etc/ssl/ca.pem' } }, 'file references are not allowed'],
    ['users[1].user.exec', { extraUsers: [{ exec: { command: 'curl' } }] }, 'exec credential plugins are not allowed'],
    ['users[0].user.something-new', { user: { 'something-new': 'x' } }, 'field is not allowed'],
    ['users[0].user.client-key-data', { user: { 'client-key-data': 'not base64!' } }, 'must be base64 data'],
    ['users[0].user.token', { user: { token: 'a\r\nX-Injected: 1' } }, 'must be a single-line string'],
    ['clusters[0].cluster.server', { cluster: { server: 'http://10.0.0.1:8080' } }, 'must be an https:// URL'],
    ['clusters[0].cluster.server', { cluster: { server: 'file:///etc/passwd' } }, 'must be an https:// URL'],
    ['clusters[0].cluster.server', { cluster: { server: 'https://admin:s3cret@10.0.0.1:6443' } }, 'must not carry a user or password (put credentials in the user entry)'],
  ] as [string, Doc, string][])('rejects %s', (field, doc, reason) => {
    const result = sanitizeKubeconfig(kubeconfig(doc));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.field).toBe(field);
    expect(result.error.message).toContain(`${field}: ${reason}`);
    expect(result.error.message).not.toContain('s3cret'); // a refusal never echoes what it refused
  });

  it.each([
    ['empty', '', '(document)'],
    ['not a mapping', '- a\n- b\n', '(document)'],
    ['not YAML', 'a: [b', '(document)'],
    ['a JavaScript tag', 'a: !!js/function "x"', '(document)'],
    ['another kind', 'apiVersion: v1\nkind: Pod\nmetadata: {name: x}\n', 'kind'],
    ['no current context among many', JSON.stringify({ clusters: [], users: [], contexts: [{ name: 'a' }, { name: 'b' }] }), 'current-context'],
    ['a dangling context', JSON.stringify({ clusters: [], users: [], contexts: [{ name: 'a', context: { cluster: 'x', user: 'y' } }] }), 'clusters'],
  ])('rejects %s', (_what, yaml, field) => {
    const result = sanitizeKubeconfig(yaml);
    expect(result).toMatchObject({ ok: false, error: { field } });
  });

  it('refuses alias bombs before expanding them', () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++) lines.push(`a${i}: &a${i} [*a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}]`);
    const result = sanitizeKubeconfig(lines.join('\n'));
    expect(result).toMatchObject({ ok: false, error: { field: '(document)' } });
  });

  it('never puts credentials in the rejection message', () => {
    const result = sanitizeKubeconfig(kubeconfig({ user: { exec: { command: 'x' } } }));
    expect(result.ok || result.error.message.includes('s3cr3t')).toBe(false);
  });
});
