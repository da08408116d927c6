import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { renderHelp } from '@bosun/chatops-domain';
import { silentLogger, testOptions } from '../testing/fakes';
import { ResponseUrlPoster } from './response-url.poster';

/** A real HTTP receiver on loopback answering with the scripted statuses in turn. */
const receiver = async (statuses: number[], extra: Record<string, string> = {}): Promise<{ url: string; bodies: unknown[]; server: Server }> => {
  const bodies: unknown[] = [];
  const server = createServer((req, res) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      bodies.push(JSON.parse(data));
      res.writeHead(statuses.shift() ?? 200, extra).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, bodies, server };
};

describe('ResponseUrlPoster (against a local HTTP receiver)', () => {
  const poster = new ResponseUrlPoster(testOptions({ postAttempts: 3, postBackoffMs: 5 }), silentLogger);
  afterAll(() => poster.beforeApplicationShutdown());

  it('posts the message as JSON', async () => {
    const r = await receiver([200]);
    expect(await poster.post(r.url, renderHelp())).toEqual({ ok: true, attempts: 1 });
    expect(r.bodies[0]).toMatchObject({ response_type: 'ephemeral', blocks: expect.any(Array) });
    r.server.close();
  });

  it('retries 5xx and 429, then succeeds', async () => {
    const r = await receiver([503, 429]);
    expect(await poster.post(r.url, renderHelp())).toEqual({ ok: true, attempts: 3 });
    expect(r.bodies).toHaveLength(3);
    r.server.close();
  });

  it('gives up after the attempts, and does not retry a 4xx refusal', async () => {
    const r = await receiver([500, 500, 500, 500]);
    expect(await poster.post(r.url, renderHelp())).toMatchObject({ ok: false, attempts: 3, detail: 'HTTP 500' });
    expect(r.bodies).toHaveLength(3);
    const gone = await receiver([404]);
    expect(await poster.post(gone.url, renderHelp())).toMatchObject({ ok: false, detail: 'HTTP 404' });
    expect(gone.bodies).toHaveLength(1);
    r.server.close();
    gone.server.close();
  });

  it('never follows a redirect away from the checked URL', async () => {
    const r = await receiver([302], { Location: 'http://169.254.169.254/latest/meta-data' });
    expect(await poster.post(r.url, renderHelp())).toMatchObject({ ok: false, detail: 'HTTP 302' });
    r.server.close();
  });

  it('on shutdown lets the attempt under way finish, and starts no other', async () => {
    const p = new ResponseUrlPoster(testOptions({ postAttempts: 4, postBackoffMs: 5 }), silentLogger);
    const bodies: unknown[] = [];
    let answer: (() => void) | undefined;
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        bodies.push(1);
        answer = () => res.writeHead(500).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const posted = p.post(`http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, renderHelp());
    while (!answer) await new Promise((r) => setTimeout(r, 5));
    p.beforeApplicationShutdown();
    answer();
    expect(await posted).toMatchObject({ ok: false, detail: 'HTTP 500' });
    expect(bodies).toHaveLength(1);
    server.close();
  });

  it('retries when nothing listens', async () => {
    const r = await receiver([]);
    await new Promise((res) => r.server.close(res));
    expect(await poster.post(r.url, renderHelp())).toMatchObject({ ok: false, attempts: 3, detail: 'ECONNREFUSED' });
  });
});
