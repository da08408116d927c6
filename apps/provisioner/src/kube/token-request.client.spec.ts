import type { KubePort } from '@bosun/kube';
import { requestToken } from './token-request.client';

const body = { apiVersion: 'authentication.k8s.io/v1' as const, kind: 'TokenRequest' as const, spec: { audiences: [], expirationSeconds: 600 } };
const reply = { status: { token: 't0k', expirationTimestamp: '2026-12-01T21:00:00Z' } };

describe('requestToken', () => {
  it('POSTs the serviceaccounts/token subresource through the port, impersonating the asker', async () => {
    const seen: unknown[] = [];
    const port = { createSubresource: async (...args: unknown[]) => (seen.push(args), reply) } as unknown as KubePort;
    expect(await requestToken(port, 'team-a', 'bosun-edit', body, { user: 'alice' })).toEqual({ token: 't0k', expirationTimestamp: '2026-12-01T21:00:00Z' });
    expect(seen).toEqual([[{ apiVersion: 'v1', kind: 'ServiceAccount', namespace: 'team-a', name: 'bosun-edit' }, 'token', body, { as: { user: 'alice' } }]]);
  });

  it('an answer without a token is a bug, not a credential', async () => {
    const empty = { createSubresource: async () => ({ status: {} }) } as unknown as KubePort;
    await expect(requestToken(empty, 'a', 'b', body)).rejects.toThrow('no token');
  });
});
