import { Writable } from 'node:stream';
import { createLogger } from './logger';
import { runWithLogContext } from './log-context';

const capture = (): { lines: Record<string, unknown>[]; stream: Writable } => {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(JSON.parse(String(chunk)));
      cb();
    },
  });
  return { lines, stream };
};

describe('createLogger', () => {
  it('redacts tokens, secrets and authorization headers', () => {
    const { lines, stream } = capture();
    const log = createLogger('gateway', 'info', stream);
    log.info({ req: { headers: { authorization: 'Bearer abc' } }, body: { token: 't0k', secret: 's3' }, token: 'x' }, 'hello');
    const line = JSON.stringify(lines[0]);
    expect(line).not.toMatch(/abc|t0k|s3|"x"/);
    expect(line).toMatch(/\[redacted\]/);
  });

  it('adds the operation and correlation id of the current context to every line', () => {
    const { lines, stream } = capture();
    const log = createLogger('deployer', 'info', stream);
    runWithLogContext({ operationId: 'op_1', correlationId: 'c1' }, () => log.info({ ns: 'a' }, 'applied'));
    log.info('outside');
    expect(lines[0]).toMatchObject({ app: 'deployer', operationId: 'op_1', correlationId: 'c1', ns: 'a', msg: 'applied', level: 'info' });
    expect(lines[1].operationId).toBeUndefined();
  });
});
