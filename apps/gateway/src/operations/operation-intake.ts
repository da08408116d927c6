import { Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { querySubject } from '@bosun/contracts';
import type { Actor, Operation, QueryReply, ServiceName, Target } from '@bosun/contracts';
import { BOSUN_CONFIG } from '@bosun/config';
import type { BosunConfig } from '@bosun/config';
import { requestFingerprint } from '@bosun/gateway-domain';
import { BosunClientProxy } from '@bosun/service-kit';
import { Problem } from '../http/problem';
import { OperationsService } from './operations.service';

/** Validation answers that refuse a request before any operation exists. */
const REFUSE_UP_FRONT = new Set(['Invalid', 'Forbidden', 'NotFound', 'Conflict', 'AlreadyExists']);
const clusterSchema = z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'cluster must be a DNS-1123 label').max(63);
const idempotencyKeySchema = z.string().min(1).max(255).regex(/^[\x21-\x7e]+$/, 'Idempotency-Key must be printable ASCII');

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
    const { operation } = await this.operations.submit({ ...intent, target, actor: this.actor(req), idempotency });
    res.locals.operationId = operation.id;
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
    if (!reply.ok && REFUSE_UP_FRONT.has(reply.error.code)) throw Problem.fromFailure(reply.error);
  }
}
