import { KubeError } from './kube.errors';

/** What discovery says about one resource of a group/version. */
export interface ApiResource {
  name: string;
  kind: string;
  namespaced: boolean;
}

export interface PathTarget {
  namespace?: string;
  name?: string;
  subresource?: string;
}

const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;

/** `v1` → `/api/v1`, `apps/v1` → `/apis/apps/v1`. */
export function groupVersionPath(apiVersion: string): string {
  const parts = apiVersion.split('/');
  if (parts.length > 2 || !parts.every((p) => SEGMENT.test(p))) {
    throw new KubeError(400, 'BadRequest', `invalid apiVersion "${apiVersion}"`);
  }
  return parts.length === 1 ? `/api/${apiVersion}` : `/apis/${apiVersion}`;
}

function segment(value: string, what: string): string {
  if (!value) {
    throw new KubeError(400, 'BadRequest', `${what} must not be empty`);
  }
  return encodeURIComponent(value);
}

/**
 * The REST path of a collection (no name) or an object (with name, optionally a
 * subresource). A namespaced kind needs a namespace except for a collection, where
 * its absence means all namespaces; a cluster-scoped kind ignores the namespace.
 */
export function resourcePath(apiVersion: string, resource: ApiResource, target: PathTarget = {}): string {
  const parts = [groupVersionPath(apiVersion)];
  if (resource.namespaced && target.namespace) {
    parts.push('namespaces', segment(target.namespace, 'namespace'));
  } else if (resource.namespaced && target.name !== undefined) {
    throw new KubeError(400, 'BadRequest', `a namespace is required for ${resource.kind} "${target.name}"`);
  }
  parts.push(resource.name);
  if (target.name !== undefined) {
    parts.push(segment(target.name, 'name'));
  }
  if (target.subresource) {
    parts.push(target.subresource);
  }
  return parts.join('/');
}

/** Picks the main resource of a kind from an APIResourceList, skipping subresources (`deployments/scale`). */
export function findResource(list: { resources?: ApiResource[] } | undefined, kind: string): ApiResource | undefined {
  return list?.resources?.find((r) => r.kind === kind && !r.name.includes('/'));
}
