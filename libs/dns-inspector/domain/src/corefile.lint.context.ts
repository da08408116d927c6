import type { CorefileFinding, LintSeverity } from '@bosun/contracts';
import type { Directive, ServerBlock } from './corefile.parser';
import { zoneCovers } from './corefile.keys';

export interface LintOptions {
  /** The kubelet's --cluster-domain; default cluster.local. */
  clusterDomain?: string;
}

export interface LintContext {
  clusterDomain: string;
}

export type BlockRule = (block: ServerBlock, ctx: LintContext) => CorefileFinding[];

export const finding = (severity: LintSeverity, rule: string, line: number | undefined, message: string, fix?: string): CorefileFinding => ({
  severity, rule, ...(line === undefined ? {} : { line }), message, ...(fix ? { fix } : {}),
});

export const named = (block: ServerBlock, name: string): Directive[] => block.directives.filter((d) => d.name === name);

export const blockZones = (block: ServerBlock): string[] => block.keys.map((k) => k.zone);

/** A plugin's zones: its arguments when given, else the server block's (OriginsFromArgsOrServerBlock). */
export const pluginZones = (args: readonly string[], block: ServerBlock): string[] => (args.length > 0 ? [...args] : blockZones(block));

/** Whether queries for `name` reach this block and the plugin with these zones answers them. */
export const serves = (block: ServerBlock, zones: readonly string[], name: string): boolean =>
  blockZones(block).some((z) => zoneCovers(z, name)) && zones.some((z) => zoneCovers(z, name));

/** The value of a sub-directive (`ttl 30` → ['30']) of a plugin's block, the last one winning. */
export const option = (directive: Directive, name: string): string[] | undefined => directive.block.filter((d) => d.name === name).at(-1)?.args;
