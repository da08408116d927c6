import type { CredentialsPayload, CredentialsResponse } from '@bosun/contracts';
import type { ClusterRegistry, Identity, KubeObject } from '@bosun/kube';
import { buildKubeconfig, planCredentials } from '@bosun/provisioner-domain';
import { OperationFailure } from '@bosun/service-kit';
import { clusterAccess } from '../kube/cluster-access.reader';
import { requestToken } from '../kube/token-request.client';
import { TenantReader } from './tenant.reader';

/**
 * A credential for a tenant: the role's ServiceAccount and RoleBinding (applied as the asker,
 * so the escalation guard stops a `view` member from minting an `admin` token), a
 * TokenRequest for `ttlSeconds`, and a kubeconfig around it with the cluster's CA. Nothing is
 * stored: the token lives only in the answer and expires on its own.
 */
export const issueCredentials = async (registry: ClusterRegistry, cluster: string, p: CredentialsPayload, as?: Identity): Promise<CredentialsResponse> => {
  const plan = planCredentials(p.name, { ttlSeconds: p.ttlSeconds, role: p.role });
  if (!plan.ok) throw new OperationFailure('Invalid', plan.errors.map((e) => `${e.path}: ${e.message}`).join('; '), { fieldErrors: plan.errors });
  const port = await registry.resolve(cluster);
  await new TenantReader(port, as).tenantNamespace(p.name);
  const { namespace, serviceAccountName, role } = plan.value;
  await port.apply(plan.value.serviceAccount as unknown as KubeObject, { as, force: true });
  await port.apply(plan.value.roleBinding as unknown as KubeObject, { as, force: true });
  const issued = await requestToken(port, namespace, serviceAccountName, plan.value.tokenRequest, as);
  const { server, caPem } = await clusterAccess(registry, port, cluster, namespace);
  const kubeconfig = buildKubeconfig({
    clusterName: cluster, server, caPem, namespace, userName: `${namespace}-${role}`, token: issued.token, expiresAt: issued.expirationTimestamp,
  });
  return { kubeconfig, expiresAt: issued.expirationTimestamp };
};
