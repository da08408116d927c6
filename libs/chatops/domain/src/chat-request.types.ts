import type { AppName, DeployRequest } from '@bosun/contracts';
import type { Verb } from './command.types';

/** Request bodies of the operations chat can start, keyed by operation kind (API.md). */
export interface OperationBodies {
  'deployment.deploy': DeployRequest;
  'deployment.set-image': { image: string };
  'deployment.rollback': { toRevision?: number };
  'deployment.pause': Record<string, never>;
  'deployment.resume': Record<string, never>;
  'deployment.restart': Record<string, never>;
  'deployment.scale': { replicas: number };
  'dns.checks': { namespace?: string; service?: string };
  'tenant.create': { name: string; quota?: { cpu?: string; memory?: string } };
  'node.drain': Record<string, never>;
}
export type ChatOperationKind = keyof OperationBodies;

export type ChatQueryCapability =
  | 'deployment.get' | 'deployment.history' | 'deployment.diagnosis'
  | 'operation.get' | 'node.list' | 'node.drain-plan' | 'storage.claim-diagnosis' | 'dns.lookup'
  | 'autoscaler.list' | 'autoscaler.decisions';

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

/**
 * A read, answered at once. Some reads are POSTs (a DNS lookup, a drain's dry run): they
 * change nothing but take a body. `why-scale` is two reads: the list at `path`, then the
 * decisions of the autoscaler found in it (`decisionsPath`).
 */
export interface QueryRequest {
  type: 'query';
  capability: ChatQueryCapability;
  owner: AppName;
  /** The owner's query name (`bosun.qry.<owner>.<query>.v1`); the gateway answers `operation.get` itself. */
  query: string;
  method: 'GET' | 'POST';
  path: string;
  body?: Record<string, unknown>;
  /** What the answer is about (namespace, name, …), for rendering it. */
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

/** A verb whose capability is switched off in this Bosun (chatops options): answered as "coming", never as an error. */
export interface ComingSoonRequest { type: 'coming-soon'; capability: Capability; verb: Verb; owner: AppName }

export type ChatRequest = OperationRequest | QueryRequest | DecisionRequest | HelpRequest | ComingSoonRequest;

/** What the deployer and the gateway itself serve. */
export const DEPLOYER_CAPABILITIES: ReadonlySet<Capability> = new Set<Capability>([
  'deployment.deploy', 'deployment.set-image', 'deployment.rollback', 'deployment.pause', 'deployment.resume',
  'deployment.restart', 'deployment.scale', 'deployment.get', 'deployment.history', 'deployment.diagnosis',
  'operation.get', 'operation.decide',
]);

/** What the dns-inspector, storage, provisioner and autoscaler serve. */
export const SERVICE_CAPABILITIES: ReadonlySet<Capability> = new Set<Capability>([
  'dns.checks', 'dns.lookup', 'storage.claim-diagnosis', 'tenant.create', 'node.list', 'node.drain', 'node.drain-plan',
  'autoscaler.list', 'autoscaler.decisions',
]);

/**
 * Every verb is on by default: all seven services exist. A service that is not deployed
 * is told apart at call time (404 without a code, 501, 503 → "not answering"); switching
 * a capability off answers "coming soon" without calling anything.
 */
export const DEFAULT_AVAILABLE_CAPABILITIES: ReadonlySet<Capability> = new Set<Capability>([...DEPLOYER_CAPABILITIES, ...SERVICE_CAPABILITIES]);

