import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A reverse proxy in front of the real gateway that holds chosen requests back, to see
 * what chat users get when the API is slow. Responses (event streams included) are piped.
 */
export class SlowProxy {
  private constructor(private readonly server: Server, readonly url: string) {}

  static async start(target: string, delayMs: number, slow: (method: string, path: string) => boolean): Promise<SlowProxy> {
    const to = new URL(target);
    const server = createServer((req, res) => {
      const forward = (): void => {
        const upstream = request({ host: to.hostname, port: to.port, method: req.method, path: req.url, headers: req.headers }, (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        });
        upstream.on('error', () => res.destroy());
        // A client that goes away takes its upstream request (an event stream, say) with it.
        res.on('close', () => upstream.destroy());
        req.pipe(upstream);
      };
      if (slow(req.method ?? 'GET', req.url ?? '/')) setTimeout(forward, delayMs);
      else forward();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return new SlowProxy(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }
}

/** A loopback port nothing listens on (it was free a moment ago). */
export const closedPort = (): Promise<number> => new Promise((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const { port } = s.address() as AddressInfo;
    s.close(() => resolve(port));
  });
});
