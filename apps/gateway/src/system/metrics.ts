import { Injectable } from '@nestjs/common';
import type { NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import type { Operation } from '@bosun/contracts';

/** Prometheus metrics of the gateway: request latency and operations by kind and status. */
@Injectable()
export class OperationMetrics {
  readonly registry = new Registry();
  readonly requests = new Histogram({
    name: 'bosun_http_request_duration_seconds', help: 'HTTP request latency', labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5], registers: [this.registry],
  });
  readonly operations = new Counter({ name: 'bosun_operations_total', help: 'Operation state changes observed by this gateway, by kind and status', labelNames: ['kind', 'status'], registers: [this.registry] });

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
