import type { AutoscalerView } from '@bosun/contracts';
import { nativeHpaManifest } from '@bosun/autoscaler-domain';
import type { Identity, KubeObject, KubePort, ObjectRef } from '@bosun/kube';
import type { AutoscalerDefinition } from './autoscaler.store';

// mode "native": an autoscaling/v2 HorizontalPodAutoscaler with the same spec, server-side
// applied (field manager bosun) as the creating subject and named after the autoscaler, so
// the cluster's own controller runs the loop.

export const NATIVE_LABELS = (id: string): Record<string, string> => ({ 'app.kubernetes.io/managed-by': 'bosun', 'autoscaling.bosun.dev/id': id });

export const hpaRef = (def: Pick<AutoscalerDefinition, 'id' | 'request'>): ObjectRef => ({
  apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', namespace: def.request.target.namespace, name: def.id,
});

export async function applyNativeHpa(kube: KubePort, def: AutoscalerDefinition, as: Identity | undefined): Promise<void> {
  await kube.apply(nativeHpaManifest(def.request, def.id, NATIVE_LABELS(def.id)) as unknown as KubeObject, { as, force: true });
}

export async function deleteNativeHpa(kube: KubePort, def: AutoscalerDefinition, as: Identity | undefined): Promise<void> {
  await kube.delete(hpaRef(def), { as });
}

type Hpa = KubeObject & {
  status?: {
    currentReplicas?: number; desiredReplicas?: number; lastScaleTime?: string;
    currentMetrics?: { type: string; resource?: { name: string; current?: { averageUtilization?: number; averageValue?: string } } }[];
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
  };
};

/** The live half of a native autoscaler's view: the HPA controller's own status. */
export async function nativeStatus(kube: KubePort, def: AutoscalerDefinition, as: Identity | undefined): Promise<Pick<AutoscalerView, 'currentReplicas' | 'desiredReplicas' | 'lastScaleTime' | 'metrics' | 'conditions'>> {
  const hpa = await kube.get<Hpa>(hpaRef(def), { as });
  const status = hpa?.status ?? {};
  const current = (resource: string | undefined): string | undefined => {
    const m = status.currentMetrics?.find((c) => c.type === 'Resource' && c.resource?.name === resource)?.resource?.current;
    if (m?.averageUtilization !== undefined) return String(m.averageUtilization);
    return m?.averageValue;
  };
  const types = ['AbleToScale', 'ScalingActive', 'ScalingLimited'] as const;
  return {
    currentReplicas: status.currentReplicas ?? 0,
    desiredReplicas: status.desiredReplicas ?? 0,
    ...(status.lastScaleTime ? { lastScaleTime: status.lastScaleTime } : {}),
    metrics: def.request.metrics.map((m) => ({ name: m.name, current: current(m.resource) })),
    conditions: types.flatMap((type) => {
      const c = status.conditions?.find((x) => x.type === type);
      return c ? [{ type, status: c.status === 'True' ? 'True' as const : 'False' as const, reason: c.reason ?? '', message: c.message ?? '' }] : [];
    }),
  };
}
