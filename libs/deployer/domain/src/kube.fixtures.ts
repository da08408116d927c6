// Builders for the specs: objects shaped the way the API server returns them, with the
// names from 004:1184-1663 (hellok8s-go-http). Not exported from index.ts.
import { ANNOTATIONS, POD_TEMPLATE_HASH, type Condition, type ContainerStatus, type Deployment, type KubeEvent, type Pod, type PodTemplateSpec, type ReplicaSet } from './kube-types';

export const DEPLOYMENT_UID = '0b6c2c1e-6a35-4d8e-9d59-0f5f3b7f0001';
export const NAME = 'hellok8s-go-http';

export const template = (image: string, extra: Partial<PodTemplateSpec['metadata']> = {}): PodTemplateSpec => ({
  metadata: { labels: { app: 'hellok8s' }, ...extra },
  spec: { containers: [{ name: 'hellok8s', image, imagePullPolicy: 'IfNotPresent' }] },
});

export interface DeploymentFixture {
  image?: string;
  revision?: number;
  changeCause?: string;
  replicas?: number;
  generation?: number;
  observedGeneration?: number;
  paused?: boolean;
  status?: Deployment['status'];
  conditions?: Condition[];
  template?: PodTemplateSpec;
}

export const deployment = (f: DeploymentFixture = {}): Deployment => {
  const annotations: Record<string, string> = {};
  if (f.revision !== undefined) annotations[ANNOTATIONS.revision] = String(f.revision);
  if (f.changeCause !== undefined) annotations[ANNOTATIONS.changeCause] = f.changeCause;
  const replicas = f.replicas ?? 3;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: NAME, namespace: 'default', uid: DEPLOYMENT_UID, generation: f.generation ?? 1, annotations },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'hellok8s' } },
      template: f.template ?? template(f.image ?? 'leigg/hellok8s:v2'),
      paused: f.paused,
    },
    status: f.status ?? {
      observedGeneration: f.observedGeneration ?? f.generation ?? 1,
      replicas,
      updatedReplicas: replicas,
      readyReplicas: replicas,
      availableReplicas: replicas,
      conditions: f.conditions,
    },
  };
};

export interface ReplicaSetFixture {
  hash: string;
  image: string;
  revision?: number;
  changeCause?: string;
  replicas?: number;
  available?: number;
  created?: string | Date;
  ownerUid?: string;
  conditions?: Condition[];
  extraAnnotations?: Record<string, string>;
}

export const replicaSet = (f: ReplicaSetFixture): ReplicaSet => {
  const annotations: Record<string, string> = { ...f.extraAnnotations };
  if (f.revision !== undefined) annotations[ANNOTATIONS.revision] = String(f.revision);
  if (f.changeCause !== undefined) annotations[ANNOTATIONS.changeCause] = f.changeCause;
  const t = template(f.image);
  t.metadata = { ...t.metadata, labels: { ...t.metadata?.labels, [POD_TEMPLATE_HASH]: f.hash } };
  return {
    metadata: {
      name: `${NAME}-${f.hash}`,
      namespace: 'default',
      annotations,
      creationTimestamp: f.created ?? '2023-08-13T13:09:33Z',
      ownerReferences: [{ kind: 'Deployment', name: NAME, uid: f.ownerUid ?? DEPLOYMENT_UID, controller: true }],
    },
    spec: { replicas: f.replicas ?? 0, template: t },
    status: { replicas: f.replicas ?? 0, availableReplicas: f.available ?? f.replicas ?? 0, conditions: f.conditions },
  };
};

/** The three ReplicaSets of 004:1386-1416: v1, v2 ("image updated to v2"), v2_problem. */
export const hellok8sReplicaSets = (): ReplicaSet[] => [
  replicaSet({ hash: '55cfd74847', image: 'leigg/hellok8s:v1', revision: 1, created: '2023-08-13T13:09:33Z' }),
  replicaSet({ hash: '668c7f75bd', image: 'leigg/hellok8s:v2', revision: 2, changeCause: 'image updated to v2', replicas: 3, created: '2023-08-13T13:11:00Z' }),
  replicaSet({ hash: '7c9d684dd', image: 'leigg/hellok8s:v2_problem', revision: 3, replicas: 1, available: 0, created: '2023-08-13T13:11:44Z' }),
];

export const pod = (name: string, status: Pod['status'], containers = [{ name: 'hellok8s', image: 'leigg/hellok8s:v2' }]): Pod => ({
  metadata: { name, namespace: 'default', labels: { app: 'hellok8s' } },
  spec: { containers },
  status,
});

export const running = (name = 'hellok8s', ready = true, extra: Partial<ContainerStatus> = {}): ContainerStatus => ({
  name,
  image: 'leigg/hellok8s:v2',
  ready,
  restartCount: 0,
  state: { running: { startedAt: '2023-08-13T13:11:00Z' } },
  ...extra,
});

export const event = (kind: string, name: string, reason: string, message: string, at = '2023-08-13T13:12:00Z', type = 'Warning'): KubeEvent => ({
  metadata: { name: `${name}.17a`, namespace: 'default' },
  involvedObject: { kind, name, namespace: 'default' },
  reason,
  message,
  type,
  lastTimestamp: at,
});
