import type { BosunLogger } from '@bosun/logging';
import type { OperationControl } from '@bosun/messaging';

/**
 * The cancellation signals of the operations this replica is working on, fed by the
 * operation-control bucket's watch: a cancel recorded by the gateway reaches whichever
 * replica runs the job, and is not lost if none does yet (the claim sees it later).
 */
export class Cancellations {
  private readonly running = new Map<string, AbortController>();
  private watch?: { stop(): void };

  constructor(private readonly control: OperationControl, private readonly logger: BosunLogger) {}

  start(): void {
    this.watch = this.control.watchCancellations((operationId) => this.abort(operationId), this.logger);
  }

  stop(): void {
    this.watch?.stop();
  }

  /** The signal that tells a running operation it was cancelled; `release` it when done. */
  register(operationId: string): AbortController {
    const controller = this.running.get(operationId) ?? new AbortController();
    this.running.set(operationId, controller);
    return controller;
  }

  release(operationId: string): void {
    this.running.delete(operationId);
  }

  private abort(operationId: string): void {
    const controller = this.running.get(operationId);
    if (!controller || controller.signal.aborted) return;
    this.logger.info({ operationId }, 'operation cancelled; it stops here');
    controller.abort();
  }
}
