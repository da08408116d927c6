import { progressFingerprint } from '@bosun/chatops-domain';
import { operation } from '../testing/fakes';
import { UpdatePlanner } from './update.planner';

describe('UpdatePlanner', () => {
  const running = (current: number) => operation({ status: 'running', progress: { current, total: 3, message: `${current} of 3 replicas updated` } });

  it('skips what was already shown, posts changes, always posts a terminal state', () => {
    const p = new UpdatePlanner(progressFingerprint(operation({ status: 'queued' })), 0, 1000);
    expect(p.decide(operation({ status: 'queued' }), 5000, true)).toBe('skip');
    expect(p.decide(running(1), 5000, true)).toBe('post');
    p.posted(running(1), 5000);
    expect(p.decide(running(1), 7000, true)).toBe('skip');
    expect(p.decide(operation({ status: 'succeeded' }), 5001, false)).toBe('final');
    expect(p.decide(operation({ status: 'rejected' }), 5001, false)).toBe('final');
  });

  it('defers changes that come faster than the interval, until dueAt', () => {
    const p = new UpdatePlanner(progressFingerprint(operation()), 0, 1000);
    expect(p.decide(running(1), 500, true)).toBe('defer');
    expect(p.dueAt()).toBe(1000);
    expect(p.decide(running(1), 1000, true)).toBe('post');
  });

  it('resumes from what a stored follow last showed', () => {
    const p = new UpdatePlanner('running|1/3 1 of 3 replicas updated', 0, 0);
    expect(p.decide(running(1), 10, true)).toBe('skip');
    expect(p.decide(running(2), 10, true)).toBe('post');
    expect(p.posted(running(2), 10)).toBe('running|2/3 2 of 3 replicas updated');
  });

  it('stops progress when the budget only has room for the final message', () => {
    const p = new UpdatePlanner(progressFingerprint(operation()), 0, 0);
    expect(p.decide(running(2), 10, false)).toBe('skip');
    expect(p.decide(operation({ status: 'failed', error: { code: 'ProgressDeadlineExceeded', message: 'x' } }), 10, false)).toBe('final');
  });
});
