// A pino-compatible subset, so the core stays free of pino and Nest.
export interface KubeLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
}

const noop = (): void => undefined;

export const silentLogger: KubeLogger = { info: noop, warn: noop, error: noop, debug: noop };
