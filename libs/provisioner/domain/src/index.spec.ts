import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as api from './index';

describe('public API', () => {
  it('exports the functions the provisioner service uses, and nothing from the spec helpers', () => {
    const functions = Object.entries(api).filter(([, v]) => typeof v === 'function').map(([k]) => k).sort();
    expect(functions).toEqual([
      'admitContainer', 'apiServerEndpoint', 'bootstrapTokenSecret', 'budgetCounts', 'budgetMessage', 'buildKubeconfig', 'buildTenantManifests',
      'certificateDer', 'computeBudget', 'controllerOf', 'cordonPatch', 'countHealthyPods', 'credentialAccess', 'credentialServiceAccountName',
      'decodeBase64', 'defaultContainerLimits', 'desiredHealthyOf', 'discoveryTokenCaCertHash', 'encodeBase64', 'encodeBase64Text',
      'evictionFor', 'expectedScale', 'filterPod', 'findController', 'fromRbacSubject', 'generateBootstrapToken', 'hasLocalStorage', 'isEmptySelector', 'isFinished',
      'isMirror', 'isReady', 'isTenantNamespace', 'isTerminating', 'joinCommand', 'limitRangeErrors', 'memberBindingName', 'nodeDetails', 'nodeView', 'parseBootstrapToken',
      'parseEvictionRefusal', 'planCredentials', 'planDrain', 'podKey', 'podsOfBudget', 'podsPerNode', 'quotaHard', 'quotaView', 'randomTokenString',
      'rfc3339', 'roleBinding', 'scaledValueFromIntOrPercent', 'selectorMatches', 'serviceAccount', 'serviceAccountBindingName',
      'serviceAccountUser', 'spkiHash', 'subjectPublicKeyInfo', 'tenantApplyOrder', 'tenantLabels', 'tenantMembers', 'tenantNameErrors', 'tenantView', 'tenantWarnings',
      'toRbacSubject', 'tokenExpiration', 'validateTenantRequest',
    ]);
  });

  it('stays pure: no Node built-ins, no zod, no I/O libraries outside the specs', () => {
    const sources = readdirSync(__dirname).filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'));
    const imports = sources.flatMap((f) => [...readFileSync(join(__dirname, f), 'utf8').matchAll(/from '([^']+)'/g)].map((m) => m[1]));
    const external = [...new Set(imports.filter((i) => !i.startsWith('.')))].sort();
    expect(external.every((i) => ['@bosun/contracts', '@bosun/quantity'].includes(i) || i.startsWith('kubernetes-types/'))).toBe(true);
  });
});
