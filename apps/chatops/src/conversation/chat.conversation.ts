import { Inject, Injectable } from '@nestjs/common';
import { renderAck, renderError, type ChatCommand, type Checked, type SlackMessage } from '@bosun/chatops-domain';
import { isTerminal } from '@bosun/contracts';
import type { BosunLogger } from '@bosun/logging';
import { LOGGER } from '@bosun/service-kit';
import { CHATOPS_OPTIONS } from '../tokens';
import type { ChatopsOptions } from '../chatops.options';
import type { ChatUser } from '../gateway/chat-gateway.port';
import { OperationFollower } from '../replies/operation.follower';
import { ReplyChannels, type OpenedChannel } from '../replies/reply-channels';
import { CommandRunner, type Reply } from './command.runner';
import { noUpdatesNote, workingOnItNote } from './message.notes';
import { withinDeadline } from './deadline';

export interface TypedCommand { user: ChatUser; text: string; responseUrl?: string }
export interface ButtonPress { user: ChatUser; command: Checked<ChatCommand>; responseUrl: string }

/**
 * The conversation around one chat request: the answer that must leave within the ack
 * deadline, and what is posted to the response URL afterwards.
 */
@Injectable()
export class ChatConversation {
  constructor(
    private readonly runner: CommandRunner,
    private readonly channels: ReplyChannels,
    private readonly follower: OperationFollower,
    @Inject(CHATOPS_OPTIONS) private readonly options: ChatopsOptions,
    @Inject(LOGGER) private readonly logger: BosunLogger,
  ) {}

  /** A slash command or webhook message. Never throws: the worst case is an apology. */
  async typed(input: TypedCommand): Promise<SlackMessage> {
    const prepared = this.runner.prepare(input.text);
    if (prepared.kind === 'reply') return prepared.message;
    const opened = this.channels.open(input.responseUrl, input.user, prepared.command.verb);
    const work = this.runner.run(input.user, prepared.command).catch((e) => this.failed(e, input.user));
    const reply = await withinDeadline(work, this.options.ackDeadlineMs);
    if (reply) return this.answered(input.user, reply, opened);
    this.logger.info({ ...input.user, verb: prepared.command.verb }, 'gateway slow; acked, finishing in the background');
    void work.then((late) => this.late(input.user, late, opened));
    return workingOnItNote(renderAck(prepared.command), opened);
  }

  /**
   * A button press; the HTTP ack has already gone. Decisions replace the message the
   * buttons were on, so the buttons disappear once someone has decided.
   */
  async pressed(press: ButtonPress): Promise<void> {
    const opened = this.channels.open(press.responseUrl, press.user, press.command.ok ? press.command.value.verb : undefined);
    if (!opened.channel) return;
    if (!press.command.ok) {
      await opened.channel.send({ ...renderError({ title: 'Unknown button', detail: press.command.reason }), replace_original: false }, true);
      return;
    }
    const decision = press.command.value.verb === 'approve' || press.command.value.verb === 'reject';
    const reply = await this.runner.run(press.user, press.command.value).catch((e) => this.failed(e, press.user));
    const replace = decision && reply.operation !== undefined;
    await opened.channel.send({ ...reply.message, replace_original: replace });
    if (reply.operation) this.follower.follow(press.user, reply.operation, opened.channel, { replaceOriginal: replace });
  }

  private answered(user: ChatUser, reply: Reply, opened: OpenedChannel): SlackMessage {
    const op = reply.operation;
    if (!op || isTerminal(op.status)) return reply.message;
    if (opened.channel) this.follower.follow(user, op, opened.channel);
    return noUpdatesNote(reply.message, opened, op.id);
  }

  private late(user: ChatUser, reply: Reply, opened: OpenedChannel): void {
    if (!opened.channel) return;
    void opened.channel.send(reply.message);
    if (reply.operation) this.follower.follow(user, reply.operation, opened.channel);
  }

  private failed(e: unknown, user: ChatUser): Reply {
    this.logger.error({ err: e, ...user }, 'chat command failed unexpectedly');
    return { message: renderError({ title: 'Internal error', detail: 'Bosun could not finish this command; the error has been logged' }) };
  }
}
