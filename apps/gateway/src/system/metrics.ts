import { Injectable } from '@nestjs/common';
import type { NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Operation } from '@bosun/contracts';

/** Prometheus metrics of the gateway: request latency, operations by kind and status, services up. */
@Injectable()
export class OperationMetrics {
  readonly registry = new Registry();
  readonly requests = new Histogram({
    name: 'bosun_http_request_duration_seconds', help: 'HTTP request latency', labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5], registers: [this.registry],
  });
  readonly operations = new Counter({ name: 'bosun_operations_total', help: 'Operation state changes observed by this gateway, by kind and status', labelNames: ['kind', 'status'], registers: [this.registry] });
  readonly serviceUp = new Gauge({ name: 'bosun_service_up', help: '1 when a replica of the service answers its ping with every component healthy, else 0', labelNames: ['service'], registers: [this.registry] });
  readonly serviceReplicas = new Gauge({ name: 'bosun_service_replicas', help: 'Distinct replicas of the service that answered the last ping', labelNames: ['service'], registers: [this.registry] });
  readonly reconciled = new Counter({ name: 'bosun_operations_reconciled_total', help: 'Open operations the reconciler asked their service about, by outcome', labelNames: ['outcome'], registers: [this.registry] });
  readonly deadLetteredEvents = new Counter({ name: 'bosun_operation_events_dead_lettered_total', help: 'Operation lifecycle events given up on after their redelivery budget (kept in BOSUN_DLQ; the reconciler repairs the operation)', labelNames: ['subject'], registers: [this.registry] });
  readonly unsentCommands = new Gauge({ name: 'bosun_commands_unsent', help: 'Accepted operations whose command the stream has not acknowledged yet (the outbox, as of the dispatcher\'s last round)', registers: [this.registry] });
  readonly foreignEvents = new Counter({ name: 'bosun_operation_events_foreign_total', help: 'Operation events ignored because they came from a service the operation was not sent to', labelNames: ['service'], registers: [this.registry] });
  readonly unmappedFailureCodes = new Counter({ name: 'bosun_unmapped_failure_codes_total', help: 'Failure codes that reached the HTTP edge without an HTTP status (a bug: add them to FAILURE_CODES)', labelNames: ['code'], registers: [this.registry] });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  observe(op: Operation): void {
    this.operations.inc({ kind: op.kind, status: op.status });
  }
}

@Injectable()
export class MetricsMiddleware implements NestMiddleware {
  constructor(private readonly metrics: OperationMetrics) {}
  use(req: Request, res: Response, next: NextFunction): void {
    const end = this.metrics.requests.startTimer();
    // The route pattern, not the URL: ids in paths would explode label cardinality.
    res.on('finish', () => end({ method: req.method, route: (req.route?.path as string | undefined) ?? 'unmatched', status: String(res.statusCode) }));
    next();
  }
}
