import { z } from 'zod';
import { addClusterRequestSchema, deployRequestSchema, imageResolveRequestSchema, operationSchema, rollbackRequestSchema, setImageRequestSchema } from '@bosun/contracts';
import { createTokenSchema } from '../auth/auth.controller';

type Role = 'viewer' | 'operator' | 'approver' | 'admin' | 'public';
interface Route { method: string; path: string; summary: string; role: Role; body?: z.ZodType; operation?: boolean; tag: string }

const ROUTES: Route[] = [
  { method: 'get', path: '/healthz', summary: 'Liveness', role: 'public', tag: 'system' },
  { method: 'get', path: '/readyz', summary: 'Readiness of the gateway itself: NATS and Redis (503 naming the one that is not); ?services=all also waits for every service', role: 'public', tag: 'system' },
  { method: 'get', path: '/v1/status', summary: 'What is up: {nats, redis, services: [{name, ready, replicas?, message?}], clusters: [{name, reachable, version?}]}', role: 'viewer', tag: 'system' },
  { method: 'get', path: '/metrics', summary: 'Prometheus metrics', role: 'public', tag: 'system' },
  { method: 'get', path: '/v1/whoami', summary: 'The caller: subject, groups, roles', role: 'viewer', tag: 'identity' },
  { method: 'post', path: '/v1/tokens', summary: 'Create an API token (shown once)', role: 'admin', body: createTokenSchema, tag: 'identity' },
  { method: 'get', path: '/v1/tokens', summary: 'List tokens (never the secrets)', role: 'admin', tag: 'identity' },
  { method: 'delete', path: '/v1/tokens/{id}', summary: 'Revoke a token', role: 'admin', tag: 'identity' },
  { method: 'put', path: '/v1/chat-identities/{platform}/{userId}', summary: 'Link a chat user to a subject', role: 'admin', tag: 'identity' },
  { method: 'get', path: '/v1/audit', summary: 'Audit trail (subject, since, until, action, limit)', role: 'admin', tag: 'identity' },
  { method: 'put', path: '/v1/policies/approvals', summary: 'Approval rules', role: 'admin', tag: 'operations' },
  { method: 'post', path: '/v1/clusters', summary: 'Register a cluster (kubeconfig with inline credentials only)', role: 'admin', body: addClusterRequestSchema, tag: 'clusters' },
  { method: 'get', path: '/v1/clusters', summary: 'Clusters: server, reachability, version, kubectl skew', role: 'viewer', tag: 'clusters' },
  { method: 'get', path: '/v1/clusters/{name}', summary: 'One cluster', role: 'viewer', tag: 'clusters' },
  { method: 'get', path: '/v1/operations', summary: 'List operations (status, kind, limit)', role: 'viewer', tag: 'operations' },
  { method: 'get', path: '/v1/operations/{id}', summary: 'One operation', role: 'viewer', tag: 'operations' },
  { method: 'get', path: '/v1/operations/{id}/events', summary: 'Server-Sent Events until the terminal state', role: 'viewer', tag: 'operations' },
  { method: 'post', path: '/v1/operations/{id}/approve', summary: 'Approve (not your own)', role: 'approver', tag: 'operations' },
  { method: 'post', path: '/v1/operations/{id}/reject', summary: 'Reject', role: 'approver', tag: 'operations' },
  { method: 'post', path: '/v1/operations/{id}/cancel', summary: 'Cancel ({reason?}); after the service began changing the cluster: cancelled with CancelledAfterChange, the change stays', role: 'operator', tag: 'operations' },
  { method: 'post', path: '/v1/deployments', summary: 'Deploy (server-side apply, tracked to the end of the rollout)', role: 'operator', body: deployRequestSchema, operation: true, tag: 'deployments' },
  { method: 'get', path: '/v1/deployments', summary: 'List deployments', role: 'viewer', tag: 'deployments' },
  { method: 'get', path: '/v1/deployments/{ns}/{name}', summary: 'Deployment status and rollout state', role: 'viewer', tag: 'deployments' },
  { method: 'put', path: '/v1/deployments/{ns}/{name}/image', summary: 'Set the image', role: 'operator', body: setImageRequestSchema, operation: true, tag: 'deployments' },
  { method: 'post', path: '/v1/deployments/{ns}/{name}/rollback', summary: 'Roll back (previous revision by default)', role: 'operator', body: rollbackRequestSchema, operation: true, tag: 'deployments' },
  { method: 'post', path: '/v1/deployments/{ns}/{name}/pause', summary: 'Pause the rollout', role: 'operator', operation: true, tag: 'deployments' },
  { method: 'post', path: '/v1/deployments/{ns}/{name}/resume', summary: 'Resume the rollout', role: 'operator', operation: true, tag: 'deployments' },
  { method: 'post', path: '/v1/deployments/{ns}/{name}/restart', summary: 'Restart (new revision)', role: 'operator', operation: true, tag: 'deployments' },
  { method: 'post', path: '/v1/deployments/{ns}/{name}/scale', summary: 'Scale to N replicas', role: 'operator', operation: true, tag: 'deployments' },
  { method: 'delete', path: '/v1/deployments/{ns}/{name}', summary: 'Delete', role: 'operator', operation: true, tag: 'deployments' },
  { method: 'get', path: '/v1/deployments/{ns}/{name}/history', summary: 'Revision history, oldest first', role: 'viewer', tag: 'deployments' },
  { method: 'get', path: '/v1/deployments/{ns}/{name}/diagnosis', summary: 'Why the deployment is unhealthy', role: 'viewer', tag: 'deployments' },
  { method: 'post', path: '/v1/images/resolve', summary: 'Parse and normalise an image reference', role: 'viewer', body: imageResolveRequestSchema, tag: 'deployments' },
];

const problem = { $ref: '#/components/schemas/Problem' };
const errorResponses = {
  400: { description: 'Malformed request', content: { 'application/problem+json': { schema: problem } } },
  401: { description: 'Missing or unknown token', content: { 'application/problem+json': { schema: problem } } },
  403: { description: 'Role or Kubernetes RBAC refuses', content: { 'application/problem+json': { schema: problem } } },
  422: { description: 'Invalid fields (each named in errors[])', content: { 'application/problem+json': { schema: problem } } },
};

/** OpenAPI 3.1 generated from the same zod schemas the handlers validate with. */
export function buildOpenApi(): unknown {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of ROUTES) {
    const params = [...r.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    if (r.path.startsWith('/v1')) params.push({ name: 'cluster', in: 'query', required: false, schema: { type: 'string' } } as never);
    if (r.operation) params.push({ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string' } } as never);
    paths[r.path] ??= {};
    paths[r.path][r.method] = {
      summary: r.summary, tags: [r.tag], 'x-bosun-role': r.role, parameters: params,
      ...(r.role === 'public' ? { security: [] } : {}),
      ...(r.body ? { requestBody: { required: true, content: { 'application/json': { schema: z.toJSONSchema(r.body, { io: 'input', unrepresentable: 'any' }) } } } } : {}),
      responses: r.operation
        ? { 202: { description: 'Accepted: the operation (Location: /v1/operations/{id})', content: { 'application/json': { schema: { $ref: '#/components/schemas/Operation' } } } }, ...errorResponses }
        : { 200: { description: 'OK' }, ...(r.role === 'public' ? {} : errorResponses) },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Bosun API', version: '1', description: 'Kubernetes day-2 operations. Every change is an operation: 202 + Location, then poll or stream its events.' },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: {
        Operation: z.toJSONSchema(operationSchema, { unrepresentable: 'any' }),
        Problem: { type: 'object', required: ['type', 'title', 'status', 'detail'], properties: { type: { type: 'string' }, title: { type: 'string' }, status: { type: 'integer' }, detail: { type: 'string' }, errors: { type: 'array', items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } } } } },
      },
    },
    security: [{ bearer: [] }],
    paths,
  };
}
