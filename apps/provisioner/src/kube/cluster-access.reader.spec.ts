import type { KubePort } from '@bosun/kube';
import { clusterInfo } from './cluster-access.reader';

describe('clusterInfo', () => {
  it('reads the server and CA out of kube-public/cluster-info', async () => {
    const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
    const kubeconfig = `apiVersion: v1\nkind: Config\nclusters:\n- name: ""\n  cluster:\n    certificate-authority-data: ${Buffer.from(pem).toString('base64')}\n    server: https://127.0.0.1:16443\n`;
    const port = { get: async () => ({ data: { kubeconfig } }) } as unknown as KubePort;
    expect(await clusterInfo(port)).toEqual({ server: 'https://127.0.0.1:16443', caPem: pem });
  });

  it('is empty when there is no cluster-info', async () => {
    expect(await clusterInfo({ get: async () => undefined } as unknown as KubePort)).toEqual({});
  });
});
