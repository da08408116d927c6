import { Catch, HttpException, Inject } from '@nestjs/common';
import type { ArgumentsHost, ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import type { BosunLogger } from '@bosun/logging';
import { LOGGER } from '@bosun/service-kit';

/** Errors leave as short JSON a chat client can show; bugs are logged with their stack, never sent. */
@Catch()
export class ChatErrorFilter implements ExceptionFilter {
  constructor(@Inject(LOGGER) private readonly logger: BosunLogger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    if (res.headersSent) return;
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      return void res.status(status).json({ error: status === 404 ? 'not_found' : 'http_error', detail: exception.message });
    }
    this.logger.error({ err: exception }, 'unhandled error in a chat request');
    res.status(500).json({ response_type: 'ephemeral', text: 'Bosun hit an internal error; it has been logged.' });
  }
}
