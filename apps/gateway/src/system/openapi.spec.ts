import { Module } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import type { Application } from 'express';
import { createClaimRequestSchema, deployRequestSchema, dnsLookupRequestSchema, drainRequestSchema, tenantCreateRequestSchema } from '@bosun/contracts';
import type { Principal } from '../auth/principal';
import { TokenStore } from '../auth/token.store';
import { GATEWAY_FEATURES } from '../gateway.module';
import { ZodBody } from '../http/zod-body.pipe';
import { FakeTokenStore, moduleUnderTest } from '../testing/module.testing';
import type { ModuleUnderTest } from '../testing/module.testing';
import { FAILURE_HTTP_STATUS } from '@bosun/contracts';
import { clusterQuerySchema, idempotencyKeySchema } from '../operations/operation-intake';
import { jsonSchema } from './openapi';
import { hasRulesBeyondJsonSchema } from './openapi.responses';
import { discoverRoutes } from './openapi.routes';
import { ReadinessCheck } from './readiness';
import { ServiceStatusProbe } from './service-status';

// The document against the application Nest actually serves: every route Express has is in
// it with its role and body schema, and it names no route that does not exist.

/** A known token with no role at all: the guard's 403 then names the role each route needs. */
class RolelessTokens extends FakeTokenStore {
  override async authenticate(token: string): Promise<Principal | undefined> {
    return token === 'tok-none' ? { subject: 'user:nobody', groups: [], roles: [], tokenId: 'tok_none' } : super.authenticate(token);
  }
}

@Module({ imports: GATEWAY_FEATURES })
class AllFeatures {}

type Param = { name: string; in: string; required: boolean; schema: Record<string, unknown> };
type Op = { 'x-bosun-role': string; 'x-bosun-service'?: string; 'x-bosun-rules-beyond-schema'?: boolean; 'x-bosun-undocumented'?: boolean; requestBody?: { content: Record<string, { schema: unknown }> }; parameters: Param[]; responses: Record<string, { headers?: Record<string, unknown>; content?: Record<string, unknown> }>; summary: string; tags: string[] };
type Doc = { paths: Record<string, Record<string, Op>>; components: { schemas: Record<string, unknown> } };

let m: ModuleUnderTest;
let doc: Doc;
const operations: { method: string; path: string; op: Op }[] = [];
beforeAll(async () => {
  m = await moduleUnderTest(AllFeatures, (b) => b
    .overrideProvider(TokenStore).useValue(new RolelessTokens())
    .overrideProvider(ReadinessCheck).useValue({ check: async () => ({ ready: true, components: {} }) })
    .overrideProvider(ServiceStatusProbe).useValue({ services: async () => ({ services: [], pings: new Map() }), clusters: async () => [] }));
  const r = await m.http.get('/openapi.json');
  expect(r.status).toBe(200);
  doc = r.body as Doc;
  for (const [path, methods] of Object.entries(doc.paths)) for (const [method, op] of Object.entries(methods)) operations.push({ method, path, op });
});
afterAll(async () => { await m?.app.close(); });

/** What Express routes, independently of the document builder. */
function expressRoutes(): string[] {
  const app = m.app.getHttpAdapter().getInstance() as Application as unknown as { router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] } };
  return app.router.stack.flatMap((l) => (l.route ? Object.keys(l.route.methods).filter((k) => l.route!.methods[k]).map((method) => `${method} ${l.route!.path}`) : []));
}
const concrete = (path: string): string => path.replace(/\{(\w+)\}/g, (_m, name: string) => (name === 'id' ? 'as-0123456789' : 'x1'));

describe('the OpenAPI document is generated from the routes', () => {
  it('names exactly the routes Express serves, each documented with a summary and a tag', () => {
    const documented = operations.map(({ method, path }) => `${method} ${path.replace(/\{(\w+)\}/g, ':$1')}`).sort();
    expect(documented).toEqual([...new Set(expressRoutes())].sort());
    expect(operations.length).toBeGreaterThanOrEqual(70);
    expect(operations.filter(({ op }) => op['x-bosun-undocumented'] || !op.summary || !op.tags[0]).map(({ method, path }) => `${method} ${path}`)).toEqual([]);
  });

  it('each route\'s role is the one the guard enforces (401 anonymous, 403 naming the role for a token without roles)', async () => {
    const wrong: string[] = [];
    for (const { method, path, op } of operations) {
      const role = op['x-bosun-role'];
      const call = (): ReturnType<ModuleUnderTest['http']['get']> => (m.http as unknown as Record<string, (p: string) => ReturnType<ModuleUnderTest['http']['get']>>)[method](concrete(path));
      if (role === 'public') {
        if (method === 'get' && (await call()).status === 401) wrong.push(`${method} ${path}: public but 401`);
        continue;
      }
      const anon = await call();
      const none = await call().set('authorization', 'Bearer tok-none');
      if (anon.status !== 401) wrong.push(`${method} ${path}: anonymous got ${anon.status}`);
      if (none.status !== 403 || !String(none.body.detail).includes(`needs the ${role} role`)) wrong.push(`${method} ${path}: documented ${role}, guard said ${none.status} ${none.body.detail}`);
    }
    expect(wrong).toEqual([]);
  });

  it('each request body is the schema its ZodBody pipe validates with; routes without one document none', () => {
    const modules = m.app.get(ModulesContainer);
    for (const r of discoverRoutes(modules)) {
      const op = doc.paths[r.path][r.method];
      const args = Object.values((Reflect.getMetadata(ROUTE_ARGS_METADATA, r.controller, r.handlerName) ?? {}) as Record<string, { pipes?: unknown[] }>);
      const pipe = args.flatMap((a) => a.pipes ?? []).find((p): p is ZodBody<unknown> => p instanceof ZodBody);
      expect([r.path, op.requestBody?.content['application/json'].schema]).toEqual([r.path, pipe ? jsonSchema(pipe['schema']) : undefined]);
    }
    expect(doc.paths['/v1/deployments'].post.requestBody?.content['application/json'].schema).toEqual(jsonSchema(deployRequestSchema));
    expect(doc.paths['/v1/tenants'].post.requestBody?.content['application/json'].schema).toEqual(jsonSchema(tenantCreateRequestSchema));
    expect(doc.paths['/v1/storage/claims'].post.requestBody?.content['application/json'].schema).toEqual(jsonSchema(createClaimRequestSchema));
    expect(doc.paths['/v1/dns/lookups'].post.requestBody?.content['application/json'].schema).toEqual(jsonSchema(dnsLookupRequestSchema));
    expect(doc.paths['/v1/nodes/{name}/drain'].post.requestBody).toEqual({ required: false, content: { 'application/json': { schema: jsonSchema(drainRequestSchema) } } });
  });

  it('every path parameter is declared; operations answer 202 + Location with an Idempotency-Key; errors are problem+json', () => {
    for (const { path, op } of operations) {
      const names = [...path.matchAll(/\{(\w+)\}/g)].map(([, n]) => n);
      expect([path, op.parameters.filter((p) => p.in === 'path' && p.required).map((p) => p.name)]).toEqual([path, names]);
      for (const [status, res] of Object.entries(op.responses)) {
        if (Number(status) >= 400) expect([path, status, Object.keys(res.content ?? {})]).toEqual([path, status, ['application/problem+json']]);
      }
    }
    const drain = doc.paths['/v1/nodes/{name}/drain'].post;
    expect(Object.keys(drain.responses)).toEqual(expect.arrayContaining(['200', '202', '401', '403', '404', '409', '422', '503']));
    expect(drain.responses['202'].headers).toHaveProperty('Location');
    expect(drain.parameters.map((p) => `${p.in}:${p.name}`)).toEqual(['path:name', 'query:dryRun', 'query:cluster', 'header:Idempotency-Key']);
    expect(doc.paths['/v1/tenants/{name}/credentials'].post.responses).toHaveProperty('201');
    expect(doc.paths['/v1/dns/lookups'].post.responses).toHaveProperty('200');
    expect(doc.paths['/v1/images/resolve'].post.responses).toHaveProperty('200');
    expect(doc.paths['/v1/tokens/{id}'].delete.responses).toHaveProperty('204');
    expect(doc.paths['/healthz'].get).toMatchObject({ 'x-bosun-role': 'public', security: [] });
    expect(doc.paths['/v1/autoscalers/{id}/decisions'].get.parameters.map((p) => p.name)).toEqual(['id', 'limit', 'cluster']);
    expect(Object.keys(doc.components.schemas).sort()).toEqual(['Operation', 'Problem']);
  });
});

describe('every answer a route can give is documented, from the piece of the pipeline that gives it', () => {
  const statuses = (op: Op): number[] => Object.keys(op.responses).map(Number);
  const relayed = (): typeof operations => operations.filter(({ op }) => op['x-bosun-service']);

  it('every route documents 400, 413 and 415 (express.json runs before every route); none documents a 500 (always a bug)', () => {
    for (const { method, path, op } of operations) {
      expect([method, path, statuses(op).filter((s) => [400, 413, 415, 500].includes(s))]).toEqual([method, path, [400, 413, 415]]);
    }
  });

  it('every authenticated route documents 401, 403, 429 (the guard and the rate limit) and 503 (the state store); public routes none of them', () => {
    for (const { method, path, op } of operations) {
      const auth = statuses(op).filter((s) => [401, 403, 429, 503].includes(s));
      if (op['x-bosun-role'] === 'public') expect([method, path, auth.filter((s) => s !== 503 || path !== '/readyz')]).toEqual([method, path, []]);
      else expect([method, path, auth]).toEqual([method, path, [401, 403, 429, 503]]);
    }
  });

  it('a route that asks a service documents every status of FAILURE_HTTP_STATUS, 503 and 504; an operation 202, 409 and 422', () => {
    const mapped = [...new Set(Object.values(FAILURE_HTTP_STATUS))];
    for (const { method, path, op } of relayed()) {
      const submits = Boolean(op.responses['202']);
      const asks = !submits || path === '/v1/nodes/{name}/drain';
      if (asks) expect([method, path, mapped.filter((s) => !op.responses[s])]).toEqual([method, path, []]);
      if (submits) expect([method, path, [409, 422, 503].filter((s) => !op.responses[s])]).toEqual([method, path, []]);
    }
    // Route metadata adds the rest: 404 for an unknown id, 409 for a decision in the wrong state.
    expect(statuses(doc.paths['/v1/operations/{id}'].get)).toContain(404);
    expect(statuses(doc.paths['/v1/operations/{id}/approve'].post)).toEqual(expect.arrayContaining([403, 404, 409]));
    expect(statuses(doc.paths['/v1/tokens/{id}'].delete)).toContain(404);
    // An operation that only submits does not answer a service's 502.
    expect(statuses(doc.paths['/v1/deployments'].post)).not.toContain(502);
  });

  it('query parameters carry their zod rules: the regex as pattern, min/max, enums, defaults', () => {
    const cluster = jsonSchema(clusterQuerySchema) as { properties: { cluster: Record<string, unknown> } };
    expect(cluster.properties.cluster).toMatchObject({ type: 'string', pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', maxLength: 63 });
    for (const { method, path, op } of relayed()) {
      const p = op.parameters.filter((x) => x.name === 'cluster');
      expect([method, path, p.length, p[0]?.schema]).toEqual([method, path, 1, { type: 'string', pattern: cluster.properties.cluster.pattern, maxLength: 63 }]);
    }
    const query = (path: string, name: string, method = 'get'): Param | undefined => doc.paths[path][method].parameters.find((x) => x.in === 'query' && x.name === name);
    expect(query('/v1/operations', 'limit')?.schema).toEqual({ type: 'integer', minimum: 1, maximum: 500, default: 50 });
    expect(query('/v1/operations', 'status')?.schema).toMatchObject({ enum: expect.arrayContaining(['queued', 'succeeded']) });
    expect(query('/v1/deployments', 'namespace')?.schema).toMatchObject({ maxLength: 63, pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$' });
    expect(query('/v1/nodes/{name}/drain', 'dryRun', 'post')?.schema).toEqual({ type: 'string', enum: ['true', 'false'] });
    expect(query('/v1/audit', 'since')?.schema.anyOf).toEqual([expect.objectContaining({ format: 'date-time' }), expect.objectContaining({ format: 'date' })]);
    expect(doc.paths['/v1/deployments'].post.parameters.find((x) => x.name === 'Idempotency-Key')?.schema).toEqual(jsonSchema(idempotencyKeySchema));
  });

  it('the server rejects exactly the clusters the document\'s pattern rejects, on every route that reads one', async () => {
    const wrong: string[] = [];
    for (const { method, path, op } of relayed().filter(({ method: x }) => x === 'get')) {
      // What the document says a cluster is, read from the document itself.
      const schema = op.parameters.find((x) => x.name === 'cluster')?.schema ?? {};
      const documented = (v: string): boolean => new RegExp(String(schema.pattern ?? '^$')).test(v) && v.length <= Number(schema.maxLength ?? 0);
      for (const value of ['', 'a-b', 'A', '-a', 'x'.repeat(64), 'prod-1']) {
        const r = await m.http.get(`${concrete(path)}?cluster=${value}`).set('authorization', 'Bearer tok-admin');
        const refused = r.status === 422 && JSON.stringify(r.body.errors).includes('query.cluster');
        if (refused === documented(value)) wrong.push(`${method} ${path}?cluster=${value}: ${r.status}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('x-bosun-rules-beyond-schema marks exactly the routes whose zod inputs have refinements JSON Schema cannot carry', () => {
    const modules = m.app.get(ModulesContainer);
    for (const r of discoverRoutes(modules)) {
      const beyond = [r.body?.schema, ...r.query, ...Object.values(r.params)].some((x) => x && hasRulesBeyondJsonSchema(x));
      expect([r.method, r.path, doc.paths[r.path][r.method]['x-bosun-rules-beyond-schema'] ?? false]).toEqual([r.method, r.path, beyond]);
    }
    expect(doc.paths['/v1/autoscalers'].post['x-bosun-rules-beyond-schema']).toBe(true);
    expect(doc.paths['/v1/deployments'].post['x-bosun-rules-beyond-schema']).toBe(true);
    expect(doc.paths['/v1/tokens'].post['x-bosun-rules-beyond-schema']).toBeUndefined();
    expect(doc.paths['/v1/audit'].get['x-bosun-rules-beyond-schema']).toBeUndefined();
  });
});
