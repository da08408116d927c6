import { AsyncLocalStorage } from 'node:async_hooks';

/** Fields every log line of one unit of work carries (operation, correlation, actor). */
export interface LogContext {
  operationId?: string;
  correlationId?: string;
  subject?: string;
  [key: string]: unknown;
}

const storage = new AsyncLocalStorage<LogContext>();

export const runWithLogContext = <T>(ctx: LogContext, fn: () => T): T =>
  storage.run({ ...storage.getStore(), ...ctx }, fn);

export const currentLogContext = (): LogContext | undefined => storage.getStore();
