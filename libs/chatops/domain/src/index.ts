export * from './command.types';
export { tokenize, MAX_COMMAND_LENGTH, type Token, type TokenizeResult } from './command.tokenizer';
export { VERB_SPECS, MAX_REPLICAS, generalUsage, specOf, type VerbSpec, type CommandArgs } from './command.grammar';
export { parseCommand } from './command.parser';
