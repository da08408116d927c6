import type { ModulesContainer } from '@nestjs/core';
import { z } from 'zod';
import { operationSchema } from '@bosun/contracts';
import { TITLES } from '../http/problem';
import { discoverRoutes } from './openapi.routes';
import type { DiscoveredRoute } from './openapi.routes';

type Json = Record<string, unknown>;

const PROBLEM = { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } };
const WHY: Record<number, string> = {
  400: 'Malformed request: not JSON, or not a JSON object',
  401: 'Missing, unknown or expired bearer token',
  403: 'The role, Kubernetes RBAC (impersonation) or the service refuses',
  404: 'No such object',
  409: 'Conflict with the current state (or an Idempotency-Key reused with another body)',
  413: 'Body over the size limit',
  415: 'Unsupported body encoding',
  422: 'Invalid fields, each named in errors[]',
  429: 'Rate limit of the subject reached',
  502: 'The service behind failed (its code is kept)',
  503: 'A service, NATS or Redis is unavailable',
  504: 'The service did not answer in time',
};

/** A zod schema as JSON Schema 2020-12 (what OpenAPI 3.1 uses), as the client sends it. */
export function jsonSchema(schema: z.ZodType, io: 'input' | 'output' = 'input'): Json {
  const js = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Json;
  delete js.$schema;
  return js;
}

/** Every status a route can answer besides its success, from what it validates and whom it asks. */
function failureStatuses(r: DiscoveredRoute): number[] {
  const s = new Set<number>();
  if (r.role !== 'public') [401, 403, 429, 503].forEach((c) => s.add(c));
  if (r.body) [400, 413, 415, 422].forEach((c) => s.add(c));
  if (r.query.length || Object.keys(r.params).length) s.add(422);
  if (r.api?.service) [404, 409, 422, 502, 503, 504].forEach((c) => s.add(c));
  if (r.api?.operation) [409, 422, 503].forEach((c) => s.add(c));
  return [...s];
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
      headers: { Location: { description: '/v1/operations/{id}', schema: { type: 'string' } } },
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Operation' } } },
    };
  } else {
    out[ok] = ok === 204 ? { description: 'No Content' } : { description: TITLES[ok] ?? 'OK', content: { [r.api?.produces ?? 'application/json']: { schema: {} } } };
  }
  for (const status of failureStatuses(r).sort()) out[status] = { description: WHY[status] ?? TITLES[status], content: PROBLEM };
  for (const [status, description] of Object.entries(r.api?.responses ?? {})) {
    out[status] = Number(status) < 400 ? { description, content: { 'application/json': { schema: {} } } } : { description, content: PROBLEM };
  }
  return out;
}

function queryParameters(schema: z.ZodObject): Json[] {
  const js = jsonSchema(schema) as { properties?: Record<string, Json>; required?: string[] };
  return Object.entries(js.properties ?? {}).map(([name, s]) => ({ name, in: 'query', required: js.required?.includes(name) ?? false, schema: s }));
}

function parameters(r: DiscoveredRoute): Json[] {
  const path = [...r.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({ name, in: 'path', required: true, schema: r.params[name] ? jsonSchema(r.params[name]) : { type: 'string' } }));
  const query = [...r.query.flatMap(queryParameters), ...r.queryNames.map((name) => ({ name, in: 'query', required: false, schema: { type: 'string' } }))];
  const relayed = r.api?.service || r.api?.operation;
  const cluster = relayed && !query.some((q) => q.name === 'cluster') ? [{ name: 'cluster', in: 'query', required: false, description: 'the cluster to act on (default: the default cluster)', schema: { type: 'string' } }] : [];
  const key = r.api?.operation ? [{ name: 'Idempotency-Key', in: 'header', required: false, description: 'the same key and body return the same operation; another body is a 409', schema: { type: 'string' } }] : [];
  return [...path, ...query, ...cluster, ...key];
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
