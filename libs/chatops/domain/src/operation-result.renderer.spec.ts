import type { Operation } from '@bosun/contracts';
import { renderAck, renderOperation } from './operation.renderer';
import { parseCommand } from './command.parser';
import { renderHelp, renderParseFailure } from './reply.renderer';
import { slackLimitViolations, visible } from './slack-limits.testing';
import { fitBlocks, listBlocks, MAX_BLOCKS } from './slack.limits';

const op = (over: Partial<Operation>): Operation => ({
  id: 'op_t1', kind: 'tenant.create', status: 'succeeded', actor: { subject: 'user:alice', groups: [], via: 'chat' },
  target: { cluster: 'default', kind: 'Namespace', name: 'team-b' }, createdAt: '2026-12-01T10:00:00Z', updatedAt: '2026-12-01T10:00:02Z', ...over,
});

describe('tenant create', () => {
  it('the final message names the namespace, its quota and the advice', () => {
    const m = renderOperation(op({ result: { name: 'team-b', quota: { hard: { 'requests.cpu': '4', 'limits.memory': '8Gi' }, used: {}, headroom: {} }, warnings: [{ path: 'limits', message: 'no LimitRange defaults: pods that set nothing are refused' }] } }));
    expect(visible(m)).toContain('Namespace `team-b` is ready with quota requests.cpu 4, limits.memory 8Gi.');
    expect(visible(m)).toContain('⚠️ limits: no LimitRange defaults');
    expect(m.text).toBe('Create tenant team-b: succeeded — operation op_t1 by user:alice');
  });

  it('the ack names what is being done for every service verb', () => {
    const ack = (text: string): string => {
      const p = parseCommand(text);
      if (!p.ok) throw new Error(p.reason);
      return renderAck(p.command).text;
    };
    expect(ack('tenant create team-b cpu=4')).toBe('Creating tenant team-b');
    expect(ack('dns check team-a/api')).toBe('Running the DNS checklist for team-a/api');
    expect(ack('dns lookup team-a api')).toBe('Resolving api as a pod in team-a would');
    expect(ack('drain worker-1')).toBe('Draining node worker-1');
    expect(ack('drain worker-1 dry-run')).toBe('Planning a drain of node worker-1 (dry run)');
    expect(ack('autoscalers team-a')).toBe('Listing the autoscalers in team-a');
    expect(ack('why-scale team-a/web')).toBe('Looking up the autoscaler of team-a/web');
    expect(ack('pvc why team-a/data')).toBe('Looking into claim team-a/data');
    expect(ack('nodes')).toBe('Listing the nodes');
  });

  it('other kinds and unfinished operations add no result blocks', () => {
    const plain = renderOperation(op({ kind: 'deployment.deploy', result: { anything: 1 } }));
    expect(plain.blocks).toHaveLength(renderOperation(op({ kind: 'deployment.deploy' })).blocks.length);
  });
});

describe('Slack limits', () => {
  it('help and the general usage fit, with every verb', () => {
    const help = renderHelp();
    expect(slackLimitViolations(help)).toEqual([]);
    expect(visible(help)).toContain('/bosun why-scale');
    const unknown = parseCommand('frobnicate');
    if (unknown.ok) throw new Error('failure expected');
    expect(slackLimitViolations(renderParseFailure(unknown))).toEqual([]);
  });

  it('fitBlocks keeps 50 blocks at most and says how many were cut', () => {
    const blocks = Array.from({ length: 70 }, (_, i) => ({ type: 'section' as const, text: { type: 'mrkdwn' as const, text: `b${i}` } }));
    const fitted = fitBlocks(blocks);
    expect(fitted).toHaveLength(MAX_BLOCKS);
    expect(JSON.stringify(fitted[MAX_BLOCKS - 1])).toContain('… and 21 more parts');
    expect(fitBlocks(blocks.slice(0, 3))).toHaveLength(3);
  });

  it('listBlocks packs lines into sections under 3000 characters and counts the rest', () => {
    const lines = Array.from({ length: 100 }, (_, i) => `${i} ${'x'.repeat(400)}`);
    const blocks = listBlocks(lines, 30, 'things');
    expect(blocks.every((b) => b.type !== 'section' || (b.text?.text.length ?? 0) <= 3000)).toBe(true);
    expect(JSON.stringify(blocks.at(-1))).toContain('… and 70 more things');
    expect(slackLimitViolations({ response_type: 'ephemeral', text: 't', blocks })).toEqual([]);
  });
});
