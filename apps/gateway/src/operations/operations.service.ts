import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { commandSubject, isTerminal } from '@bosun/contracts';
import type { Actor, CancelOutcome, CommandEnvelope, Operation, OperationError, ServiceName, Target } from '@bosun/contracts';
import type { BosunLogger } from '@bosun/logging';
import { OperationControl } from '@bosun/messaging';
import { requiredApprovals } from '@bosun/gateway-domain';
import type { OperationChange } from '@bosun/gateway-domain';
import { BosunClientProxy, LOGGER } from '@bosun/service-kit';
import { Problem } from '../http/problem';
import { ApprovalPolicyStore } from './approval-policy.store';
import { OperationNotifier } from './operation.notifier';
import { OperationStore } from './operation.store';
import type { PendingCommand } from './operation.store';

export type { PendingCommand } from './operation.store';

export interface SubmitRequest {
  kind: string;
  service: ServiceName;
  action: string;
  target: Target;
  payload: unknown;
  actor: Actor;
  idempotency?: { key: string; fingerprint: string };
  /** Who asked, for the audit entry written with the operation (its id, `accepted` and 202 are added here). */
  audit?: { subject: string; via: 'api' | 'chat'; action: string; target?: Record<string, string | undefined> };
}

const IDEMPOTENCY_TTL_SECONDS = 24 * 3600;

/** Creates operations, sends their commands, and applies approvals and cancellations. */
@Injectable()
export class OperationsService {
  constructor(
    private readonly store: OperationStore,
    private readonly policies: ApprovalPolicyStore,
    private readonly client: BosunClientProxy,
    private readonly notifier: OperationNotifier,
    @Inject(LOGGER) private readonly logger: BosunLogger,
    private readonly control: OperationControl,
  ) {}

  /** Returns the operation and whether this call created it (false for an idempotent repeat). */
  async submit(req: SubmitRequest): Promise<{ operation: Operation; created: boolean }> {
    const id = `op_${randomBytes(10).toString('hex')}`;
    const now = new Date().toISOString();
    const approvals = requiredApprovals(await this.policies.get(), req.kind, req.target.namespace);
    const op: Operation = { id, kind: req.kind, status: approvals > 0 ? 'awaiting_approval' : 'queued', actor: req.actor, target: req.target, createdAt: now, updatedAt: now };
    const envelope: CommandEnvelope = { operationId: id, kind: req.kind, actor: req.actor, target: req.target, payload: req.payload, issuedAt: now };
    const pending = { service: req.service, action: req.action, envelope };
    const audit = req.audit && { ...req.audit, operationId: id, outcome: 'accepted', status: 202 };
    // One round trip: the operation, its index entries, the command to send (kept for approval),
    // its audit entry — and, with an Idempotency-Key, the key's claim in the same step.
    if (req.idempotency) {
      const prior = await this.store.insertOnce(op, pending, audit, idempotencyClaim(req.actor.subject, req.idempotency, id));
      if (prior) return { operation: await this.repeated(req.idempotency, prior), created: false };
    } else {
      await this.store.insert(op, pending, audit);
    }
    this.notifier.changed(op);
    this.logger.info({ operationId: id, kind: req.kind, subject: req.actor.subject, status: op.status }, 'operation accepted');
    if (op.status === 'queued') await this.dispatch(id, pending);
    return { operation: op, created: true };
  }

  async get(id: string): Promise<Operation> {
    const op = await this.store.get(id);
    if (!op) throw new Problem(404, 'Not Found', `operation ${id} does not exist`);
    return op;
  }

  async decide(id: string, decider: { subject: string }, decision: 'approve' | 'reject', reason?: string): Promise<Operation> {
    const op = await this.get(id);
    if (op.status !== 'awaiting_approval') throw new Problem(409, 'Conflict', `operation ${id} is ${op.status}, not awaiting_approval`);
    if (op.actor.subject === decider.subject) throw new Problem(403, 'Forbidden', `${decider.subject} requested ${id} and may not ${decision} it: a second person must decide`);
    const at = new Date().toISOString();
    const change: OperationChange = decision === 'approve'
      ? { type: 'approved', at, by: decider.subject }
      : { type: 'rejected', at, by: decider.subject, error: { code: 'Rejected', message: `rejected by ${decider.subject}${reason ? `: ${reason}` : ''}` } };
    const next = await this.change(id, change);
    if (!next) throw new Problem(409, 'Conflict', `operation ${id} changed meanwhile; read it again`);
    if (decision === 'approve') {
      await this.store.due(id);
      await this.dispatch(id);
    }
    return (await this.store.get(id)) ?? next;
  }

  /**
   * Cancels through OperationControl, where a service claims an operation right before its
   * first change: whoever comes first wins. Won → nothing was or will be changed. Too late →
   * the change was made and stays; the operation still ends `cancelled` (Bosun stops following
   * it) with an error that says so. Waiting for approval → no command was ever sent, but the
   * cancel is recorded too, so nothing can dispatch it later.
   */
  async cancel(id: string, by: { subject: string }, reason?: string): Promise<Operation> {
    const op = await this.get(id);
    if (isTerminal(op.status)) throw new Problem(409, 'Conflict', `operation ${id} already ${op.status}`);
    const outcome = await this.control.cancel(id, by.subject, reason).catch((e: unknown) => {
      this.logger.error({ err: e, operationId: id }, 'cancel could not be recorded');
      throw new Problem(503, 'Service Unavailable', 'the message bus is unavailable; the operation was not cancelled, retry later', undefined, 'Unavailable');
    });
    const error = outcome.outcome === 'too-late' ? await this.tooLate(id, outcome) : undefined;
    const next = await this.change(id, { type: 'cancelled', at: new Date().toISOString(), by: by.subject, ...(error ? { error } : {}) });
    if (!next) throw new Problem(409, 'Conflict', `operation ${id} ended meanwhile (${(await this.store.get(id))?.status ?? 'gone'})`);
    this.logger.info({ operationId: id, subject: by.subject, outcome: outcome.outcome }, 'operation cancelled');
    return next;
  }

  private async tooLate(id: string, outcome: Extract<CancelOutcome, { outcome: 'too-late' }>): Promise<OperationError> {
    const service = (await this.pending(id))?.service ?? outcome.claimedBy;
    return { code: 'CancelledAfterChange', message: `cancelled after ${service} had started changing the cluster (${outcome.claimedAt}): the change stays; Bosun stopped following it` };
  }

  /** Applies a change and notifies watchers. */
  async change(id: string, change: OperationChange, known?: string): Promise<Operation | undefined> {
    const next = await this.store.apply(id, change, known);
    if (next) this.notifier.changed(next);
    return next;
  }

  /**
   * Sends a due command. The operation is accepted either way: a command the stream did not
   * acknowledge (NATS away, a timeout) stays in the outbox and OperationDispatcher sends it
   * when the bus is back — the stream's deduplication by operation id makes a second send
   * harmless. Returns whether it is on the stream now.
   */
  async dispatch(id: string, known?: PendingCommand): Promise<boolean> {
    const pending = known ?? (await this.pending(id));
    if (!pending) throw new Error(`operation ${id} has no pending command`);
    let seq: number;
    try {
      ({ seq } = await this.client.command(commandSubject(pending.service, pending.action), pending.envelope));
    } catch (e) {
      this.logger.warn({ err: e, operationId: id }, 'command not on the stream yet; the dispatcher sends it when the bus is back');
      return false;
    }
    // Out of the outbox in the background, after the answer has left (setImmediate runs once
    // the response's writes are queued): if this write is lost, the dispatcher sends the
    // command again (deduplicated) and writes it then.
    setImmediate(() => void this.store.sent(id, pending, seq).catch((e: unknown) => this.logger.warn({ err: e, operationId: id }, 'sent command not marked; the dispatcher will')));
    return true;
  }

  /** The stored document (raw) and command of an operation, in one read: what folding an event starts from. */
  snapshot(id: string): Promise<{ raw?: string; pending?: PendingCommand }> {
    return this.store.snapshot(id);
  }

  /** The command of an operation as the gateway sent it (or will, after approval): its service, action and envelope. */
  async pending(id: string): Promise<PendingCommand | undefined> {
    return this.store.pending(id);
  }

  /** The same key again: the first request's operation, or a conflict when the key came with another request. */
  private async repeated(idempotency: { key: string; fingerprint: string }, claim: string): Promise<Operation> {
    const prior = JSON.parse(claim) as { fingerprint?: string; operationId?: string };
    if (prior.fingerprint !== idempotency.fingerprint) {
      throw new Problem(409, 'Conflict', `Idempotency-Key ${idempotency.key} was already used with a different request`, undefined, 'IdempotencyKeyReused');
    }
    // Stored in the same step as the claim, so it exists — unless retention trimmed it since.
    const op = await this.store.get(prior.operationId!);
    if (!op) throw new Problem(409, 'Conflict', `Idempotency-Key ${idempotency.key} belonged to operation ${prior.operationId}, which is no longer kept`, undefined, 'IdempotencyKeyReused');
    return op;
  }
}

/** Binds (subject, key) to the request's fingerprint and the operation it makes, for a day. */
const idempotencyClaim = (subject: string, idempotency: { key: string; fingerprint: string }, operationId: string): { key: string; claim: string; ttlSeconds: number } => ({
  key: `bosun:idem:${subject}:${idempotency.key}`,
  claim: JSON.stringify({ fingerprint: idempotency.fingerprint, operationId }),
  ttlSeconds: IDEMPOTENCY_TTL_SECONDS,
});

