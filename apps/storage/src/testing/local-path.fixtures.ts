// Test-only: a Deployment whose one pod mounts a claim, for the scheduler to place on a kwok node.
import type { Json } from './storage.harness';

export const deploymentWithClaim = (namespace: string, name: string, claim: string): Json => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace },
  spec: {
    replicas: 1, selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: {
        containers: [{ name: 'app', image: 'nginx:1.27', volumeMounts: [{ name: 'data', mountPath: '/data' }] }],
        volumes: [{ name: 'data', persistentVolumeClaim: { claimName: claim } }],
      },
    },
  },
});
