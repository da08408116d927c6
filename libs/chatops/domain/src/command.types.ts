/**
 * The chat grammar's commands: what `/bosun <text>` means once parsed and validated.
 * Multi-word verbs keep the words users type (`dns check`), so a verb doubles as the
 * key of its usage line.
 */
export const VERBS = [
  'help', 'deploy', 'set-image', 'rollback', 'status', 'history', 'pause', 'resume', 'restart',
  'scale', 'diagnose', 'dns check', 'dns lookup', 'pvc why', 'tenant create', 'nodes', 'drain', 'autoscalers', 'why-scale',
  'op', 'approve', 'reject',
] as const;
export type Verb = (typeof VERBS)[number];

/** Verbs that take only `<ns>/<name>` of a Deployment. */
export const DEPLOYMENT_REF_VERBS = ['status', 'history', 'pause', 'resume', 'restart', 'diagnose'] as const;
export type DeploymentRefVerb = (typeof DEPLOYMENT_REF_VERBS)[number];

export const OPERATION_ID_VERBS = ['op', 'approve', 'reject'] as const;
export type OperationIdVerb = (typeof OPERATION_ID_VERBS)[number];

export interface HelpCommand { verb: 'help'; topic?: Verb }
export interface DeployCommand {
  verb: 'deploy'; namespace: string; name: string; image: string; replicas?: number; reason?: string;
}
export interface SetImageCommand { verb: 'set-image'; namespace: string; name: string; image: string }
export interface RollbackCommand { verb: 'rollback'; namespace: string; name: string; toRevision?: number }
export interface DeploymentRefCommand { verb: DeploymentRefVerb; namespace: string; name: string }
export interface ScaleCommand { verb: 'scale'; namespace: string; name: string; replicas: number }
export interface DnsCheckCommand { verb: 'dns check'; namespace?: string; service?: string }
/** `name` as typed: relative (`web`), qualified, or absolute with a trailing dot. */
export interface DnsLookupCommand { verb: 'dns lookup'; namespace: string; name: string; type?: DnsLookupType }
export const DNS_LOOKUP_TYPES = ['A', 'AAAA', 'SRV', 'CNAME', 'PTR'] as const;
export type DnsLookupType = (typeof DNS_LOOKUP_TYPES)[number];
export interface PvcWhyCommand { verb: 'pvc why'; namespace: string; claim: string }
export interface TenantCreateCommand { verb: 'tenant create'; name: string; cpu?: string; memory?: string }
export interface NodesCommand { verb: 'nodes' }
/** `dryRun` only when asked for: the plan, nothing changes. */
export interface DrainCommand { verb: 'drain'; node: string; dryRun?: true }
/** Without a namespace: every autoscaler the API lists. */
export interface AutoscalersCommand { verb: 'autoscalers'; namespace?: string }
/** The workload an autoscaler targets (any kind), not the autoscaler's id. */
export interface WhyScaleCommand { verb: 'why-scale'; namespace: string; name: string }
export interface OperationIdCommand { verb: OperationIdVerb; operationId: string }

export type ChatCommand =
  | HelpCommand | DeployCommand | SetImageCommand | RollbackCommand | DeploymentRefCommand | ScaleCommand
  | DnsCheckCommand | DnsLookupCommand | PvcWhyCommand | TenantCreateCommand | NodesCommand | DrainCommand
  | AutoscalersCommand | WhyScaleCommand | OperationIdCommand;

/**
 * Parsing never throws: a bad command is a value carrying the usage to show
 * (the verb's own line when the verb was recognised, the list of verbs otherwise).
 */
export type ParseResult =
  | { ok: true; command: ChatCommand }
  | { ok: false; usage: string; reason: string; verb?: Verb };
