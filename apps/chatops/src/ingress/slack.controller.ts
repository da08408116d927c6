import { Controller, Inject, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { interactionToCommand, parseInteractionForm, parseSlashCommandForm } from '@bosun/chatops-domain';
import type { BosunLogger } from '@bosun/logging';
import { LOGGER } from '@bosun/service-kit';
import { ChatConversation } from '../conversation/chat.conversation';
import { badRequest, refuse, signedRequest } from './raw-body';
import { RequestAuthenticator } from './request.authenticator';

/** Slack's two request URLs: slash commands and interactivity (buttons). */
@Controller('slack')
export class SlackController {
  constructor(
    private readonly auth: RequestAuthenticator,
    private readonly conversation: ChatConversation,
    @Inject(LOGGER) private readonly logger: BosunLogger,
  ) {}

  @Post('commands')
  async command(@Req() req: Request, @Res() res: Response): Promise<void> {
    const signed = signedRequest(req);
    const auth = await this.auth.slack(signed);
    if (!auth.ok) return refuse(res, auth);
    // Slack's certificate check carries no command; it only wants a 200.
    if (new URLSearchParams(signed.text).get('ssl_check') === '1') return void res.status(200).send();
    const form = parseSlashCommandForm(signed.text);
    if (!form.ok) return badRequest(res, form.detail);
    const { userId, text, responseUrl, channelId } = form.command;
    this.logger.info({ platform: 'slack', userId, channelId, text: text.slice(0, 200) }, 'slash command');
    res.status(200).json(await this.conversation.typed({ user: { platform: 'slack', userId }, text, responseUrl }));
  }

  @Post('interactions')
  async interaction(@Req() req: Request, @Res() res: Response): Promise<void> {
    const signed = signedRequest(req);
    const auth = await this.auth.slack(signed);
    if (!auth.ok) return refuse(res, auth);
    const parsed = parseInteractionForm(signed.text);
    if (!parsed.ok) {
      this.logger.info({ reason: parsed.reason, detail: parsed.detail }, 'interaction ignored');
      // Other interaction types (shortcuts, view submissions) are not Bosun's: acknowledge and drop.
      return parsed.reason === 'unsupported-type' ? void res.status(200).send() : badRequest(res, parsed.detail);
    }
    const { userId, actionId, value, responseUrl } = parsed.interaction;
    this.logger.info({ platform: 'slack', userId, actionId, value }, 'button pressed');
    // Slack wants the ack within 3 s and ignores its body: the outcome goes to response_url.
    res.status(200).send();
    const user = { platform: 'slack' as const, userId };
    void this.conversation.pressed({ user, responseUrl, command: interactionToCommand({ actionId, value }) })
      .catch((e) => this.logger.error({ err: e, userId, actionId }, 'button handling failed'));
  }
}
