import { Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { FAILURE_HTTP_STATUS, querySubject } from '@bosun/contracts';
import type { Actor, Operation, QueryReply, ServiceName, Target } from '@bosun/contracts';
import { BOSUN_CONFIG } from '@bosun/config';
import type { BosunConfig } from '@bosun/config';
import { requestFingerprint } from '@bosun/gateway-domain';
import { BosunClientProxy } from '@bosun/service-kit';
import { Problem, TITLES } from '../http/problem';
import type { Answers } from '../http/problem';
import { AUDITED_WITH_STATUS } from '../audit/audit.middleware';
import { OperationsService } from './operations.service';

/** Validation answers that refuse a request before any operation exists. */
const REFUSE_UP_FRONT = ['Invalid', 'Forbidden', 'NotFound', 'Conflict', 'AlreadyExists'] as const;
const clusterSchema = z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'cluster must be a DNS-1123 label').max(63);
/** `?cluster=` of every route that relays to a service (read by `cluster()`, documented from here). */
export const clusterQuerySchema = z.object({ cluster: clusterSchema.optional().describe('the cluster to act on (default: the default cluster)') });
/** The `Idempotency-Key` header of an operation (checked by `submit()`, documented from here). */
export const idempotencyKeySchema = z.string().min(1).max(255).regex(/^[\x21-\x7e]+$/, 'Idempotency-Key must be printable ASCII');

const byStatus = (codes: readonly (keyof typeof FAILURE_HTTP_STATUS)[], why: (status: number) => string): Answers =>
  Object.fromEntries(codes.map((c) => FAILURE_HTTP_STATUS[c]).sort().map((status) => [status, why(status)]));
const CLUSTER_ANSWERS: Answers = { 422: 'Invalid fields, each named in errors[] (query.cluster: a DNS-1123 label)' };
/**
 * `ask()`: the service's typed failure, mapped by `FAILURE_HTTP_STATUS` (an unmapped code is a
 * 502); no service answering is 503 (Unreachable), none in time 504 (Timeout).
 */
export const ASK_ANSWERS: Answers = {
  ...byStatus(Object.keys(FAILURE_HTTP_STATUS) as (keyof typeof FAILURE_HTTP_STATUS)[], (s) => `From the service: ${TITLES[s] ?? 'its typed failure'} (error code in code)`),
  502: 'The service behind failed (its code is kept), or answered a code without an HTTP status',
  503: 'No service answers (Unreachable), or NATS/Redis is unavailable',
  504: 'The service did not answer in time',
  ...CLUSTER_ANSWERS,
};
/** `submit()`: the service's up-front refusals, the cluster and key checks, a reused key. */
export const SUBMIT_ANSWERS: Answers = {
  ...byStatus(REFUSE_UP_FRONT, (s) => `Refused by the service before anything is queued: ${TITLES[s]}`),
  409: 'Conflict: refused by the service, or an Idempotency-Key reused with another request',
  422: 'Invalid fields, each named in errors[] (query.cluster, header.Idempotency-Key, or the service\'s validation)',
  503: 'The message bus (NATS) or the state store (Redis) is unavailable; nothing was queued',
};

export interface OperationIntent {
  kind: string;
  service: ServiceName;
  action: string;
  target: Omit<Target, 'cluster'>;
  payload: unknown;
  /** Ask the owning service to validate semantics first (→ 422 before anything is queued). */
  validate?: boolean;
}

/** The shared path of every mutating route: actor, cluster, idempotency, 202 + Location. */
@Injectable()
export class OperationIntake {
  constructor(
    private readonly operations: OperationsService,
    private readonly client: BosunClientProxy,
    @Inject(BOSUN_CONFIG) private readonly config: BosunConfig,
  ) {}

  cluster(req: Request): string {
    const r = clusterSchema.safeParse(req.query.cluster ?? 'default');
    if (!r.success) throw Problem.invalid([{ path: 'query.cluster', message: r.error.issues[0].message }]);
    return r.data;
  }

  actor(req: Request): Actor {
    return { subject: req.principal!.subject, groups: req.principal!.groups, via: (req.res?.locals.via as 'api' | 'chat') ?? 'api' };
  }

  async submit(req: Request, res: Response, intent: OperationIntent): Promise<Operation> {
    const cluster = this.cluster(req);
    const target = { cluster, ...intent.target };
    req.auditAction = intent.kind;
    req.auditTarget = { cluster, namespace: target.namespace, kind: target.kind, name: target.name };
    if (intent.validate) await this.validate(intent, req, cluster);
    const keyHeader = req.headers['idempotency-key'];
    let idempotency: { key: string; fingerprint: string } | undefined;
    if (keyHeader !== undefined) {
      const k = idempotencyKeySchema.safeParse(keyHeader);
      if (!k.success) throw Problem.invalid([{ path: 'header.Idempotency-Key', message: k.error.issues[0].message }]);
      // Over the plaintext body (sealing is randomised); keyed, since it is kept in Redis.
      idempotency = { key: k.data, fingerprint: requestFingerprint(req.method, req.path, cluster, req.body, this.config.encryptionKey) };
    }
    const actor = this.actor(req);
    const audit = { subject: actor.subject, via: actor.via, action: intent.kind, target: req.auditTarget };
    const { operation, created } = await this.operations.submit({ ...intent, target, actor, idempotency, audit });
    res.locals.operationId = operation.id;
    // Written with the operation itself; the audit middleware leaves a 202 alone (a repeat is audited there).
    if (created) res.locals[AUDITED_WITH_STATUS] = 202;
    res.status(202).location(`/v1/operations/${operation.id}`);
    return operation;
  }

  /** Read-only question to a service; its typed failure becomes the HTTP problem. */
  async ask<T>(req: Request, service: ServiceName, name: string, params: unknown, timeoutMs = 10_000): Promise<T> {
    const reply = await this.client.ask<T>(querySubject(service, name), { actor: this.actor(req), cluster: this.cluster(req), params }, timeoutMs);
    if (!reply.ok) throw Problem.fromFailure(reply.error);
    return reply.value;
  }

  private async validate(intent: OperationIntent, req: Request, cluster: string): Promise<void> {
    const reply: QueryReply<unknown> = await this.client.ask(querySubject(intent.service, 'validate'), { actor: this.actor(req), cluster, params: { kind: intent.kind, action: intent.action, payload: intent.payload } }, 3000);
    // An unreachable service does not block intake: the command is durable and the service validates again on receipt.
    if (!reply.ok && (REFUSE_UP_FRONT as readonly string[]).includes(reply.error.code)) throw Problem.fromFailure(reply.error);
  }
}
