import * as api from './index';

describe('public API', () => {
  it('exports the functions the deployer service uses, and nothing from the spec helpers', () => {
    const functions = Object.entries(api).filter(([, v]) => typeof v === 'function').map(([k]) => k).sort();
    expect(functions).toEqual([
      'buildDeploymentManifest', 'defaultPullPolicy', 'diagnose', 'findCondition', 'history', 'imagesOf',
      'labelsFor', 'newReplicaSet', 'ownedReplicaSets', 'parseImageReference', 'pausePatch', 'planRollback',
      'recreateStrategyPatch', 'resolveImage', 'restartPatch', 'revisionOf', 'rolloutStatus', 'setImagePatch', 'templatesEqual',
      'toDeploymentView', 'toIso', 'validateDeployRequest', 'withoutTemplateHash',
    ]);
  });
});
