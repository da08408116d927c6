import * as domain from './index';

describe('@bosun/dns-inspector-domain public API', () => {
  it('exports the entry points the service uses', () => {
    for (const name of ['planQueries', 'buildResolvConf', 'parseResolvConf', 'expectedRecords', 'podRecords', 'compareRecords', 'parseCorefile', 'lintCorefile', 'runChecklist', 'explainLookup', 'planLookup']) {
      expect(typeof (domain as Record<string, unknown>)[name]).toBe('function');
    }
    expect(domain.COREDNS_VERSION).toBe('v1.14.7');
    expect(domain.CHECKLIST).toHaveLength(7);
  });
});
