import 'reflect-metadata';
import { Module } from '@nestjs/common';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import express from 'express';
import type { BosunConfig } from '@bosun/config';
import type { BosunLogger } from '@bosun/logging';
import { NestPinoLogger } from '@bosun/logging';
import { RuntimeModule } from '@bosun/service-kit';
import { ChatopsModule } from './chatops.module';
import { defaultChatopsOptions, type ChatopsOptions } from './chatops.options';

/** Slack's payloads stay far below this; a larger body is refused before anything reads it. */
const CHAT_BODY_LIMIT = '1mb';

/** Refuses to start without what every chat request needs, naming the variable. */
const checkConfig = (config: BosunConfig): void => {
  const missing = [
    !config.internalToken && 'BOSUN_INTERNAL_TOKEN (chatops calls the gateway with it, naming the chat user)',
    !config.slackSigningSecret && !config.webhookSecret && 'BOSUN_SLACK_SIGNING_SECRET or BOSUN_WEBHOOK_SECRET',
  ].filter((m): m is string => Boolean(m));
  if (missing.length) throw new Error(`chatops cannot start without ${missing.join(' and ')}`);
};

/** Builds the chatops app (used by main.ts and by tests). */
export async function createChatops(config: BosunConfig, logger: BosunLogger, overrides: Partial<ChatopsOptions> = {}): Promise<INestApplication> {
  checkConfig(config);
  const options = { ...defaultChatopsOptions(config), ...overrides };
  @Module({ imports: [RuntimeModule.forRoot(config, logger), ChatopsModule.forRoot(options)] })
  class ChatopsRoot {}
  const app = await NestFactory.create<NestExpressApplication>(ChatopsRoot, { logger: new NestPinoLogger(logger), bodyParser: false });
  app.disable('x-powered-by');
  // Signatures cover the bytes as sent, so the chat routes keep the raw body; each handler
  // parses it (form or JSON) only after the signature and the replay guard have passed.
  app.use(['/slack', '/webhook'], express.raw({ type: () => true, limit: CHAT_BODY_LIMIT }));
  app.use((err: { status?: number; type?: string; message?: string }, _req: express.Request, res: express.Response, next: express.NextFunction) => {
    if (typeof err?.status !== 'number' || err.status < 400 || err.status >= 500) return next(err);
    res.status(err.status).json({ error: err.type ?? 'bad_request', detail: err.message ?? 'bad request' });
  });
  app.enableShutdownHooks();
  return app;
}
