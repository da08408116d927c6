import { renderQueryResult } from './query.renderer';
import { readClaimDiagnosis } from './result.views';
import { slackLimitViolations, visible } from './slack-limits.testing';

const diagnose = (d: unknown) => renderQueryResult({ kind: 'claim-diagnosis', namespace: 'team-a', claim: 'data', diagnosis: readClaimDiagnosis(d) });

describe('pvc why', () => {
  it('a Bound claim says what it is bound to', () => {
    const m = diagnose({ phase: 'Bound', boundTo: 'pv-local-3', candidates: [], hint: 'nothing to do', causes: [] });
    expect(m.text).toBe('team-a/data is bound to pv-local-3.');
    expect(visible(m)).toContain('✅ `team-a/data` is bound to `pv-local-3`.');
    expect(m.response_type).toBe('ephemeral');
  });

  it('a Pending claim gives the causes with hints, then the closest candidates and why they do not match', () => {
    const m = diagnose({
      phase: 'Pending',
      candidates: [
        { volume: 'pv-far', matches: false, reasons: ['storageClassName "slow" ≠ "fast"', 'capacity 1Gi < 5Gi', 'access mode RWX missing'] },
        { volume: 'pv-near', matches: false, reasons: ['capacity 4Gi < 5Gi'] },
        { volume: 'pv-other', matches: false, reasons: ['reserved for team-b/x', 'capacity 1Gi < 5Gi'] },
      ],
      hint: 'Create a 5Gi volume of class fast, or use a class with a provisioner.',
      causes: [{ code: 'NoMatchingVolume', message: 'no Available volume satisfies the claim', hint: 'Free or create a matching volume' }],
      extra: 'ignored',
    });
    const all = visible(m);
    expect(all).toContain('⏳ `team-a/data` is *Pending*: not bound to any volume yet.');
    expect(all).toContain('*NoMatchingVolume*: no Available volume satisfies the claim\n      💡 Free or create a matching volume');
    const near = all.indexOf('`pv-near`');
    const other = all.indexOf('`pv-other`');
    const far = all.indexOf('`pv-far`');
    expect(near).toBeGreaterThan(0);
    expect(near).toBeLessThan(other);
    expect(other).toBeLessThan(far);
    expect(all).toContain('✖️ `pv-near` does not match: capacity 4Gi &lt; 5Gi');
    expect(all).toContain('💡 Create a 5Gi volume of class fast');
    expect(m.text).toBe('team-a/data is Pending — NoMatchingVolume: no Available volume satisfies the claim (3 volumes considered, 0 match)');
  });

  it('shows at most five candidates, matching ones first, and counts the rest', () => {
    const candidates = Array.from({ length: 12 }, (_, i) => ({ volume: `pv-${String(i).padStart(2, '0')}`, matches: i === 11, reasons: i === 11 ? [] : ['capacity too small'] }));
    const m = diagnose({ phase: 'Pending', candidates, hint: 'wait for binding', causes: [] });
    const all = visible(m);
    expect(all).toContain('*Closest volumes* (12 considered):\n✅ `pv-11` matches');
    expect(all.match(/✖️/g)).toHaveLength(4);
    expect(all).toContain('… and 7 more volumes');
    expect(slackLimitViolations(m)).toEqual([]);
  });

  it('a Pending claim with no candidates and no causes still says what to do', () => {
    const m = diagnose({ phase: 'Pending', candidates: [], hint: 'The class provisions on first use: start a pod that mounts it.' });
    expect(visible(m)).toContain('No PersistentVolume was a candidate.');
    expect(m.text).toBe('team-a/data is Pending — The class provisions on first use: start a pod that mounts it. (0 volumes considered, 0 match)');
  });
});
