import type { ClusterRegistry, KubeObject, KubePort } from '@bosun/kube';
import { OperationFailure } from '@bosun/service-kit';

/** What a kubeconfig or a join command needs of a cluster: its API server URL and its CA. */
export interface ClusterAccess {
  server: string;
  caPem: string;
}

type ConfigMap = KubeObject & { data?: Record<string, string> };

/** The CA the controller-manager publishes into every namespace (`kube-root-ca.crt`). */
export const rootCa = async (port: KubePort, namespace: string): Promise<string | undefined> =>
  (await port.get<ConfigMap>({ apiVersion: 'v1', kind: 'ConfigMap', namespace, name: 'kube-root-ca.crt' }))?.data?.['ca.crt'];

/** `kube-public/cluster-info`: the server and CA that kubeadm join discovers and verifies (signed per token). */
export const clusterInfo = async (port: KubePort): Promise<Partial<ClusterAccess>> => {
  const cm = await port.get<ConfigMap>({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'kube-public', name: 'cluster-info' });
  const text = cm?.data?.kubeconfig ?? '';
  const server = /^\s*server:\s*"?([^"\s]+)"?\s*$/m.exec(text)?.[1];
  const caData = /^\s*certificate-authority-data:\s*"?([A-Za-z0-9+/=]+)"?\s*$/m.exec(text)?.[1];
  return { ...(server ? { server } : {}), ...(caData ? { caPem: Buffer.from(caData, 'base64').toString('utf8') } : {}) };
};

/**
 * The server Bosun itself talks to and the cluster CA. The CA is public (every pod mounts it,
 * anonymous users may read cluster-info), so it is read with Bosun's own credentials: a
 * tenant member asking for a credential need not be able to read kube-system.
 */
export const clusterAccess = async (registry: ClusterRegistry, port: KubePort, cluster: string, caNamespace: string): Promise<ClusterAccess> => {
  const { server } = await registry.describe(cluster);
  const caPem = (await rootCa(port, caNamespace)) ?? (await clusterInfo(port)).caPem;
  if (!caPem) throw new OperationFailure('NotFound', `no cluster CA: configmaps "kube-root-ca.crt" in "${caNamespace}" and "cluster-info" in "kube-public" are missing`);
  return { server, caPem };
};
