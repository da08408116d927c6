import { tenantCreateRequestSchema, type TenantCreateRequest } from '@bosun/contracts';
import { tenantNameErrors, tenantWarnings, validateTenantRequest } from './tenant-request.validation';

/** Every request below passes the contract's schema: these are the rules only the domain sees. */
const parse = (body: Record<string, unknown>): TenantCreateRequest => tenantCreateRequestSchema.parse({ name: 'team-a', ...body });

describe('validateTenantRequest', () => {
  it('accepts a complete, consistent request', () => {
    expect(validateTenantRequest(parse({
      quota: { cpu: '4', memory: '8Gi', pods: 20, storage: '100Gi', persistentVolumeClaims: '10' },
      limits: { defaultRequest: { cpu: '250m', memory: '256Mi' }, default: { cpu: '500m', memory: '512Mi' }, min: { memory: '64Mi' }, max: { cpu: '2', memory: '2Gi' } },
      members: [{ subject: 'user:alice', role: 'admin' }, { subject: 'group:devs', role: 'edit' }, { subject: 'serviceaccount:ci:deployer', role: 'edit' }],
    }))).toEqual([]);
  });

  it.each([
    // names: DNS labels, not kube-*, not the system namespaces (000:5031-5168, 004:2598-2645)
    [{ name: 'kube-tenant' }, 'name', 'Invalid value: "kube-tenant": the "kube-" prefix is reserved for Kubernetes system namespaces'],
    [{ name: 'kube-system' }, 'name', 'Invalid value: "kube-system": the "kube-" prefix is reserved for Kubernetes system namespaces'],
    [{ name: 'default' }, 'name', 'Invalid value: "default": "default" is a Kubernetes system namespace, not a tenant'],
    // LimitRange ordering (000:1095-1538)
    [{ limits: { max: { memory: '1Gi' }, default: { memory: '1536Mi' } } }, 'limits.default.memory', 'maximum memory usage per Container is 1Gi, but default limit is 1536Mi.'],
    [{ limits: { min: { cpu: '500m' }, defaultRequest: { cpu: '100m' } } }, 'limits.defaultRequest.cpu', 'minimum cpu usage per Container is 500m, but default request is 100m.'],
    [{ limits: { min: { memory: '2Gi' }, max: { memory: '1Gi' } } }, 'limits.min.memory', 'maximum memory usage per Container is 1Gi, but minimum is 2Gi.'],
    // members: subjects map to RBAC identities; one role each
    [{ members: [{ subject: 'user:alice', role: 'view' }, { subject: 'user:alice', role: 'edit' }] }, 'members.1.subject', 'Duplicate value: "user:alice"'],
    [{ members: [{ subject: 'serviceaccount:ci', role: 'view' }] }, 'members.0.subject', 'subject "serviceaccount:ci" must look like serviceaccount:NAMESPACE:NAME'],
    [{ members: [{ subject: 'serviceaccount:CI:bot', role: 'view' }] }, 'members.0.subject', 'subject "serviceaccount:CI:bot": namespace "CI" must be a DNS-1123 label'],
    [{ members: [{ subject: 'serviceaccount:ci:Bot', role: 'view' }] }, 'members.0.subject', 'subject "serviceaccount:ci:Bot": service account name "Bot" must be a DNS-1123 subdomain'],
  ])('%j → %s', (body, path, message) => {
    expect(validateTenantRequest(parse(body))).toEqual([{ path, message }]);
  });

  it('stands on its own for callers that skipped the schema', () => {
    const unchecked = {
      name: 'Team_A',
      quota: { cpu: 'lots', memory: '-1Gi', pods: 1.5, persistentVolumeClaims: 'ten' },
      limits: { max: { memory: 'big' } },
      members: [{ subject: 'alice', role: 'view' }, { subject: 'user:bob', role: 'owner' }],
    } as unknown as TenantCreateRequest;
    expect(validateTenantRequest(unchecked)).toEqual([
      { path: 'name', message: expect.stringContaining('Invalid value: "Team_A": a lowercase RFC 1123 label must consist of') },
      { path: 'quota.cpu', message: 'quantity "lots" is invalid: use a number with an optional suffix such as 100m, 0.5, 128Mi, 1G or 1e3' },
      { path: 'quota.memory', message: 'Invalid value: "-1Gi": must be greater than or equal to 0' },
      { path: 'quota.pods', message: 'Invalid value: 1.5: must be a whole number, 0 or more' },
      { path: 'quota.persistentVolumeClaims', message: 'Invalid value: "ten": must be a whole number, 0 or more' },
      { path: 'limits.max.memory', message: 'quantity "big" is invalid: use a number with an optional suffix such as 100m, 0.5, 128Mi, 1G or 1e3' },
      { path: 'members.0.subject', message: 'subject "alice" must look like user:NAME, group:NAME or serviceaccount:NAMESPACE:NAME' },
      { path: 'members.1.role', message: 'Unsupported value: "owner": supported values: "view", "edit", "admin"' },
    ]);
  });
});

describe('tenantNameErrors', () => {
  it.each([
    ['a'.repeat(63), []],
    ['a'.repeat(64), ['Invalid value: "' + 'a'.repeat(64) + '": must be no more than 63 characters']],
    ['', ['name is required']],
    [undefined, ['name is required']],
    ['-team', [expect.stringContaining('must start and end with an alphanumeric character')]],
    ['kubeflow', []],
    ['kube-public', ['Invalid value: "kube-public": the "kube-" prefix is reserved for Kubernetes system namespaces']],
    ['kube-node-lease', ['Invalid value: "kube-node-lease": the "kube-" prefix is reserved for Kubernetes system namespaces']],
  ])('%j', (name, messages) => {
    expect(tenantNameErrors(name).map((e) => e.message)).toEqual(messages);
  });
});

describe('tenantWarnings (quota without LimitRange defaults, 000:1185-1187)', () => {
  it.each([
    [{ quota: { cpu: '2', memory: '4Gi' } }, ['quota.cpu', 'quota.memory']],
    [{ quota: { cpu: '2', memory: '4Gi' }, limits: { default: { cpu: '500m' }, max: { memory: '1Gi' } } }, []],
    [{ quota: { memory: '4Gi' }, limits: { min: { memory: '64Mi' } } }, ['quota.memory']],
    [{ quota: { pods: 10 } }, []],
    [{}, []],
  ])('%j → %j', (body, paths) => {
    expect(tenantWarnings(parse(body)).map((w) => w.path)).toEqual(paths);
  });

  it('says what to do', () => {
    expect(tenantWarnings(parse({ quota: { cpu: '1' } }))).toEqual([
      { path: 'quota.cpu', message: 'pods that do not set cpu requests and limits will be refused by this quota; set limits.default.cpu so they get defaults' },
    ]);
  });
});
