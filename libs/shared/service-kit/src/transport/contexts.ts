import { BaseRpcContext } from '@nestjs/microservices';
import type { Actor, CommandEnvelope, Progress, Target } from '@bosun/contracts';
import type { Identity } from '@bosun/kube';
import { Cancelled, Interrupted } from '../operations/operation.failure';

/** What an operation handler knows about the operation it works on. */
export interface OperationInfo {
  operationId: string;
  kind: string;
  /** the command subject, e.g. `bosun.cmd.deployer.deploy.v1` */
  subject: string;
  actor: Actor;
  /** the Kubernetes identity every call for this operation impersonates */
  identity: Identity;
  cluster: string;
  target: Target;
  issuedAt: string;
  /** when the service accepted the command (ms since epoch): deadlines count from here */
  acceptedAt: number;
  /** 1 for the first attempt */
  attempt: number;
  /**
   * No earlier run of this operation claimed it (the claim was this run's first): nothing of
   * it can be in the cluster yet, so a handler may skip reading back an earlier attempt's work.
   * False after a retry, a crash or a hand-over — `attempt` alone cannot say so (a stalled job
   * comes back without spending an attempt).
   */
  firstRun: boolean;
  correlationId?: string;
}

/**
 * The `@Ctx()` of an operation handler: who, where, the stop signal (shutdown or cancel) and
 * progress reporting. Progress events are chained, so they keep their order and all reach
 * the bus before the terminal event the kit publishes after the handler returns.
 */
export class OperationContext extends BaseRpcContext<[]> {
  private progressed: Promise<void> = Promise.resolve();

  constructor(
    readonly operation: OperationInfo,
    /** aborted when the operation is cancelled or the service is stopping */
    readonly signal: AbortSignal,
    private readonly publishProgress: (progress: Progress) => Promise<void>,
    private readonly isCancelled: () => boolean,
    readonly envelope: CommandEnvelope,
  ) {
    super([]);
  }

  progress(progress: Progress): void {
    this.progressed = this.progressed.then(() => this.publishProgress(progress)).catch(() => undefined);
  }

  /** Resolves once every progress event so far is published. */
  flush(): Promise<void> {
    return this.progressed;
  }

  /** Throws when the operation must stop here: `Cancelled`, or `Interrupted` on shutdown. */
  throwIfStopped(): void {
    if (!this.signal.aborted) return;
    throw this.isCancelled() ? new Cancelled() : new Interrupted();
  }

  /** The error a handler throws when its signal fired (a tracker returned "aborted"). */
  stopped(): Error {
    return this.isCancelled() ? new Cancelled() : new Interrupted();
  }
}

/** The `@Ctx()` of a query handler: who asks (reads impersonate too) and which cluster. */
export class QueryContext extends BaseRpcContext<[]> {
  constructor(
    readonly subject: string,
    readonly cluster: string,
    readonly actor: Actor | undefined,
    readonly identity: Identity | undefined,
  ) {
    super([]);
  }
}
