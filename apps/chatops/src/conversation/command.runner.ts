import { Inject, Injectable } from '@nestjs/common';
import {
  commandToRequest, decisionsPath, findAutoscaler, parseCommand, renderAck, renderComingSoon, renderHelp, renderOperation,
  renderParseFailure, renderQueryResult, toQueryResult, whyScaleResult,
  type ChatCommand, type DecisionRequest, type OperationRequest, type QueryRequest, type SlackMessage,
} from '@bosun/chatops-domain';
import { isTerminal, type Operation } from '@bosun/contracts';
import { CHATOPS_OPTIONS } from '../tokens';
import type { ChatopsOptions } from '../chatops.options';
import { ChatGateway, type ChatUser } from '../gateway/chat-gateway.port';
import { problemReply, serviceProblemReply } from './problem.reply';

/** What a command comes to: the message to show and, for an operation, the one to follow. */
export interface Reply {
  message: SlackMessage;
  operation?: Operation;
}

/** Text is either answered at once (help, usage, coming soon: nothing to ask) or is a command to run. */
export type Prepared = { kind: 'reply'; message: SlackMessage } | { kind: 'command'; command: ChatCommand };

/** The use-case: a validated chat command becomes the same API call a user would make, as that user. */
@Injectable()
export class CommandRunner {
  constructor(private readonly gateway: ChatGateway, @Inject(CHATOPS_OPTIONS) private readonly options: ChatopsOptions) {}

  /** Pure: grammar and capability checks. Help and usage need no identity, since nothing runs. */
  prepare(text: string): Prepared {
    const parsed = parseCommand(text);
    if (!parsed.ok) return { kind: 'reply', message: renderParseFailure(parsed) };
    const req = commandToRequest(parsed.command, this.options.capabilities);
    if (req.type === 'help') return { kind: 'reply', message: renderHelp(req.topic) };
    if (req.type === 'coming-soon') return { kind: 'reply', message: renderComingSoon(req) };
    return { kind: 'command', command: parsed.command };
  }

  async run(user: ChatUser, command: ChatCommand): Promise<Reply> {
    const req = commandToRequest(command, this.options.capabilities);
    switch (req.type) {
      case 'operation': return this.operation(user, command, req);
      case 'query': return this.query(user, command, req);
      case 'decision': return this.decision(user, req);
      case 'help': return { message: renderHelp(req.topic) };
      case 'coming-soon': return { message: renderComingSoon(req) };
    }
  }

  private async operation(user: ChatUser, command: ChatCommand, req: OperationRequest): Promise<Reply> {
    const r = await this.gateway.call<Operation>(user, { method: req.method, path: req.path, body: req.body, timeoutMs: this.options.gatewayTimeoutMs });
    if (!r.ok) return { message: serviceProblemReply(user, req.owner, command.verb, r.problem) };
    // An Idempotency-Key repeat (or a very fast service) can answer with a finished operation:
    // nothing will be followed, so its outcome (a DNS checklist, a drain's result) is the answer.
    const message = isTerminal(r.value.status) ? renderOperation(r.value) : renderAck(command, r.value);
    return { message, operation: r.value };
  }

  private async decision(user: ChatUser, req: DecisionRequest): Promise<Reply> {
    const r = await this.gateway.call<Operation>(user, { method: req.method, path: req.path, body: {}, timeoutMs: this.options.gatewayTimeoutMs });
    if (!r.ok) return { message: problemReply(user, r.problem) };
    return { message: renderOperation(r.value), operation: r.value };
  }

  private async query(user: ChatUser, command: ChatCommand, req: QueryRequest): Promise<Reply> {
    const r = await this.gateway.call<unknown>(user, { method: req.method, path: req.path, body: req.body, timeoutMs: this.options.gatewayTimeoutMs });
    if (!r.ok) return { message: serviceProblemReply(user, req.owner, command.verb, r.problem) };
    if (req.capability === 'autoscaler.decisions') return this.whyScale(user, command, req, r.value);
    const result = toQueryResult(req, r.value);
    if (!result) return { message: problemReply(user, { title: 'Not supported', detail: `chat cannot show ${req.capability} results yet` }) };
    return { message: renderQueryResult(result) };
  }

  /** Second read of `why-scale`: the decisions of the autoscaler whose target is the workload. */
  private async whyScale(user: ChatUser, command: ChatCommand, req: QueryRequest, list: unknown): Promise<Reply> {
    const autoscaler = findAutoscaler(list, req.params.namespace ?? '', req.params.name ?? '');
    if (!autoscaler) return { message: renderQueryResult(whyScaleResult(req, undefined, { items: [] })) };
    const r = await this.gateway.call<unknown>(user, { method: 'GET', path: decisionsPath(autoscaler.id), timeoutMs: this.options.gatewayTimeoutMs });
    if (!r.ok) return { message: serviceProblemReply(user, req.owner, command.verb, r.problem) };
    return { message: renderQueryResult(whyScaleResult(req, autoscaler, r.value)) };
  }
}
