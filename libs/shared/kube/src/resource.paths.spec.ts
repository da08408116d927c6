import { findResource, groupVersionPath, resourcePath } from './resource.paths';

const deployments = { name: 'deployments', kind: 'Deployment', namespaced: true };
const nodes = { name: 'nodes', kind: 'Node', namespaced: false };

describe('resource paths', () => {
  it.each([
    ['v1', '/api/v1'],
    ['apps/v1', '/apis/apps/v1'],
    ['policy/v1', '/apis/policy/v1'],
    ['example.com/v1alpha1', '/apis/example.com/v1alpha1'],
  ])('%s → %s', (apiVersion, path) => {
    expect(groupVersionPath(apiVersion)).toBe(path);
  });

  it.each(['', 'a/b/c', '../v1', 'apps/v1?x=1'])('refuses apiVersion %p', (apiVersion) => {
    expect(() => groupVersionPath(apiVersion)).toThrow(expect.objectContaining({ reason: 'BadRequest' }));
  });

  it.each([
    ['object', 'apps/v1', deployments, { namespace: 'team-a', name: 'web' }, '/apis/apps/v1/namespaces/team-a/deployments/web'],
    ['subresource', 'apps/v1', deployments, { namespace: 'team-a', name: 'web', subresource: 'scale' }, '/apis/apps/v1/namespaces/team-a/deployments/web/scale'],
    ['namespaced collection', 'apps/v1', deployments, { namespace: 'team-a' }, '/apis/apps/v1/namespaces/team-a/deployments'],
    ['all namespaces', 'apps/v1', deployments, {}, '/apis/apps/v1/deployments'],
    ['cluster-scoped object ignores namespace', 'v1', nodes, { namespace: 'x', name: 'kwok-1' }, '/api/v1/nodes/kwok-1'],
    ['eviction', 'v1', { name: 'pods', kind: 'Pod', namespaced: true }, { namespace: 'a', name: 'p', subresource: 'eviction' }, '/api/v1/namespaces/a/pods/p/eviction'],
    ['escaped names', 'v1', { name: 'configmaps', kind: 'ConfigMap', namespaced: true }, { namespace: 'a', name: 'x/../y' }, '/api/v1/namespaces/a/configmaps/x%2F..%2Fy'],
  ])('%s', (_what, apiVersion, resource, target, path) => {
    expect(resourcePath(apiVersion, resource, target)).toBe(path);
  });

  it('needs a namespace to address one namespaced object', () => {
    expect(() => resourcePath('apps/v1', deployments, { name: 'web' })).toThrow('a namespace is required for Deployment "web"');
  });

  it('finds the main resource, not its subresources', () => {
    const list = { resources: [
      { name: 'deployments/scale', kind: 'Scale', namespaced: true },
      { name: 'deployments/status', kind: 'Deployment', namespaced: true },
      deployments,
    ] };
    expect(findResource(list, 'Deployment')).toBe(deployments);
    expect(findResource(list, 'Scale')).toBeUndefined();
  });
});
