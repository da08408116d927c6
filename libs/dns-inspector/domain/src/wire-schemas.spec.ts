// The contracts' schemas (libs/shared/contracts/src/dns-inspector.ts) against this domain's
// outputs and against bad bodies: every error names its field path.
import {
  corefileLintRequestSchema, corefileLintResultSchema, dnsChecksRequestSchema, dnsChecksResultSchema, dnsLookupRequestSchema,
  dnsLookupResultSchema, queryPlanRequestSchema, resolvConfRequestSchema, resolvConfResultSchema, serviceRecordsParamsSchema,
  serviceRecordsResultSchema, toFieldErrors,
} from '@bosun/contracts';
import { healthy } from './checklist.fixtures';
import { runChecklist } from './checklist.judges';
import { KUBEADM_COREFILE, SEED_PROXY_COREFILE } from './corefile.fixtures';
import { lintCorefile } from './corefile.linter';
import { explainLookup } from './lookup.explainer';
import { compareRecords } from './records.compare';
import { buildResolvConf } from './resolv-conf.builder';
import { valueOf } from '@bosun/testing';
import { expectedRecords } from './service-records';
import { service, port } from './kube.fixtures';

// Structural, so that this domain never imports zod itself.
interface Schema { safeParse(body: unknown): { success: boolean; error?: unknown } }
const paths = (schema: Schema, body: unknown): string[] => {
  const parsed = schema.safeParse(body);
  return parsed.success ? [] : toFieldErrors(parsed.error as Parameters<typeof toFieldErrors>[0]).map((e) => e.path);
};

describe('request schemas name the field of each error', () => {
  it.each([
    [dnsChecksRequestSchema, { namespace: 'Default' }, ['namespace']],
    [dnsChecksRequestSchema, { service: 'a_b' }, ['service']],
    [dnsChecksRequestSchema, { extra: 1 }, ['(body)']],
    [resolvConfRequestSchema, { namespace: 'default', dnsPolicy: 'ClusterFirts' }, ['dnsPolicy']],
    [resolvConfRequestSchema, { namespace: 'default', dnsConfig: { nameservers: ['10.0.0.300'] } }, ['dnsConfig.nameservers.0']],
    [resolvConfRequestSchema, { namespace: 'default', dnsConfig: { options: [{ value: '2' }] } }, ['dnsConfig.options.0.name']],
    [resolvConfRequestSchema, { namespace: 'default', clusterDNS: ['x'] }, ['clusterDNS.0']],
    [resolvConfRequestSchema, { namespace: 'default', clusterDNS: 'x' }, ['clusterDNS.0']],
    [queryPlanRequestSchema, { name: '', searches: [], ndots: 5 }, ['name']],
    [queryPlanRequestSchema, { name: 'a', searches: [''], ndots: -1 }, ['searches.0', 'ndots']],
    [corefileLintRequestSchema, {}, ['corefile']],
    [dnsLookupRequestSchema, { namespace: 'default', name: 'x', type: 'MX' }, ['type']],
    [serviceRecordsParamsSchema, { ns: 'default', name: 'Web' }, ['name']],
  ])('%#: %j', (schema, body, expected) => {
    expect(paths(schema as Schema, body)).toEqual(expected);
  });

  it('accepts the bodies of API.md', () => {
    expect(paths(dnsChecksRequestSchema, {})).toEqual([]);
    expect(paths(resolvConfRequestSchema, { namespace: 'default', dnsPolicy: 'None', dnsConfig: { nameservers: ['1.2.3.4', 'fd00::1'], searches: ['a.example'], options: [{ name: 'ndots', value: '2' }] }, hostNetwork: true, node: { nameservers: ['10.0.0.2'] }, clusterDomain: 'cluster.local', clusterDNS: ['10.96.0.10'] })).toEqual([]);
    expect(resolvConfRequestSchema.parse({ namespace: 'default', clusterDNS: '10.96.0.10' }).clusterDNS).toEqual(['10.96.0.10']);
    expect(paths(queryPlanRequestSchema, { name: 'kubernetes.default', searches: ['default.svc.cluster.local'], ndots: 5 })).toEqual([]);
    expect(paths(corefileLintRequestSchema, { corefile: KUBEADM_COREFILE })).toEqual([]);
    expect(paths(dnsLookupRequestSchema, { namespace: 'default', name: 'www.example.com', type: 'AAAA', dnsPolicy: 'ClusterFirst' })).toEqual([]);
  });
});

describe('domain outputs fit the response schemas', () => {
  it('checks, resolv.conf, records, lint findings and lookups', () => {
    expect(paths(dnsChecksResultSchema, { checks: runChecklist(healthy()) })).toEqual([]);
    expect(paths(resolvConfResultSchema, valueOf(buildResolvConf({ namespace: 'default', clusterDNS: ['10.0.0.10'] })))).toEqual([]);
    const expected = valueOf(expectedRecords(service('web', { clusterIP: '10.0.0.7', ports: [port(80, 'http')] })));
    expect(paths(serviceRecordsResultSchema, { expected, observed: [], mismatches: compareRecords(expected, []) })).toEqual([]);
    expect(paths(corefileLintResultSchema, { findings: valueOf(lintCorefile(SEED_PROXY_COREFILE)) })).toEqual([]);
    expect(paths(dnsLookupResultSchema, explainLookup('x', [{ name: 'x.', rcode: 'NOERROR', answers: ['1.2.3.4'], ms: 3 }]))).toEqual([]);
  });
});
