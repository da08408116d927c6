export * from './command.types';
export { tokenize, MAX_COMMAND_LENGTH, type Token, type TokenizeResult } from './command.tokenizer';
export { VERB_SPECS, MAX_REPLICAS, generalUsage, specOf, type VerbSpec, type CommandArgs } from './command.grammar';
export { parseCommand } from './command.parser';
export { commandToRequest } from './command.mapper';
export {
  DEFAULT_AVAILABLE_CAPABILITIES, DEPLOYER_CAPABILITIES, SERVICE_CAPABILITIES,
  type Capability, type ChatOperationKind, type ChatQueryCapability, type ChatRequest, type ComingSoonRequest,
  type DecisionRequest, type HelpRequest, type OperationBodies, type OperationRequest, type QueryRequest, type RequestTarget,
} from './chat-request.types';
export { decisionsPath, WHY_SCALE_DECISIONS } from './service-request.mapper';
export { findAutoscaler, toQueryResult, whyScaleResult } from './query-result.mapper';
export type * from './result.views';
export { MAX_BLOCKS } from './slack.limits';
export { replayKey, replayTtlSeconds, type ReplayGuard } from './replay.guard';
export {
  followId, newFollow, encodeFollow, decodeFollow, resumeDecision, progressFingerprint,
  type FollowRecord, type FollowProgress, type NewFollow, type ResumeDecision,
} from './follow.record';
export {
  signSlack, signWebhook, verifySlackSignature, verifyWebhookSignature, SIGNATURE_TOLERANCE_SECONDS,
  type Clock, type HeaderValue, type RawBody, type SignatureCheck, type SignatureFailureReason,
  type SlackSignatureInput, type WebhookSignatureInput,
} from './request-signature.verifier';
export {
  checkResponseUrl, isAllowedResponseUrl, DEFAULT_RESPONSE_URL_ALLOW_LIST, LOOPBACK_RESPONSE_URL_ALLOW_LIST,
  type ResponseUrlCheck,
} from './response-url.policy';
export * from './block-kit.types';
export { esc as escapeMrkdwn, progressBar, progressLine } from './mrkdwn.format';
export { hintFor } from './failure-hint.catalog';
export { renderAck, renderOperation, kindLabel } from './operation.renderer';
export {
  renderHelp, renderUsage, renderParseFailure, renderNotLinked, renderComingSoon, renderNotAnswering, renderError, SLASH_COMMAND,
  type Problem, type FailureLike,
} from './reply.renderer';
export { renderQueryResult, type QueryResult } from './query.renderer';
export {
  parseInteraction, parseInteractionForm, interactionToCommand,
  type BlockAction, type InteractionParse, type InteractionFailureReason,
} from './interaction.parser';
export { parseSlashCommandForm, parseWebhookMessage, unescapeSlackText, type InboundCommand, type InboundParse } from './inbound-message.parser';
export type { Checked } from './name.validators';
