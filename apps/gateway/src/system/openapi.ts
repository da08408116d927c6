import type { ModulesContainer } from '@nestjs/core';
import { z } from 'zod';
import { operationSchema } from '@bosun/contracts';
import { TITLES } from '../http/problem';
import { clusterQuerySchema, idempotencyKeySchema } from '../operations/operation-intake';
import { failureAnswers, relays, rulesBeyondSchema } from './openapi.responses';
import { discoverRoutes } from './openapi.routes';
import type { DiscoveredRoute } from './openapi.routes';

type Json = Record<string, unknown>;

const PROBLEM = { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } };

/** A zod schema as JSON Schema 2020-12 (what OpenAPI 3.1 uses), as the client sends it. */
export function jsonSchema(schema: z.ZodType, io: 'input' | 'output' = 'input'): Json {
  const js = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Json;
  delete js.$schema;
  return js;
}

function successStatus(r: DiscoveredRoute): number {
  if (r.api?.status) return r.api.status;
  if (r.api?.operation) return 202;
  return r.httpCode ?? (r.method === 'post' ? 201 : 200);
}

function responses(r: DiscoveredRoute): Json {
  const out: Json = {};
  const ok = successStatus(r);
  if (r.api?.operation && ok === 202) {
    out[202] = {
      description: 'Accepted: the operation; poll or stream it at Location',
      headers: { Location: { description: '/v1/operations/{id}', required: true, schema: { type: 'string', pattern: '^/v1/operations/[^/]+$' } } },
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Operation' } } },
    };
  } else {
    out[ok] = ok === 204 ? { description: 'No Content' } : { description: TITLES[ok] ?? 'OK', content: { [r.api?.produces ?? 'application/json']: { schema: {} } } };
  }
  for (const [status, description] of Object.entries(r.api?.responses ?? {})) {
    if (Number(status) < 400) out[status] = { description, content: { 'application/json': { schema: {} } } };
  }
  for (const [status, description] of Object.entries(failureAnswers(r))) out[status] = { description, content: PROBLEM };
  return out;
}

function queryParameters(schema: z.ZodObject): Json[] {
  const js = jsonSchema(schema) as { properties?: Record<string, Json>; required?: string[] };
  return Object.entries(js.properties ?? {}).map(([name, s]) => {
    const { description, ...rest } = s;
    return { name, in: 'query', required: js.required?.includes(name) ?? false, ...(description ? { description } : {}), schema: rest };
  });
}

/**
 * Path, query and header parameters with the schemas that check them: the route's pipes, and
 * for a route that relays, the intake's `?cluster=` (it checks that one itself, whatever the
 * route's own query schema says) and an operation's `Idempotency-Key`.
 */
function parameters(r: DiscoveredRoute): Json[] {
  const path = [...r.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({ name, in: 'path', required: true, schema: r.params[name] ? jsonSchema(r.params[name]) : { type: 'string' } }));
  const intake = relays(r) ? queryParameters(clusterQuerySchema) : [];
  const own = [...r.query.flatMap(queryParameters), ...r.queryNames.map((name) => ({ name, in: 'query', required: false, schema: { type: 'string' } }))];
  const query = [...own.filter((q) => !intake.some((i) => i.name === q.name)), ...intake];
  const key = r.api?.operation ? [{ name: 'Idempotency-Key', in: 'header', required: false, description: 'the same key and body return the same operation; another body is a 409', schema: jsonSchema(idempotencyKeySchema) }] : [];
  return [...path, ...query, ...key];
}

const operationId = (r: DiscoveredRoute): string => `${r.controller.name.replace(/Controller$/, '').replace(/^./, (c) => c.toLowerCase())}.${r.handlerName}`;

function operation(r: DiscoveredRoute): Json {
  return {
    operationId: operationId(r),
    summary: r.api?.summary ?? `${r.method.toUpperCase()} ${r.path}`,
    tags: [r.api?.tag ?? 'undocumented'],
    'x-bosun-role': r.role,
    ...(r.api ? {} : { 'x-bosun-undocumented': true }),
    ...(r.action ? { 'x-bosun-action': r.action } : {}),
    ...(r.api?.service ? { 'x-bosun-service': r.api.service } : {}),
    ...(r.api?.kinds ? { 'x-bosun-operation-kinds': r.api.kinds } : {}),
    ...(rulesBeyondSchema(r) ? { 'x-bosun-rules-beyond-schema': true } : {}),
    ...(r.role === 'public' ? { security: [] } : {}),
    parameters: parameters(r),
    ...(r.body ? { requestBody: { required: r.body.required, content: { 'application/json': { schema: jsonSchema(r.body.schema) } } } } : {}),
    responses: responses(r),
  };
}

const PROBLEM_SCHEMA = {
  type: 'object', required: ['type', 'title', 'status', 'detail'],
  properties: {
    type: { type: 'string' }, title: { type: 'string' }, status: { type: 'integer' }, detail: { type: 'string' }, code: { type: 'string' },
    errors: { type: 'array', items: { type: 'object', required: ['path', 'message'], properties: { path: { type: 'string' }, message: { type: 'string' } } } },
  },
};

const documents = new WeakMap<ModulesContainer, Json>();

/**
 * OpenAPI 3.1 of the routes Nest registered: paths, methods, roles, success statuses and
 * schemas from the routes' own metadata and pipes, so the document cannot drift from the
 * code. Built once per application (routes do not change after boot).
 */
export function buildOpenApi(modules: ModulesContainer): Json {
  const cached = documents.get(modules);
  if (cached) return cached;
  const routes = discoverRoutes(modules).sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
  const paths: Record<string, Json> = {};
  for (const r of routes) {
    paths[r.path] ??= {};
    paths[r.path][r.method] = operation(r);
  }
  const doc = {
    openapi: '3.1.0',
    info: { title: 'Bosun API', version: '1', description: 'Kubernetes day-2 operations. Every change is an operation: 202 + Location, then poll or stream its events.' },
    tags: [...new Set(routes.map((r) => r.api?.tag ?? 'undocumented'))].sort().map((name) => ({ name })),
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: { Operation: jsonSchema(operationSchema, 'output'), Problem: PROBLEM_SCHEMA },
    },
    security: [{ bearer: [] }],
    paths,
  };
  documents.set(modules, doc);
  return doc;
}
