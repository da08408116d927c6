import { Catch, HttpException, Inject } from '@nestjs/common';
import type { ArgumentsHost, ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import type { z } from 'zod';
import { FAILURE_HTTP_STATUS, isFailureCode, toFieldErrors } from '@bosun/contracts';
import type { Failure, FieldError } from '@bosun/contracts';
import type { BosunLogger } from '@bosun/logging';
import { LOGGER } from '@bosun/service-kit';
import { OperationMetrics } from '../system/metrics';

export const TITLES: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 406: 'Not Acceptable', 409: 'Conflict', 410: 'Gone',
  413: 'Payload Too Large', 415: 'Unsupported Media Type', 422: 'Unprocessable Entity', 429: 'Too Many Requests',
  500: 'Internal Server Error', 501: 'Not Implemented', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout',
};

/** What a piece of the HTTP pipeline can answer, by status: why. The OpenAPI document is built from these. */
export type Answers = Readonly<Record<number, string>>;

/** express.json runs before every route (any method): what `bodyParserProblem` makes of its errors. */
export const BODY_PARSER_ANSWERS: Answers = {
  400: 'Malformed JSON body (or a body that does not match its Content-Length)',
  413: 'Body over the size limit (BOSUN_BODY_LIMIT)',
  415: 'Unsupported body encoding or charset',
};
/** `ProblemFilter` on a request that needs the state store (Redis) while it is away. */
export const STATE_STORE_ANSWERS: Answers = { 503: 'The state store (Redis) or the message bus (NATS) is unavailable; retry shortly' };

/** An RFC 9457 problem the API answers with; thrown only at the HTTP edge. */
export class Problem extends Error {
  /** Set when a service's failure code has no HTTP status: a bug the filter logs and counts. */
  unmappedCode?: string;
  constructor(public readonly status: number, public readonly title: string, public readonly detail: string, public readonly errors?: FieldError[], public readonly code?: string) {
    super(detail);
  }
  static invalid(errors: FieldError[], detail = 'the request has invalid fields'): Problem {
    return new Problem(422, 'Unprocessable Entity', detail, errors, 'Invalid');
  }
  static fromZod(error: z.ZodError, detail?: string): Problem {
    return Problem.invalid(toFieldErrors(error), detail);
  }
  /** Maps a service's typed failure (Kubernetes reasons included) to HTTP; an unknown code is a 502. */
  static fromFailure(f: Failure): Problem {
    const status = isFailureCode(f.code) ? FAILURE_HTTP_STATUS[f.code] : 502;
    const p = new Problem(status, TITLES[status] ?? 'Error', f.message, f.fieldErrors, f.code);
    if (!isFailureCode(f.code)) p.unmappedCode = f.code;
    return p;
  }
}

export function sendProblem(res: Response, p: { status: number; title?: string; detail: string; errors?: FieldError[]; code?: string }): void {
  const body = { type: p.code ? `https://bosun.dev/problems/${p.code}` : 'about:blank', title: p.title ?? TITLES[p.status] ?? 'Error', status: p.status, detail: p.detail, ...(p.code ? { code: p.code } : {}), ...(p.errors?.length ? { errors: p.errors } : {}) };
  res.status(p.status).type('application/problem+json').send(JSON.stringify(body));
}

/** Every error leaves as problem+json; body-parser and routing errors included, never a bare 500 for bad input. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  constructor(@Inject(LOGGER) private readonly logger: BosunLogger, private readonly metrics: OperationMetrics) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    if (res.headersSent) return;
    if (exception instanceof Problem) return this.problem(res, exception);
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const detail = status === 404 ? 'no such resource' : String((exception.getResponse() as { message?: unknown })?.message ?? exception.message);
      return sendProblem(res, { status, detail });
    }
    const bodyError = bodyParserProblem(exception);
    if (bodyError) return sendProblem(res, bodyError);
    if (isStateStoreDown(exception)) return sendProblem(res, { status: 503, detail: 'the state store (Redis) is unavailable; retry shortly', code: 'Unavailable' });
    this.logger.error({ err: exception }, 'unexpected error answering a request');
    sendProblem(res, { status: 500, title: 'Internal Server Error', detail: 'an unexpected error happened; it has been logged' });
  }

  private problem(res: Response, p: Problem): void {
    if (p.unmappedCode) {
      this.logger.error({ code: p.unmappedCode, detail: p.detail }, 'failure code without an HTTP status: add it to FAILURE_CODES in contracts');
      this.metrics.unmappedFailureCodes.inc({ code: p.unmappedCode.slice(0, 64) });
    }
    sendProblem(res, p);
  }
}

/** The fail-fast Redis client refuses commands while Redis is away: that is a 503, not a bug. */
const STORE_DOWN = /Stream isn't writeable|MaxRetriesPerRequest|Connection is closed|ECONNREFUSED/;
function isStateStoreDown(e: unknown): boolean {
  return e instanceof Error && (STORE_DOWN.test(e.message) || e.name === 'MaxRetriesPerRequestError');
}

/** express/body-parser errors carry `type` and `status`. */
export function bodyParserProblem(e: unknown): { status: number; detail: string } | undefined {
  const err = e as { type?: string; status?: number; limit?: number; message?: string };
  if (err?.type === 'entity.parse.failed') return { status: 400, detail: `malformed JSON body: ${err.message}` };
  if (err?.type === 'entity.too.large') return { status: 413, detail: `request body exceeds the limit of ${err.limit} bytes` };
  if (err?.type === 'encoding.unsupported' || err?.type === 'charset.unsupported') return { status: 415, detail: err.message ?? 'unsupported encoding' };
  if (typeof err?.status === 'number' && err.status >= 400 && err.status < 500) return { status: err.status, detail: err.message ?? 'bad request' };
  return undefined;
}
