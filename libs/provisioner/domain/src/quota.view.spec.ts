import type { ResourceQuota } from 'kubernetes-types/core/v1';
import { quotaView } from './quota.view';

describe('quotaView', () => {
  it('shows hard, used and the exact headroom (000:1590-1600)', () => {
    const quota: ResourceQuota = {
      spec: { hard: { 'requests.cpu': '1', 'requests.memory': '1Gi', 'limits.cpu': '2', 'limits.memory': '2Gi' } },
      status: {
        hard: { 'limits.cpu': '2', 'limits.memory': '2Gi', 'requests.cpu': '1', 'requests.memory': '1Gi' },
        used: { 'limits.cpu': '800m', 'limits.memory': '800Mi', 'requests.cpu': '400m', 'requests.memory': '600Mi' },
      },
    };
    expect(quotaView(quota)).toEqual({
      hard: { 'limits.cpu': '2', 'limits.memory': '2Gi', 'requests.cpu': '1', 'requests.memory': '1Gi' },
      used: { 'limits.cpu': '800m', 'limits.memory': '800Mi', 'requests.cpu': '400m', 'requests.memory': '600Mi' },
      // 600Mi + 700Mi > 1Gi is why the seed's second pod is refused: only 424Mi is left (000:1610-1617)
      headroom: { 'limits.cpu': '1200m', 'limits.memory': '1248Mi', 'requests.cpu': '600m', 'requests.memory': '424Mi' },
    });
  });

  it.each([
    // pods: 2 used of 2 leaves nothing (000:1634-1680)
    [{ hard: { pods: '2' } }, { pods: '2' }, { pods: '0' }],
    // decimal and binary units mix exactly
    [{ hard: { 'requests.storage': '1G' } }, { 'requests.storage': '1Mi' }, { 'requests.storage': '998951424' }],
    // a quota lowered below its use shows how far over it is
    [{ hard: { 'requests.cpu': '500m' } }, { 'requests.cpu': '1' }, { 'requests.cpu': '-500m' }],
  ])('%j used %j → %j', (status, used, headroom) => {
    expect(quotaView({ status: { ...status, used } }).headroom).toEqual(headroom);
  });

  it('before the controller syncs: the spec, nothing used', () => {
    expect(quotaView({ spec: { hard: { pods: '10', 'requests.cpu': '4' } } })).toEqual({
      hard: { pods: '10', 'requests.cpu': '4' }, used: { pods: '0', 'requests.cpu': '0' }, headroom: { pods: '10', 'requests.cpu': '4' },
    });
    expect(quotaView(undefined)).toEqual({ hard: {}, used: {}, headroom: {} });
  });
});
