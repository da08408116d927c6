import type { TokenRequestBody } from '@bosun/provisioner-domain';
import type { Identity, KubePort } from '@bosun/kube';
import { OperationFailure } from '@bosun/service-kit';

/** The answer of a TokenRequest: the bearer token and when it stops working. */
export interface IssuedToken {
  token: string;
  expirationTimestamp: string;
}

interface TokenRequestReply { status?: { token?: string; expirationTimestamp?: string } }

/** A subresource create, the port addition this needs (`POST …/serviceaccounts/<sa>/token`). */
type CreateSubresource = (ref: { apiVersion: string; kind: string; namespace?: string; name: string }, subresource: string, body: unknown, opts: { as?: Identity }) => Promise<unknown>;
/** The adapter's HTTP transport (same TLS, credentials, impersonation and typed errors as every other call). */
type RawRequest = (req: { method: 'POST'; path: string; body: unknown; as?: Identity }) => Promise<unknown>;

/**
 * Mints a ServiceAccount token with the TokenRequest API, impersonating the asker so RBAC
 * decides (`create serviceaccounts/token`). The KubePort cannot POST to a subresource yet:
 * this uses `createSubresource` once the port has it, and until then the adapter's own
 * transport (the same TLS, credentials, impersonation and KubeError mapping). A port with
 * neither answers NotImplemented instead of pretending.
 */
export const requestToken = async (port: KubePort, namespace: string, serviceAccount: string, body: TokenRequestBody, as?: Identity): Promise<IssuedToken> => {
  const reply = (await send(port, namespace, serviceAccount, body, as)) as TokenRequestReply;
  const token = reply.status?.token;
  if (!token || !reply.status?.expirationTimestamp) throw new Error('the TokenRequest answer carries no token');
  return { token, expirationTimestamp: reply.status.expirationTimestamp };
};

const send = (port: KubePort, namespace: string, name: string, body: TokenRequestBody, as?: Identity): Promise<unknown> => {
  const createSubresource = (port as unknown as { createSubresource?: CreateSubresource }).createSubresource;
  if (createSubresource) return createSubresource.call(port, { apiVersion: 'v1', kind: 'ServiceAccount', namespace, name }, 'token', body, { as });
  const transport = Reflect.get(port, 'transport') as { request?: RawRequest } | undefined;
  if (typeof transport?.request !== 'function') {
    throw new OperationFailure('NotImplemented', 'this cluster port cannot create a TokenRequest (serviceaccounts/token)');
  }
  const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/serviceaccounts/${encodeURIComponent(name)}/token`;
  return transport.request.call(transport, { method: 'POST', path, body, as });
};
