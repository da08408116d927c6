import { STORAGE_ACTIONS, STORAGE_COMMAND_SCHEMAS, STORAGE_QUERIES, STORAGE_QUERY_SCHEMAS, commandSubject, toFieldErrors } from '@bosun/contracts';
import { validateClaimRequest, validateVolumeRequest } from '@bosun/storage-domain';

// The contract the gateway and chat build on: every action has a schema and a subject, every
// query a params schema, and bad input names its field.
const paths = (action: keyof typeof STORAGE_COMMAND_SCHEMAS, body: unknown): string[] => {
  const r = STORAGE_COMMAND_SCHEMAS[action].safeParse(body);
  return r.success ? [] : toFieldErrors(r.error).map((e) => e.path);
};

describe('storage contract', () => {
  it('has a schema and a v1 subject for every action, and a params schema for every query', () => {
    expect(Object.values(STORAGE_ACTIONS).map((a) => commandSubject('storage', a))).toEqual([
      'bosun.cmd.storage.set-default-class.v1', 'bosun.cmd.storage.create-volume.v1', 'bosun.cmd.storage.patch-volume.v1',
      'bosun.cmd.storage.release-volume.v1', 'bosun.cmd.storage.create-claim.v1', 'bosun.cmd.storage.expand-claim.v1',
    ]);
    expect(Object.keys(STORAGE_COMMAND_SCHEMAS).sort()).toEqual(Object.values(STORAGE_ACTIONS).sort());
    expect(Object.keys(STORAGE_QUERY_SCHEMAS).sort()).toEqual(Object.values(STORAGE_QUERIES).sort());
  });

  it('names the bad fields: names, sizes, access modes, reclaim policy', () => {
    expect(paths('create-claim', { namespace: 'Team A', name: 'data_1', size: 'big', accessModes: ['RWO'] })).toEqual(['namespace', 'name', 'size', 'accessModes.0']);
    expect(paths('create-volume', { name: 'pv', capacity: '1Gi', accessModes: [], storageClassName: 'UPPER' })).toEqual(['accessModes', 'storageClassName']);
    expect(paths('patch-volume', { name: 'pv', reclaimPolicy: 'Keep' })).toEqual(['reclaimPolicy']);
    expect(paths('expand-claim', { namespace: 'ns', name: 'data' })).toEqual(['size']);
    expect(paths('set-default-class', {})).toEqual(['name']);
  });

  it('the handlers\' domain rules catch what the schemas cannot (zero sizes, ReadWriteOncePod with others)', () => {
    expect(validateClaimRequest({ namespace: 'ns', name: 'd', size: '0', accessModes: ['ReadWriteOncePod', 'ReadWriteOnce'] }).map((e) => e.path)).toEqual(['size', 'accessModes']);
    expect(validateVolumeRequest({ name: 'pv', capacity: '1Gi', accessModes: ['ReadWriteOnce'], storageClassName: '', hostPath: { path: '/a/../b' } }).map((e) => e.path)).toEqual(['hostPath.path']);
  });
});
