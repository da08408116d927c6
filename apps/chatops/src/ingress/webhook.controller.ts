import { Controller, Inject, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { parseWebhookMessage } from '@bosun/chatops-domain';
import type { BosunLogger } from '@bosun/logging';
import { LOGGER } from '@bosun/service-kit';
import { ChatConversation } from '../conversation/chat.conversation';
import { badRequest, refuse, signedRequest } from './raw-body';
import { RequestAuthenticator } from './request.authenticator';

/** The generic signed hook for Mattermost, Discord bridges and other bots (API.md → Chat). */
@Controller('webhook')
export class WebhookController {
  constructor(
    private readonly auth: RequestAuthenticator,
    private readonly conversation: ChatConversation,
    @Inject(LOGGER) private readonly logger: BosunLogger,
  ) {}

  @Post()
  async message(@Req() req: Request, @Res() res: Response): Promise<void> {
    const signed = signedRequest(req);
    const auth = await this.auth.webhook(signed);
    if (!auth.ok) return refuse(res, auth);
    const parsed = parseWebhookMessage(signed.text);
    if (!parsed.ok) return badRequest(res, parsed.detail);
    const { userId, text, responseUrl, channelId } = parsed.command;
    this.logger.info({ platform: 'webhook', userId, channelId, text: text.slice(0, 200) }, 'webhook command');
    res.status(200).json(await this.conversation.typed({ user: { platform: 'webhook', userId }, text, responseUrl }));
  }
}
