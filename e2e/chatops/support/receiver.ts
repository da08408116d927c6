import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SlackMessage } from '@bosun/chatops-domain';
import { eventually, uniqueName } from '@bosun/testing';

export interface Received { path: string; at: number; message: SlackMessage }

/** A local HTTP receiver on 127.0.0.1 standing in for Slack's response_url endpoint. */
export class Receiver {
  /**
   * `script`: statuses to answer with before the default 200 (to exercise retries).
   */
  private constructor(private readonly server: Server, readonly base: string, readonly received: Received[], readonly script: number[]) {}

  static async start(): Promise<Receiver> {
    const received: Received[] = [];
    const script: number[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const status = script.shift() ?? 200;
        if (status === 200) received.push({ path: req.url ?? '', at: Date.now(), message: JSON.parse(body) });
        res.writeHead(status).end(status === 200 ? 'ok' : 'busy');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return new Receiver(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received, script);
  }

  /** A fresh response URL, so each conversation's posts can be told apart. */
  url(): string {
    return `${this.base}/${uniqueName('hook')}`;
  }

  at(url: string): SlackMessage[] {
    const path = new URL(url).pathname;
    return this.received.filter((r) => r.path === path).map((r) => r.message);
  }

  /** Waits until the posts to `url` satisfy `done`, and returns them. */
  waitFor(url: string, done: (messages: SlackMessage[]) => boolean, what: string, timeoutMs = 30_000): Promise<SlackMessage[]> {
    return eventually(() => {
      const messages = this.at(url);
      return done(messages) ? messages : undefined;
    }, `${what} (posts so far: ${JSON.stringify(this.at(url).map((m) => m.text))})`, timeoutMs, 50);
  }

  close(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }
}

/** Whole-message text, blocks included, for loose assertions on what people would read. */
export const readable = (m: SlackMessage | undefined): string => (m ? `${m.text}\n${JSON.stringify(m.blocks)}` : '');

/** The value of a button in a message, as Slack would send it back when pressed. */
export const button = (m: SlackMessage, actionId: string): string | undefined => {
  for (const b of m.blocks) {
    if (b.type !== 'actions') continue;
    const e = b.elements.find((x) => x.action_id === actionId);
    if (e) return e.value;
  }
  return undefined;
};
