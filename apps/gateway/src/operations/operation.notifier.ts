import { Inject, Injectable } from '@nestjs/common';
import { operationChangedSubject } from '@bosun/contracts';
import type { Operation } from '@bosun/contracts';
import { encodeJson } from '@bosun/messaging';
import type { NatsConnection } from '@bosun/messaging';
import { NATS } from '@bosun/service-kit';
import { OperationMetrics } from '../system/metrics';

/** Fans an operation's new state out on core NATS, so every gateway replica's SSE streams see it. */
@Injectable()
export class OperationNotifier {
  constructor(@Inject(NATS) private readonly nc: NatsConnection, private readonly metrics: OperationMetrics) {}
  changed(op: Operation): void {
    this.metrics.observe(op);
    this.nc.publish(operationChangedSubject(op.id), encodeJson(op));
  }
}
