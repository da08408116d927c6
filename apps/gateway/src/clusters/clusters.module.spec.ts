import { CLUSTER_QUERIES, querySubject } from '@bosun/contracts';
import { audited, bearer, moduleUnderTest } from '../testing/module.testing';
import type { ModuleUnderTest } from '../testing/module.testing';
import { OperationsService } from '../operations/operations.service';
import { ClustersModule } from './clusters.module';

let m: ModuleUnderTest;
beforeAll(async () => { m = await moduleUnderTest(ClustersModule, (b) => b.overrideProvider(OperationsService).useValue({})); });
afterAll(async () => { await m?.app.close(); });

const view = { name: 'edge', server: 'https://10.0.0.1:6443', default: false, reachable: true, version: 'v1.30.2' };

describe('ClustersModule over HTTP', () => {
  it('adding a cluster is admin only; 422 names the missing kubeconfig; 201 with the deployer\'s view', async () => {
    expect((await m.http.post('/v1/clusters').set(bearer('operator')).send({ name: 'edge', kubeconfig: 'x' })).status).toBe(403);
    const bad = await m.http.post('/v1/clusters').set(bearer('admin')).send({ name: 'Edge!' });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['kubeconfig', 'name']);
    m.queries.answer(querySubject('deployer', CLUSTER_QUERIES.add), (env) => ({ ok: true, value: { ...view, name: (env.params as { name: string }).name } }));
    const ok = await m.http.post('/v1/clusters').set(bearer('admin')).send({ name: 'edge', kubeconfig: 'apiVersion: v1' });
    expect(ok.status).toBe(201);
    expect(ok.body).toEqual(view);
    expect(await audited(m, { action: 'cluster.add', target: { kind: 'Cluster', name: 'edge' }, status: 201 })).toBeDefined();
  });

  it('lists for any role; the deployer away is a 503 problem', async () => {
    expect((await m.http.get('/v1/clusters').set(bearer('viewer'))).body).toMatchObject({ code: 'Unreachable', status: 503 });
    m.queries.answer(querySubject('deployer', CLUSTER_QUERIES.list), { ok: true, value: [view] });
    expect((await m.http.get('/v1/clusters').set(bearer('viewer'))).body).toEqual({ items: [view] });
    m.queries.answer(querySubject('deployer', CLUSTER_QUERIES.get), { ok: false, error: { code: 'NotFound', message: 'no cluster named nope' } });
    expect((await m.http.get('/v1/clusters/nope').set(bearer('viewer'))).status).toBe(404);
  });
});
