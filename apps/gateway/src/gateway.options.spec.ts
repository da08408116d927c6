import { loadConfig } from '@bosun/config';
import { gatewayOptionsFrom } from './gateway.options';

describe('gatewayOptionsFrom', () => {
  it('takes the reconciler settings from BOSUN_RECONCILE_*', () => {
    const config = loadConfig('gateway', { BOSUN_RECONCILE_INTERVAL_SECONDS: '5', BOSUN_RECONCILE_AFTER_SECONDS: '60' });
    expect(gatewayOptionsFrom(config)).toEqual({ reconciler: { intervalSeconds: 5, afterSeconds: 60 } });
  });
  it('defaults: every 30 s, operations unchanged for 120 s', () => {
    expect(gatewayOptionsFrom(loadConfig('gateway', {})).reconciler).toEqual({ intervalSeconds: 30, afterSeconds: 120 });
  });
});
