import { Module } from '@nestjs/common';
import type { DynamicModule, OnApplicationShutdown } from '@nestjs/common';
import { Inject } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { BOSUN_CONFIG } from '@bosun/config';
import type { BosunConfig } from '@bosun/config';
import type { BosunLogger } from '@bosun/logging';
import { connectRedisFailFast } from '@bosun/messaging';
import type { Redis } from '@bosun/messaging';
import { LOGGER } from '@bosun/service-kit';
import { ChatConversation } from './conversation/chat.conversation';
import { CommandRunner } from './conversation/command.runner';
import { ChatGateway } from './gateway/chat-gateway.port';
import { HttpChatGateway } from './gateway/http-chat.gateway';
import { ChatErrorFilter } from './http/chat-error.filter';
import { HealthController } from './http/health.controller';
import { HealthProbes } from './http/health.probes';
import { RedisReplayGuard } from './ingress/redis-replay.guard';
import { CLOCK, RequestAuthenticator } from './ingress/request.authenticator';
import { SlackController } from './ingress/slack.controller';
import { WebhookController } from './ingress/webhook.controller';
import { FollowStore } from './replies/follow.store';
import { OperationFollower } from './replies/operation.follower';
import { RedisFollowStore } from './replies/redis-follow.store';
import { ReplyChannels } from './replies/reply-channels';
import { ResponseUrlPoster } from './replies/response-url.poster';
import type { ChatopsOptions } from './chatops.options';
import { CHATOPS_OPTIONS, REPLAY_GUARD, CHAT_REDIS } from './tokens';

/**
 * The replay guard's and the follow store's connection, failing fast while Redis is away (a
 * request is refused, a follower retries); waits briefly for the first connection so that
 * the first request after boot is not refused and stored follows are resumed at once.
 */
async function chatRedis(config: BosunConfig, logger: BosunLogger): Promise<Redis> {
  const redis = connectRedisFailFast(config.redisUrl, `${config.instanceId}-chat`, logger);
  if (redis.status !== 'ready') {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 5000);
      redis.once('ready', () => { clearTimeout(timer); resolve(); });
    });
  }
  return redis;
}

/** Slack and webhook ingress → the gateway, as the linked user; replies and progress to response URLs, followed durably. */
@Module({})
export class ChatopsModule implements OnApplicationShutdown {
  constructor(@Inject(CHAT_REDIS) private readonly redis: Redis) {}

  static forRoot(options: ChatopsOptions): DynamicModule {
    return {
      module: ChatopsModule,
      controllers: [SlackController, WebhookController, HealthController],
      providers: [
        { provide: CHATOPS_OPTIONS, useValue: options },
        { provide: CLOCK, useValue: () => Date.now() },
        { provide: CHAT_REDIS, inject: [BOSUN_CONFIG, LOGGER], useFactory: chatRedis },
        { provide: REPLAY_GUARD, useClass: RedisReplayGuard },
        { provide: ChatGateway, useClass: HttpChatGateway },
        { provide: FollowStore, useClass: RedisFollowStore },
        { provide: APP_FILTER, useClass: ChatErrorFilter },
        RequestAuthenticator, CommandRunner, ResponseUrlPoster, ReplyChannels, OperationFollower, ChatConversation, HealthProbes,
      ],
    };
  }

  onApplicationShutdown(): void {
    this.redis.disconnect();
  }
}
