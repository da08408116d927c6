import type { KubePort } from '@bosun/kube';
import { requestToken } from './token-request.client';

const body = { apiVersion: 'authentication.k8s.io/v1' as const, kind: 'TokenRequest' as const, spec: { audiences: [], expirationSeconds: 600 } };
const reply = { status: { token: 't0k', expirationTimestamp: '2026-12-01T21:00:00Z' } };

describe('requestToken', () => {
  it('prefers the port\'s createSubresource when it has one', async () => {
    const seen: unknown[] = [];
    const port = { createSubresource: async (...args: unknown[]) => (seen.push(args), reply) } as unknown as KubePort;
    expect(await requestToken(port, 'team-a', 'bosun-edit', body, { user: 'alice' })).toEqual({ token: 't0k', expirationTimestamp: '2026-12-01T21:00:00Z' });
    expect(seen).toEqual([[{ apiVersion: 'v1', kind: 'ServiceAccount', namespace: 'team-a', name: 'bosun-edit' }, 'token', body, { as: { user: 'alice' } }]]);
  });

  it('otherwise POSTs the subresource through the adapter\'s transport, impersonating', async () => {
    const seen: unknown[] = [];
    const port = { transport: { request: async (req: unknown) => (seen.push(req), reply) } } as unknown as KubePort;
    await requestToken(port, 'team-a', 'bosun-view', body, { user: 'alice' });
    expect(seen).toEqual([{ method: 'POST', path: '/api/v1/namespaces/team-a/serviceaccounts/bosun-view/token', body, as: { user: 'alice' } }]);
  });

  it('a port with neither is NotImplemented; an answer without a token is a bug', async () => {
    await expect(requestToken({} as KubePort, 'a', 'b', body)).rejects.toMatchObject({ code: 'NotImplemented' });
    const empty = { transport: { request: async () => ({ status: {} }) } } as unknown as KubePort;
    await expect(requestToken(empty, 'a', 'b', body)).rejects.toThrow('no token');
  });
});
