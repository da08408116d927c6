import { KubeError } from './kube.errors';
import type { KubeTransport } from './kube.transport';
import { findResource, groupVersionPath, type ApiResource } from './resource.paths';

/**
 * Maps apiVersion+kind to a resource through discovery, cached per cluster (one
 * resolver per adapter). A miss refetches the group/version once, so kinds from CRDs
 * installed after start are found.
 */
export class ResourceResolver {
  private readonly cache = new Map<string, Promise<{ resources?: ApiResource[] }>>();

  constructor(private readonly transport: KubeTransport) {}

  async resolve(apiVersion: string, kind: string): Promise<ApiResource> {
    const cached = await this.fetch(apiVersion, false);
    const found = findResource(cached, kind) ?? findResource(await this.fetch(apiVersion, true), kind);
    if (!found) {
      throw new KubeError(404, 'UnknownKind', `the server doesn't have a resource type for kind "${kind}" in "${apiVersion}"`);
    }
    return found;
  }

  private async fetch(apiVersion: string, refresh: boolean): Promise<{ resources?: ApiResource[] }> {
    let pending = refresh ? undefined : this.cache.get(apiVersion);
    if (!pending) {
      pending = this.transport.request<{ resources?: ApiResource[] }>({ method: 'GET', path: groupVersionPath(apiVersion) });
      this.cache.set(apiVersion, pending);
      // A failed lookup must not stay cached, or one blip would break the kind forever.
      const mine = pending;
      mine.catch(() => this.cache.get(apiVersion) === mine && this.cache.delete(apiVersion));
    }
    try {
      return await pending;
    } catch (err) {
      if (err instanceof KubeError && err.status === 404) {
        throw new KubeError(404, 'UnknownKind', `the server doesn't serve "${apiVersion}"`);
      }
      throw err;
    }
  }
}
