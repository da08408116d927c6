import { DEPLOYER_QUERIES, type DeployRequest } from '@bosun/contracts';
import {
  DEFAULT_AVAILABLE_CAPABILITIES,
  type Capability, type ChatOperationKind, type ChatQueryCapability, type ChatRequest, type OperationBodies, type OperationRequest,
  type QueryRequest, type RequestTarget,
} from './chat-request.types';
import type { ChatCommand } from './command.types';
import { serviceRequest } from './service-request.mapper';

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

const gatewayRequest = (cmd: ChatCommand): ChatRequest => {
  switch (cmd.verb) {
    case 'op':
      return {
        type: 'query', capability: 'operation.get', owner: 'gateway', query: 'operation.get', method: 'GET',
        path: `/v1/operations/${seg(cmd.operationId)}`, params: { id: cmd.operationId },
      };
    case 'approve':
    case 'reject':
      return { type: 'decision', decision: cmd.verb, operationId: cmd.operationId, method: 'POST', path: `/v1/operations/${seg(cmd.operationId)}/${cmd.verb}` };
    default:
      return { type: 'help', ...('topic' in cmd && cmd.topic ? { topic: cmd.topic } : {}) };
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
  const req = deploymentRequest(cmd) ?? serviceRequest(cmd) ?? gatewayRequest(cmd);
  const capability = capabilityOf(req);
  if (capability === undefined || available.has(capability)) return req;
  const owner = req.type === 'operation' || req.type === 'query' ? req.owner : 'gateway';
  return { type: 'coming-soon', capability, verb: cmd.verb, owner };
};
