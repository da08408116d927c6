import { Injectable } from '@nestjs/common';
import type { PodMetricsLike } from '@bosun/autoscaler-domain';
import type { KubeObject, KubePort } from '@bosun/kube';

/** How long one PodMetrics list serves every target of its namespace (metrics-server scrapes every 10 s anyway). */
const FRESH_MS = 2000;

type Reading = { ok: true; byPod: Map<string, PodMetricsLike> } | { ok: false; error: string };

/**
 * metrics.k8s.io PodMetrics, listed once per namespace per tick: concurrent and close ticks of
 * targets in the same namespace share one request (in flight or younger than FRESH_MS).
 */
@Injectable()
export class PodMetricsReader {
  private readonly cache = new Map<string, { at: number; reading: Promise<Reading> }>();

  read(cluster: string, kube: KubePort, namespace: string): Promise<Reading> {
    const key = `${cluster}/${namespace}`;
    const hit = this.cache.get(key);
    if (hit && Date.now() - hit.at < FRESH_MS) return hit.reading;
    const reading = this.list(kube, namespace);
    this.cache.set(key, { at: Date.now(), reading });
    return reading;
  }

  private async list(kube: KubePort, namespace: string): Promise<Reading> {
    try {
      const items = await kube.list<KubeObject & PodMetricsLike>({ apiVersion: 'metrics.k8s.io/v1beta1', kind: 'PodMetrics', namespace });
      return { ok: true, byPod: new Map(items.map((m) => [m.metadata.name, m])) };
    } catch (e) {
      return { ok: false, error: `unable to get metrics for resource: ${(e as Error).message}` };
    }
  }
}
