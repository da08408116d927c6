import { Module } from '@nestjs/common';
import { GATEWAY_FEATURES } from '../gateway.module';
import { ReadinessCheck } from '../system/readiness';
import { ServiceStatusProbe } from '../system/service-status';
import { moduleUnderTest } from '../testing/module.testing';
import type { ModuleUnderTest } from '../testing/module.testing';
import { MethodTable } from './method-not-allowed';

describe('MethodTable: the methods of a URL, matched as OpenAPI matches paths', () => {
  const table = MethodTable.from([
    { method: 'get', path: '/v1/deployments/{ns}/{name}/history' },
    { method: 'post', path: '/v1/deployments/{ns}/{name}/{verb}' },
    { method: 'put', path: '/v1/deployments/{ns}/{name}/image' },
    { method: 'get', path: '/v1/tokens' }, { method: 'post', path: '/v1/tokens' },
    { method: 'get', path: '/openapi.json' },
  ]);

  it('a concrete segment wins over a templated one; GET brings HEAD', () => {
    expect(table.allowed('/v1/deployments/a/b/history')).toEqual(['GET', 'HEAD']);
    expect(table.allowed('/v1/deployments/a/b/image')).toEqual(['PUT']);
    expect(table.allowed('/v1/deployments/a/b/pause')).toEqual(['POST']);
    expect(table.allowed('/v1/tokens')).toEqual(['GET', 'HEAD', 'POST']);
  });

  it('routes as Express does: any case, an optional trailing slash, dots literal; unknown paths have none', () => {
    expect(table.allowed('/V1/Tokens/')).toEqual(['GET', 'HEAD', 'POST']);
    expect(table.allowed('/openapi.json')).toEqual(['GET', 'HEAD']);
    expect(table.allowed('/openapiXjson')).toBeUndefined();
    expect(table.allowed('/v1/tokens/x/y')).toBeUndefined();
    expect(table.allowed('/v1/deployments/a/b')).toBeUndefined();
  });
});

@Module({ imports: GATEWAY_FEATURES })
class AllFeatures {}

type Doc = { paths: Record<string, Record<string, unknown>> };
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'trace'];
const concrete = (path: string): string => path.replace(/\{(\w+)\}/g, 'x1');

let m: ModuleUnderTest;
let doc: Doc;
beforeAll(async () => {
  m = await moduleUnderTest(AllFeatures, (b) => b
    .overrideProvider(ReadinessCheck).useValue({ check: async () => ({ ready: true, components: {} }) })
    .overrideProvider(ServiceStatusProbe).useValue({ services: async () => ({ services: [], pings: new Map() }), clusters: async () => [] }));
  doc = (await m.http.get('/openapi.json')).body as Doc;
});
afterAll(async () => { await m?.app.close(); });

describe('a method a path does not have (every path of the document)', () => {
  it('answers 405 problem+json with Allow naming exactly the documented methods, before authentication', async () => {
    const wrong: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths)) {
      const documented = Object.keys(ops).map((x) => x.toUpperCase());
      const allow = [...documented, ...(documented.includes('GET') ? ['HEAD'] : [])].sort().concat('OPTIONS').join(', ');
      for (const method of METHODS.filter((x) => !ops[x])) {
        const r = await (m.http as unknown as Record<string, (p: string) => Promise<{ status: number; headers: Record<string, string> }>>)[method](concrete(path));
        if (r.status !== 405 || r.headers.allow !== allow || !String(r.headers['content-type']).startsWith('application/problem+json')) {
          wrong.push(`${method} ${path}: ${r.status} Allow=${r.headers.allow} (want ${allow})`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('OPTIONS answers 204 with the same Allow; a documented method is never a 405; an unknown path stays a 404', async () => {
    const wrong: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths)) {
      const options = await m.http.options(concrete(path));
      if (options.status !== 204 || !Object.keys(ops).every((x) => options.headers.allow.split(', ').includes(x.toUpperCase()))) wrong.push(`OPTIONS ${path}: ${options.status} ${options.headers.allow}`);
      for (const method of Object.keys(ops)) {
        const r = await (m.http as unknown as Record<string, (p: string) => Promise<{ status: number }>>)[method](concrete(path));
        if (r.status === 405) wrong.push(`${method} ${path}: 405`);
      }
    }
    expect(wrong).toEqual([]);
    const unknown = await m.http.delete('/v1/nowhere');
    expect([unknown.status, unknown.headers.allow]).toEqual([404, undefined]);
  });
});
