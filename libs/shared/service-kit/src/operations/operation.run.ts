import { DelayedError } from '@bosun/messaging';
import type { BosunLogger } from '@bosun/logging';
import type { OperationControl, OperationReporter } from '@bosun/messaging';
import { kubernetesIdentity } from '../identity/kubernetes.identity';
import type { ServiceMetrics } from '../metrics/service.metrics';
import { OperationContext } from '../transport/contexts';
import type { Cancellations } from './cancellations';
import type { CommandRoute } from './command.routes';
import { Cancelled, classifyFailure } from './operation.failure';
import { ReportedFailure } from './operation.job';
import type { OperationJob, OperationJobResult } from './operation.job';
import type { TargetFifo } from './target.fifo';
import { targetKey } from './target.fifo';

const HAND_OVER_TIMEOUT_MS = 2000;

export interface RunDeps {
  instance: string;
  control: Pick<OperationControl, 'claim'>;
  cancellations: Pick<Cancellations, 'register' | 'release'>;
  fifo: Pick<TargetFifo, 'waitTurn' | 'leave'>;
  reporter: Pick<OperationReporter, 'started' | 'progressed' | 'succeeded' | 'failed'>;
  logger: BosunLogger;
  metrics: Pick<ServiceMetrics, 'operationEnded'>;
  /** aborted when the service is stopping */
  stopping: AbortSignal;
}

/**
 * One attempt of one operation job: wait for its turn on its object, claim it against
 * cancellation (a cancel that came first wins: nothing is changed, nothing reported), report
 * started, run the handler, report the terminal state. Retryable failures throw back to
 * BullMQ (back-off, next attempt resumes by re-reading the cluster); a shutdown hands the
 * job back without spending an attempt.
 */
export class OperationRun {
  private readonly key: string | undefined;
  private readonly operationId: string;

  constructor(private readonly job: OperationJob, private readonly route: CommandRoute, private readonly deps: RunDeps) {
    this.operationId = job.data.operationId;
    this.key = targetKey(job.data.envelope.target);
  }

  async run(): Promise<OperationJobResult> {
    const cancel = this.deps.cancellations.register(this.operationId);
    const signal = AbortSignal.any([this.deps.stopping, cancel.signal]);
    const started = Date.now();
    try {
      if (this.key) await this.deps.fifo.waitTurn(this.key, this.operationId, signal);
      const claim = await this.deps.control.claim(this.operationId, this.deps.instance);
      if (claim.outcome === 'cancelled') throw new Cancelled(claim.cancelledBy);
      const ctx = this.context(signal, () => cancel.signal.aborted, claim.outcome === 'claimed');
      const { target } = this.job.data.envelope;
      // The handler does not wait for the stream's ack of `started` (a round trip on every
      // operation's path): the events leave in order on one connection, so `started` is on the
      // stream before anything the handler reports, and it is acknowledged before the terminal one.
      const startedSent = this.deps.reporter.started(this.operationId, `${this.job.data.envelope.kind} ${[target.namespace, target.name].filter(Boolean).join('/')}`);
      startedSent.catch(() => undefined); // awaited below; a handler that throws first must not leave it unhandled
      const result = await this.route.invoke(this.job.data.envelope.payload, ctx);
      await startedSent;
      await ctx.flush();
      await this.deps.reporter.succeeded(this.operationId, result);
      await this.finish('succeeded', started);
      return { outcome: 'succeeded', result };
    } catch (err) {
      return this.failed(err, cancel.signal.aborted, started);
    } finally {
      this.deps.cancellations.release(this.operationId);
    }
  }

  private async failed(err: unknown, cancelled: boolean, started: number): Promise<OperationJobResult> {
    if (cancelled || err instanceof Cancelled) {
      this.deps.logger.info({ operationId: this.operationId }, 'operation stopped after cancel');
      await this.finish('cancelled', started);
      return { outcome: 'cancelled' };
    }
    if (this.deps.stopping.aborted) return this.handOver();
    const verdict = classifyFailure(err);
    const lastAttempt = this.job.attemptsMade + 1 >= (this.job.opts.attempts ?? 1);
    if (verdict.retryable && !lastAttempt) {
      this.deps.logger.warn({ operationId: this.operationId, attempt: this.job.attemptsMade + 1, code: verdict.failure.code, err: verdict.failure.message }, 'operation attempt failed; will retry');
      throw err;
    }
    const { fieldErrors, ...error } = verdict.failure;
    this.deps.logger.warn({ operationId: this.operationId, code: error.code, err: error.message }, 'operation failed');
    await this.deps.reporter.failed(this.operationId, error, verdict.result ?? (fieldErrors ? { errors: fieldErrors } : undefined));
    await this.finish('failed', started);
    throw new ReportedFailure(error);
  }

  private context(signal: AbortSignal, isCancelled: () => boolean, firstRun: boolean): OperationContext {
    const { envelope, subject, acceptedAt } = this.job.data;
    return new OperationContext({
      operationId: this.operationId, kind: envelope.kind, subject, actor: envelope.actor, identity: kubernetesIdentity(envelope.actor),
      cluster: envelope.target.cluster, target: envelope.target, issuedAt: envelope.issuedAt, acceptedAt, attempt: this.job.attemptsMade + 1, firstRun,
      ...(envelope.correlationId ? { correlationId: envelope.correlationId } : {}),
    }, signal, (p) => this.deps.reporter.progressed(this.operationId, p), isCancelled, envelope);
  }

  private async finish(outcome: string, started: number): Promise<void> {
    this.deps.metrics.operationEnded(this.job.data.envelope.kind, outcome, (Date.now() - started) / 1000);
    if (this.key) await this.deps.fifo.leave(this.key, this.operationId);
  }

  /**
   * Back to the queue without spending an attempt; whoever picks it up resumes it by
   * re-reading the cluster. If Redis cannot be reached now, the job's lock simply expires
   * and BullMQ's stalled-job check hands it over instead. Its place in line is kept.
   */
  private async handOver(): Promise<never> {
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timed out')), HAND_OVER_TIMEOUT_MS).unref());
    try {
      await Promise.race([this.job.moveToDelayed(Date.now(), this.job.token), timeout]);
      this.deps.logger.info({ operationId: this.operationId }, 'operation handed back to the queue');
    } catch (err) {
      this.deps.logger.warn({ operationId: this.operationId, err }, 'could not hand the operation back; it resumes once its lock expires');
    }
    throw new DelayedError('handed over to another worker');
  }
}
