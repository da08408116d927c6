import * as storage from './index';

describe('@bosun/storage-domain public API', () => {
  it('exports the use-case entry points and nothing framework-bound', () => {
    for (const name of [
      'prepareVolumes', 'prepareClaim', 'mismatchReasons', 'findMatchingVolume', 'chooseVolume', 'diagnoseClaim',
      'defaultClassState', 'planDefaultClassSwitch', 'reclaimOutcome', 'isVolumeReleased', 'planRelease', 'findOrphans',
      'validateVolumeRequest', 'validateClaimRequest', 'validateExpansion', 'buildVolumeManifest', 'buildClaimManifest', 'reclaimPolicyPatch',
      'newClaimAdmission', 'expansionAdmission', 'decideProvisioning', 'buildLocalPathVolume', 'provisioningEvent',
      'provisioningSucceededEvent', 'provisioningFailedEvent', 'decideLocalPathReclaim', 'planLocalPathExpansion',
    ]) {
      expect(typeof (storage as Record<string, unknown>)[name]).toBe('function');
    }
    expect(storage.LOCAL_PATH_PROVISIONER).toBe('bosun.dev/local-path');
  });
});
