import { DEPLOYER_QUERIES, querySubject, sealedEnvContext, SEALED_VALUE } from '@bosun/contracts';
import { SECRET_PURPOSES, SecretBox } from '@bosun/service-kit';
import { audited, bearer, MODULE_TEST_ENCRYPTION_KEY, FakeOperations, moduleUnderTest } from '../testing/module.testing';
import type { ModuleUnderTest } from '../testing/module.testing';
import { OperationsService } from '../operations/operations.service';
import { DeploymentsModule } from './deployments.module';

const operations = new FakeOperations('op_1');
const { submitted } = operations;
let m: ModuleUnderTest;
beforeAll(async () => {
  m = await moduleUnderTest(DeploymentsModule, (b) => b.overrideProvider(OperationsService).useValue(operations));
});
afterAll(async () => { await m?.app.close(); });
beforeEach(() => { submitted.length = 0; m.queries.calls.length = 0; });

const deploy = { namespace: 'team-a', name: 'web', image: 'nginx:1.27' };

describe('DeploymentsModule over HTTP (fakes of our own ports)', () => {
  it('401 without a token, 403 for a viewer, both problem+json', async () => {
    const anon = await m.http.post('/v1/deployments').send(deploy);
    expect(anon.status).toBe(401);
    expect(anon.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(anon.body).toMatchObject({ type: 'about:blank', title: 'Unauthorized', status: 401 });
    const viewer = await m.http.post('/v1/deployments').set(bearer('viewer')).send(deploy);
    expect(viewer.status).toBe(403);
    expect(viewer.body.detail).toBe('user:viewer needs the operator role for this request (has: viewer)');
    expect(submitted).toEqual([]);
  });

  it('202 + Location with the operation as body; target, actor and payload as the service gets them', async () => {
    const r = await m.http.post('/v1/deployments?cluster=edge').set(bearer('operator')).send({ ...deploy, replicas: 3 });
    expect(r.status).toBe(202);
    expect(r.headers.location).toBe('/v1/operations/op_1');
    expect(r.body).toMatchObject({ id: 'op_1', kind: 'deployment.deploy', status: 'queued' });
    expect(submitted[0]).toMatchObject({
      kind: 'deployment.deploy', service: 'deployer', action: 'deploy',
      target: { cluster: 'edge', namespace: 'team-a', kind: 'Deployment', name: 'web' },
      actor: { subject: 'user:operator', groups: ['team'], via: 'api' }, payload: { ...deploy, replicas: 3 },
    });
    // A deploy is judged here by the shared rules: no question to the deployer on the way in.
    expect(m.queries.calls).toEqual([]);
    expect(await audited(m, { subject: 'user:operator', action: 'deployment.deploy', operationId: 'op_1', outcome: 'accepted', status: 202 })).toBeDefined();
  });

  it('a non-object body is 400; invalid fields are 422 naming each one', async () => {
    expect((await m.http.post('/v1/deployments').set(bearer('operator')).set('content-type', 'application/json').send('[1,2]')).status).toBe(400);
    expect((await m.http.post('/v1/deployments').set(bearer('operator'))).status).toBe(400);
    const r = await m.http.post('/v1/deployments').set(bearer('operator')).send({ namespace: 'Team_A', name: 'web', image: '', replicas: -2, strategy: { type: 'Recreate', maxSurge: 1 }, bogus: 1 });
    expect(r.status).toBe(422);
    expect(r.body).toMatchObject({ type: 'https://bosun.dev/problems/Invalid', title: 'Unprocessable Entity', status: 422, code: 'Invalid' });
    expect(r.body.errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(['namespace', 'image', 'replicas', 'strategy.maxSurge', '(body)']));
    const scale = await m.http.post('/v1/deployments/team-a/web/scale').set(bearer('operator')).send({ replicas: 'three' });
    expect(scale.body.errors).toEqual([{ path: 'replicas', message: expect.any(String) }]);
    expect(submitted).toEqual([]);
    expect(await audited(m, { action: 'deployment.scale', outcome: 'refused', status: 422 })).toBeDefined();
  });

  it('bad path names, cluster and Idempotency-Key are 422 naming them', async () => {
    const path = await m.http.put('/v1/deployments/Bad_NS/web/image').set(bearer('operator')).send({ image: 'nginx' });
    expect(path.status).toBe(422);
    expect(path.body.errors.map((e: { path: string }) => e.path)).toEqual(['namespace']);
    const cluster = await m.http.post('/v1/deployments?cluster=No_Such').set(bearer('operator')).send(deploy);
    expect(cluster.body.errors).toEqual([{ path: 'query.cluster', message: 'cluster must be a DNS-1123 label' }]);
    const key = await m.http.post('/v1/deployments').set(bearer('operator')).set('idempotency-key', 'has spaces').send(deploy);
    expect(key.body.errors).toEqual([{ path: 'header.Idempotency-Key', message: 'Idempotency-Key must be printable ASCII' }]);
  });

  it('a deploy the apiserver would refuse is a 422 from the gateway itself, naming each field; nothing asked, nothing queued', async () => {
    const r = await m.http.post('/v1/deployments').set(bearer('operator')).send({
      ...deploy, image: 'Nginx:1.27', ports: [{ containerPort: 80 }, { containerPort: 80 }],
      resources: { requests: { cpu: '2' }, limits: { cpu: '500m' } },
    });
    expect(r.status).toBe(422);
    expect(r.body.errors.map((e: { path: string }) => e.path)).toEqual(['image', 'ports.1.containerPort', 'resources.requests.cpu']);
    expect(r.body.errors[2].message).toBe('Invalid value: "2": must be less than or equal to cpu limit of 500m');
    expect(m.queries.calls).toEqual([]);
    expect(submitted).toEqual([]);
    expect(await audited(m, { action: 'deployment.deploy', outcome: 'refused', status: 422 })).toBeDefined();
  });

  it('set-image asks the deployer first; delete does not (a missing Deployment is the operation\'s NotFound)', async () => {
    expect((await m.http.put('/v1/deployments/team-a/web/image').set(bearer('operator')).send({ image: 'nginx:1.28' })).status).toBe(202);
    expect(m.queries.calls.map((c) => c.subject)).toEqual([querySubject('deployer', 'validate')]);
    expect((await m.http.delete('/v1/deployments/team-a/web').set(bearer('operator'))).status).toBe(202);
    expect(m.queries.calls).toHaveLength(1);
  });

  it('a semantic refusal by the service is a 422 before any operation exists', async () => {
    m.queries.answer(querySubject('deployer', 'validate'), { ok: false, error: { code: 'Invalid', message: 'revision 9 does not exist', fieldErrors: [{ path: 'toRevision', message: 'no revision 9' }] } });
    try {
      const r = await m.http.post('/v1/deployments/team-a/web/rollback').set(bearer('operator')).send({ toRevision: 9 });
      expect(r.status).toBe(422);
      expect(r.body).toMatchObject({ code: 'Invalid', detail: 'revision 9 does not exist', errors: [{ path: 'toRevision', message: 'no revision 9' }] });
      expect(submitted).toEqual([]);
    } finally {
      m.queries.answer(querySubject('deployer', 'validate'), { ok: true, value: {} });
    }
  });

  it('literal env values leave the gateway sealed, bound to cluster, Deployment and variable; Secret references as given', async () => {
    const marker = `marker-${Math.random().toString(36).slice(2)}`;
    const ref = { valueFrom: { secretKeyRef: { name: 'db-credentials', key: 'password', optional: true } } };
    const r = await m.http.post('/v1/deployments?cluster=edge').set(bearer('operator')).send({ ...deploy, env: { API_KEY: marker, DB_PASSWORD: ref } });
    expect(r.status).toBe(202);
    const env = (submitted[0].payload as { env: Record<string, { sealed: string }> }).env;
    expect(env.DB_PASSWORD).toEqual(ref);
    expect(env.API_KEY.sealed).toMatch(SEALED_VALUE);
    // What was submitted carries no plaintext, and nothing else left the gateway.
    expect(JSON.stringify(submitted)).not.toContain(marker);
    expect(m.queries.calls).toEqual([]);
    const box = new SecretBox(MODULE_TEST_ENCRYPTION_KEY, SECRET_PURPOSES.sealedValues);
    expect(box.open(env.API_KEY.sealed, sealedEnvContext({ cluster: 'edge', namespace: 'team-a', name: 'web' }, 'API_KEY'))).toBe(marker);
    expect(() => box.open(env.API_KEY.sealed, sealedEnvContext({ cluster: 'default', namespace: 'team-a', name: 'web' }, 'API_KEY'))).toThrow();
  });

  it('a bad secretKeyRef is 422 naming the field; a non-string literal names the variable', async () => {
    const r = await m.http.post('/v1/deployments').set(bearer('operator'))
      .send({ ...deploy, env: { A: { valueFrom: { secretKeyRef: { name: 'Not_A_Name', key: 'bad key!' } } }, B: 42 } });
    expect(r.status).toBe(422);
    expect(r.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['env.A.valueFrom.secretKeyRef.key', 'env.A.valueFrom.secretKeyRef.name', 'env.B']);
    expect(submitted).toEqual([]);
  });

  it('lifecycle verbs are operations; an unknown verb is 404; rollback takes no body', async () => {
    for (const verb of ['pause', 'resume', 'restart']) {
      const r = await m.http.post(`/v1/deployments/team-a/web/${verb}`).set(bearer('operator'));
      expect(r.status).toBe(202);
      expect(submitted.at(-1)).toMatchObject({ kind: `deployment.${verb}`, action: verb, payload: { namespace: 'team-a', name: 'web' } });
    }
    expect((await m.http.post('/v1/deployments/team-a/web/rollback').set(bearer('operator'))).status).toBe(202);
    expect((await m.http.post('/v1/deployments/team-a/web/explode').set(bearer('operator'))).status).toBe(404);
  });

  it('reads map the service\'s typed failures to HTTP; an unmapped code is a 502, logged and counted', async () => {
    m.queries.answer(querySubject('deployer', DEPLOYER_QUERIES.get), { ok: false, error: { code: 'NotFound', message: 'deployment team-a/web does not exist' } });
    const nf = await m.http.get('/v1/deployments/team-a/web').set(bearer('viewer'));
    expect(nf.status).toBe(404);
    expect(nf.body).toEqual({ type: 'https://bosun.dev/problems/NotFound', title: 'Not Found', status: 404, code: 'NotFound', detail: 'deployment team-a/web does not exist' });
    m.queries.answer(querySubject('deployer', DEPLOYER_QUERIES.history), { ok: false, error: { code: 'WeirdNewCode', message: 'something new' } });
    const errors = jest.spyOn(m.logger, 'error');
    const un = await m.http.get('/v1/deployments/team-a/web/history').set(bearer('viewer'));
    expect(un.status).toBe(502);
    expect(un.body).toMatchObject({ title: 'Bad Gateway', code: 'WeirdNewCode' });
    expect(errors).toHaveBeenCalledWith(expect.objectContaining({ code: 'WeirdNewCode' }), expect.stringMatching(/without an HTTP status/));
    expect(await m.metrics.registry.getSingleMetricAsString('bosun_unmapped_failure_codes_total')).toMatch(/bosun_unmapped_failure_codes_total\{code="WeirdNewCode"\} 1/);
    const list = await m.http.get('/v1/deployments?namespace=Bad_').set(bearer('viewer'));
    expect(list.body.errors).toEqual([{ path: 'query.namespace', message: expect.any(String) }]);
  });
});
