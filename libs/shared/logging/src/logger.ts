import pino from 'pino';
import type { Logger } from 'pino';
import { currentLogContext } from './log-context';

/**
 * Paths never written to logs. Tokens and secrets appear in headers, bodies and
 * kubeconfigs; redaction is by path so a new field is safe only once listed here.
 */
export const REDACT_PATHS = [
  'req.headers.authorization', 'req.headers.cookie', 'req.headers["x-slack-signature"]',
  'req.headers["x-bosun-signature"]', 'headers.authorization', '*.token', 'token', '*.password',
  '*.secret', 'secret', '*.kubeconfig', 'kubeconfig', '*.signingSecret', '*.adminToken', '*.client-key-data',
];

export type BosunLogger = Logger;

export function createLogger(app: string, level = 'info', destination?: pino.DestinationStream): BosunLogger {
  return pino(
    {
      level,
      base: { app },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      // The async-local context puts operationId/correlationId on every line of that work.
      mixin: () => ({ ...currentLogContext() }),
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
}
