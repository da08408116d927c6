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
import { jsonSchema } from './openapi';
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

type Op = { 'x-bosun-role': string; 'x-bosun-undocumented'?: boolean; requestBody?: { content: Record<string, { schema: unknown }> }; parameters: { name: string; in: string; required: boolean }[]; responses: Record<string, { headers?: Record<string, unknown>; content?: Record<string, unknown> }>; summary: string; tags: string[] };
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
