import type { TokenRequestBody } from '@bosun/provisioner-domain';
import type { Identity, KubePort } from '@bosun/kube';

/** The answer of a TokenRequest: the bearer token and when it stops working. */
export interface IssuedToken {
  token: string;
  expirationTimestamp: string;
}

interface TokenRequestReply { status?: { token?: string; expirationTimestamp?: string } }

/**
 * Mints a ServiceAccount token with the TokenRequest API (`POST …/serviceaccounts/<sa>/token`),
 * impersonating the asker so RBAC decides (`create serviceaccounts/token`).
 */
export const requestToken = async (port: KubePort, namespace: string, serviceAccount: string, body: TokenRequestBody, as?: Identity): Promise<IssuedToken> => {
  const reply = await port.createSubresource<TokenRequestReply>({ apiVersion: 'v1', kind: 'ServiceAccount', namespace, name: serviceAccount }, 'token', body, { as });
  const token = reply.status?.token;
  if (!token || !reply.status?.expirationTimestamp) throw new Error('the TokenRequest answer carries no token');
  return { token, expirationTimestamp: reply.status.expirationTimestamp };
};
