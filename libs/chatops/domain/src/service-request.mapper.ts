import type { ChatRequest, OperationBodies, OperationRequest, QueryRequest } from './chat-request.types';
import type { ChatCommand } from './command.types';

// The verbs of the dns-inspector, storage, provisioner and autoscaler as the public API
// calls API.md defines for them; chat makes exactly the call a user would.

const seg = encodeURIComponent;

/** How many decisions `why-scale` explains (the newest first). */
export const WHY_SCALE_DECISIONS = 5;

/** `GET /v1/autoscalers/{id}/decisions?limit=N`, the second read of `why-scale`. */
export const decisionsPath = (autoscalerId: string, limit = WHY_SCALE_DECISIONS): string =>
  `/v1/autoscalers/${seg(autoscalerId)}/decisions?limit=${limit}`;

const dnsCheck = (cmd: Extract<ChatCommand, { verb: 'dns check' }>): OperationRequest => {
  const body: OperationBodies['dns.checks'] = {};
  if (cmd.namespace !== undefined) body.namespace = cmd.namespace;
  if (cmd.service !== undefined) body.service = cmd.service;
  return {
    type: 'operation', kind: 'dns.checks', owner: 'dns-inspector', method: 'POST', path: '/v1/dns/checks', body,
    payload: { ...body }, target: { kind: cmd.service ? 'Service' : 'Namespace', namespace: cmd.namespace, name: cmd.service },
  };
};

const dnsLookup = (cmd: Extract<ChatCommand, { verb: 'dns lookup' }>): QueryRequest => {
  const body: Record<string, unknown> = { namespace: cmd.namespace, name: cmd.name };
  if (cmd.type !== undefined) body.type = cmd.type;
  return {
    type: 'query', capability: 'dns.lookup', owner: 'dns-inspector', query: 'lookup', method: 'POST', path: '/v1/dns/lookups',
    body, params: { namespace: cmd.namespace, name: cmd.name },
  };
};

const tenantCreate = (cmd: Extract<ChatCommand, { verb: 'tenant create' }>): OperationRequest => {
  const body: OperationBodies['tenant.create'] = { name: cmd.name };
  if (cmd.cpu !== undefined || cmd.memory !== undefined) {
    body.quota = {};
    if (cmd.cpu !== undefined) body.quota.cpu = cmd.cpu;
    if (cmd.memory !== undefined) body.quota.memory = cmd.memory;
  }
  return {
    type: 'operation', kind: 'tenant.create', owner: 'provisioner', method: 'POST', path: '/v1/tenants', body,
    payload: { ...body }, target: { kind: 'Namespace', name: cmd.name },
  };
};

const drain = (cmd: Extract<ChatCommand, { verb: 'drain' }>): ChatRequest => {
  const path = `/v1/nodes/${seg(cmd.node)}/drain`;
  if (cmd.dryRun) {
    return {
      type: 'query', capability: 'node.drain-plan', owner: 'provisioner', query: 'drain-plan', method: 'POST',
      path: `${path}?dryRun=true`, body: {}, params: { node: cmd.node },
    };
  }
  return {
    type: 'operation', kind: 'node.drain', owner: 'provisioner', method: 'POST', path,
    body: {}, payload: { name: cmd.node }, target: { kind: 'Node', name: cmd.node },
  };
};

const autoscalerQuery = (capability: 'autoscaler.list' | 'autoscaler.decisions', params: Record<string, string>): QueryRequest => ({
  // API.md's list takes no filter: the namespace is applied to the targets here.
  type: 'query', capability, owner: 'autoscaler', query: 'autoscalers-list', method: 'GET', path: '/v1/autoscalers', params,
});

/** The request of a service-backed verb, or undefined for the deployer's and the gateway's own. */
export const serviceRequest = (cmd: ChatCommand): ChatRequest | undefined => {
  switch (cmd.verb) {
    case 'dns check': return dnsCheck(cmd);
    case 'dns lookup': return dnsLookup(cmd);
    case 'pvc why':
      return {
        type: 'query', capability: 'storage.claim-diagnosis', owner: 'storage', query: 'diagnosis', method: 'GET',
        path: `/v1/storage/claims/${seg(cmd.namespace)}/${seg(cmd.claim)}/diagnosis`, params: { namespace: cmd.namespace, name: cmd.claim },
      };
    case 'tenant create': return tenantCreate(cmd);
    case 'nodes':
      return { type: 'query', capability: 'node.list', owner: 'provisioner', query: 'nodes-list', method: 'GET', path: '/v1/nodes', params: {} };
    case 'drain': return drain(cmd);
    case 'autoscalers': return autoscalerQuery('autoscaler.list', cmd.namespace ? { namespace: cmd.namespace } : {});
    case 'why-scale': return autoscalerQuery('autoscaler.decisions', { namespace: cmd.namespace, name: cmd.name });
    default: return undefined;
  }
};
