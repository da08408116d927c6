import { Inject, Injectable } from '@nestjs/common';
import { cancelPayloadSchema, DEPLOYER_ACTIONS } from '@bosun/contracts';
import type { CommandEnvelope } from '@bosun/contracts';
import type { BosunLogger } from '@bosun/logging';
import { OperationReporter } from '@bosun/messaging';
import { CommandRouter, LOGGER } from '@bosun/service-kit';
import { parseCommand } from './command.payload';
import type { DeployerAction } from './command.payload';
import { OperationCancellations } from './operation.cancellations';
import { jobDataOf, OperationQueue } from './operation.queue';

/**
 * Adapts `bosun.cmd.deployer.<action>.v1` commands to jobs: validate the payload with the
 * sender's schema (an invalid one fails the operation at once, no retry), then enqueue it
 * under its operation id, so a redelivered command never makes a second job.
 */
@Injectable()
export class DeploymentCommands {
  constructor(
    router: CommandRouter,
    private readonly queue: OperationQueue,
    private readonly reporter: OperationReporter,
    private readonly cancellations: OperationCancellations,
    @Inject(LOGGER) private readonly logger: BosunLogger,
  ) {
    // Registered in the constructor: the router starts consuming during its own onModuleInit.
    for (const action of Object.values(DEPLOYER_ACTIONS)) router.handle(action, (envelope) => this.accept(action, envelope));
    router.handle('cancel', (envelope) => this.cancel(envelope));
  }

  async accept(action: DeployerAction, envelope: CommandEnvelope): Promise<void> {
    const { operationId } = envelope;
    const parsed = parseCommand(action, envelope.payload);
    if (!parsed.ok) {
      const message = `invalid ${action} command: ${parsed.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`;
      this.logger.warn({ operationId, action, errors: parsed.errors }, 'command rejected');
      await this.reporter.failed(operationId, { code: 'Invalid', message }, { errors: parsed.errors });
      return;
    }
    const { namespace, name } = parsed.value.payload;
    await this.queue.enqueue(jobDataOf(envelope, parsed.value));
    this.logger.info({ operationId, action, ns: namespace, name }, 'operation queued');
  }

  /**
   * The gateway has already marked the operation cancelled; here the work stops: a job not
   * started yet is dropped, a running one stops where it is (a change already made stays).
   */
  async cancel(envelope: CommandEnvelope): Promise<void> {
    const { operationId } = envelope;
    const reason = cancelPayloadSchema.safeParse(envelope.payload).data?.reason;
    const dropped = await this.queue.dropIfPending(operationId);
    if (!dropped) this.cancellations.broadcast(operationId);
    this.logger.info({ operationId, reason, dropped }, 'cancel requested');
  }
}
