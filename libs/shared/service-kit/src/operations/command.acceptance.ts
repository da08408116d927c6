import { toFieldErrors } from '@bosun/contracts';
import type { CommandEnvelope } from '@bosun/contracts';
import type { CommandRoute } from './command.routes';
import { joinFieldErrors, OperationFailure } from './operation.failure';

/**
 * Why a command off the stream is refused before any job exists, or undefined to accept it:
 * no handler for this exact subject (a `….v2` never reaches a v1 handler), issued longer ago
 * than the max age (a command that sat in the queue past it is not run late), or a payload
 * the handler's schema or domain rules refuse (failed at once as `Invalid`, naming each field).
 */
/** The payload checks alone (the command's schema and domain rules): what `validate` answers before anything is queued. */
export function payloadRefusal(subject: string, route: CommandRoute | undefined, kind: string, payload: unknown): OperationFailure | undefined {
  if (!route) return new OperationFailure('Invalid', `unknown operation ${kind}`, { fieldErrors: [{ path: 'kind', message: `no handler for ${subject}` }] });
  return route.schema ? schemaRefusal(subject, route, payload) : undefined;
}

export function refusalOf(env: CommandEnvelope, subject: string, route: CommandRoute | undefined, maxAgeSeconds: number, now = Date.now()): OperationFailure | undefined {
  const service = subject.split('.')[2];
  if (!route) return new OperationFailure('NotImplemented', `${service} has no handler for ${subject}`);
  const age = now - Date.parse(env.issuedAt);
  if (!(age <= maxAgeSeconds * 1000)) {
    return new OperationFailure('Stale', `the command was issued at ${env.issuedAt}, more than ${maxAgeSeconds} s ago; it was not run`);
  }
  return route.schema ? schemaRefusal(subject, route, env.payload) : undefined;
}

function schemaRefusal(subject: string, route: CommandRoute, payload: unknown): OperationFailure | undefined {
  const parsed = route.schema!.safeParse(payload);
  const errors = parsed.success ? (route.rules?.(parsed.data as never) ?? []) : toFieldErrors(parsed.error);
  if (!errors.length) return undefined;
  const action = subject.split('.').slice(3, -1).join('.');
  return new OperationFailure('Invalid', `invalid ${action} command: ${joinFieldErrors(errors)}`, { fieldErrors: errors });
}
