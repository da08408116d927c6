import { DEPLOYER_QUERIES, type AppName, type DeployRequest } from '@bosun/contracts';
import type { ChatCommand, Verb } from './command.types';

/** Request bodies of the operations chat can start, keyed by operation kind (API.md). */
export interface OperationBodies {
  'deployment.deploy': DeployRequest;
  'deployment.set-image': { image: string };
  'deployment.rollback': { toRevision?: number };
  'deployment.pause': Record<string, never>;
  'deployment.resume': Record<string, never>;
  'deployment.restart': Record<string, never>;
  'deployment.scale': { replicas: number };
  'dns.check': { namespace?: string; service?: string };
  'tenant.create': { name: string; quota?: { cpu?: string; memory?: string } };
  'node.drain': Record<string, never>;
}
export type ChatOperationKind = keyof OperationBodies;

export type ChatQueryCapability =
  | 'deployment.get' | 'deployment.history' | 'deployment.diagnosis'
  | 'operation.get' | 'node.list' | 'storage.claim-diagnosis';

/** What a chat command needs from the platform; the unit in which services come online. */
export type Capability = ChatOperationKind | ChatQueryCapability | 'operation.decide';

/** What a Kubernetes object the request is about (the operation's target, less the cluster). */
export interface RequestTarget { kind: string; namespace?: string; name?: string }

export type OperationRequest = {
  [K in ChatOperationKind]: {
    type: 'operation';
    kind: K;
    owner: AppName;
    method: 'POST' | 'PUT';
    /** The public API call a user would make for the same thing. */
    path: string;
    body: OperationBodies[K];
    /** The command payload the gateway sends the owning service: path parameters plus body. */
    payload: Record<string, unknown>;
    target: RequestTarget;
  };
}[ChatOperationKind];

export interface QueryRequest {
  type: 'query';
  capability: ChatQueryCapability;
  owner: AppName;
  /** The owner's query name (`bosun.qry.<owner>.<query>.v1`); the gateway answers `operation.get` itself. */
  query: string;
  method: 'GET';
  path: string;
  params: Record<string, string>;
}

export interface DecisionRequest {
  type: 'decision';
  decision: 'approve' | 'reject';
  operationId: string;
  method: 'POST';
  path: string;
}

export interface HelpRequest { type: 'help'; topic?: Verb }

/** A verb whose service is not built yet: answered as "coming", never as an error. */
export interface ComingSoonRequest { type: 'coming-soon'; capability: Capability; verb: Verb; owner: AppName }

export type ChatRequest = OperationRequest | QueryRequest | DecisionRequest | HelpRequest | ComingSoonRequest;

/** Capabilities whose services exist today: the deployer and the gateway's own operations. */
export const DEFAULT_AVAILABLE_CAPABILITIES: ReadonlySet<Capability> = new Set<Capability>([
  'deployment.deploy', 'deployment.set-image', 'deployment.rollback', 'deployment.pause', 'deployment.resume',
  'deployment.restart', 'deployment.scale', 'deployment.get', 'deployment.history', 'deployment.diagnosis',
  'operation.get', 'operation.decide',
]);

const seg = encodeURIComponent;
const deploymentPath = (ns: string, name: string, tail = ''): string => `/v1/deployments/${seg(ns)}/${seg(name)}${tail}`;
const deploymentTarget = (namespace: string, name: string): RequestTarget => ({ kind: 'Deployment', namespace, name });

const deployerOp = <K extends ChatOperationKind>(
  kind: K, ns: string, name: string, tail: string, body: OperationBodies[K], method: 'POST' | 'PUT' = 'POST',
): OperationRequest => ({
  type: 'operation', kind, owner: 'deployer', method, path: deploymentPath(ns, name, tail), body,
  payload: { namespace: ns, name, ...body }, target: deploymentTarget(ns, name),
} as OperationRequest);

const deployerQuery = (capability: ChatQueryCapability, query: string, ns: string, name: string, tail: string): QueryRequest => ({
  type: 'query', capability, owner: 'deployer', query, method: 'GET', path: deploymentPath(ns, name, tail),
  params: { namespace: ns, name },
});

const deploy = (cmd: Extract<ChatCommand, { verb: 'deploy' }>): OperationRequest => {
  const body: DeployRequest = { namespace: cmd.namespace, name: cmd.name, image: cmd.image };
  if (cmd.replicas !== undefined) body.replicas = cmd.replicas;
  if (cmd.reason !== undefined) body.changeCause = cmd.reason;
  return {
    type: 'operation', kind: 'deployment.deploy', owner: 'deployer', method: 'POST', path: '/v1/deployments',
    body, payload: { ...body }, target: deploymentTarget(cmd.namespace, cmd.name),
  };
};

const dnsCheck = (cmd: Extract<ChatCommand, { verb: 'dns check' }>): OperationRequest => {
  const body: OperationBodies['dns.check'] = {};
  if (cmd.namespace !== undefined) body.namespace = cmd.namespace;
  if (cmd.service !== undefined) body.service = cmd.service;
  return {
    type: 'operation', kind: 'dns.check', owner: 'dns-inspector', method: 'POST', path: '/v1/dns/checks', body,
    payload: { ...body }, target: { kind: cmd.service ? 'Service' : 'Namespace', namespace: cmd.namespace, name: cmd.service },
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

const otherRequest = (cmd: ChatCommand): ChatRequest => {
  switch (cmd.verb) {
    case 'pvc why':
      return {
        type: 'query', capability: 'storage.claim-diagnosis', owner: 'storage', query: 'claim-diagnosis', method: 'GET',
        path: `/v1/storage/claims/${seg(cmd.namespace)}/${seg(cmd.claim)}/diagnosis`, params: { namespace: cmd.namespace, name: cmd.claim },
      };
    case 'nodes':
      return { type: 'query', capability: 'node.list', owner: 'provisioner', query: 'nodes', method: 'GET', path: '/v1/nodes', params: {} };
    case 'drain':
      return {
        type: 'operation', kind: 'node.drain', owner: 'provisioner', method: 'POST', path: `/v1/nodes/${seg(cmd.node)}/drain`,
        body: {}, payload: { name: cmd.node }, target: { kind: 'Node', name: cmd.node },
      };
    case 'op':
      return {
        type: 'query', capability: 'operation.get', owner: 'gateway', query: 'operation.get', method: 'GET',
        path: `/v1/operations/${seg(cmd.operationId)}`, params: { id: cmd.operationId },
      };
    case 'approve':
    case 'reject':
      return { type: 'decision', decision: cmd.verb, operationId: cmd.operationId, method: 'POST', path: `/v1/operations/${seg(cmd.operationId)}/${cmd.verb}` };
    case 'dns check':
      return dnsCheck(cmd);
    case 'tenant create':
      return tenantCreate(cmd);
    default:
      return { type: 'help', ...('topic' in cmd && cmd.topic ? { topic: cmd.topic } : {}) };
  }
};

const deploymentRequest = (cmd: ChatCommand): ChatRequest | undefined => {
  switch (cmd.verb) {
    case 'deploy': return deploy(cmd);
    case 'set-image': return deployerOp('deployment.set-image', cmd.namespace, cmd.name, '/image', { image: cmd.image }, 'PUT');
    case 'rollback':
      return deployerOp('deployment.rollback', cmd.namespace, cmd.name, '/rollback', cmd.toRevision === undefined ? {} : { toRevision: cmd.toRevision });
    case 'pause':
    case 'resume':
    case 'restart':
      return deployerOp(`deployment.${cmd.verb}`, cmd.namespace, cmd.name, `/${cmd.verb}`, {});
    case 'scale': return deployerOp('deployment.scale', cmd.namespace, cmd.name, '/scale', { replicas: cmd.replicas });
    case 'status': return deployerQuery('deployment.get', DEPLOYER_QUERIES.get, cmd.namespace, cmd.name, '');
    case 'history': return deployerQuery('deployment.history', DEPLOYER_QUERIES.history, cmd.namespace, cmd.name, '/history');
    case 'diagnose': return deployerQuery('deployment.diagnosis', DEPLOYER_QUERIES.diagnosis, cmd.namespace, cmd.name, '/diagnosis');
    default: return undefined;
  }
};

const capabilityOf = (req: ChatRequest): Capability | undefined => {
  if (req.type === 'operation') return req.kind;
  if (req.type === 'query') return req.capability;
  return req.type === 'decision' ? 'operation.decide' : undefined;
};

/**
 * What the gateway would do for a chat command. Requests for capabilities not in
 * `available` become `coming-soon`, so a new service only has to be added to the set.
 */
export const commandToRequest = (
  cmd: ChatCommand,
  available: ReadonlySet<Capability> = DEFAULT_AVAILABLE_CAPABILITIES,
): ChatRequest => {
  const req = deploymentRequest(cmd) ?? otherRequest(cmd);
  const capability = capabilityOf(req);
  if (capability === undefined || available.has(capability)) return req;
  const owner = req.type === 'operation' || req.type === 'query' ? req.owner : 'gateway';
  return { type: 'coming-soon', capability, verb: cmd.verb, owner };
};
