// Types of permissions.cjs for the TypeScript that checks it against the code's subjects.
export interface SubjectRules { allow?: string[]; deny?: string[] }
export interface NatsPermissions { publish?: SubjectRules; subscribe?: SubjectRules; allow_responses?: { max: number; expires: string } }
export const SERVICES: string[];
export const PRINCIPALS: string[];
export const WORKLOAD_PRINCIPALS: string[];
export const BOSUN_STREAMS: string[];
export function inboxPrefix(principal: string): string;
export function commandConsumer(service: string): string;
export function permissionsFor(principal: string): NatsPermissions | undefined;
