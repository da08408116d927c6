import { loadConfig } from '@bosun/config';
import { gatewayOptionsFrom } from './gateway.options';

describe('gatewayOptionsFrom', () => {
  it('takes the reconciler settings from the config once it has them', () => {
    expect(gatewayOptionsFrom({ reconcileIntervalSeconds: 5, reconcileAfterSeconds: 60 })).toEqual({ reconciler: { intervalSeconds: 5, afterSeconds: 60 } });
  });
  it('leaves the defaults to the reconciler otherwise', () => {
    expect(gatewayOptionsFrom(loadConfig('gateway', {})).reconciler).toEqual({ intervalSeconds: undefined, afterSeconds: undefined });
  });
});
