import { admitContainer, defaultContainerLimits, limitRangeErrors } from './limit-range.rules';

// Seed: 000_409ae1060b5b12b2.txt, "configure default memory/CPU requests and limits" and
// "configure minimum and maximum memory/CPU constraints" (000:1095-1538).
const memDefaults = { default: { memory: '512Mi' }, defaultRequest: { memory: '256Mi' } }; // 000:1103-1112
const cpuDefaults = { default: { cpu: '1' }, defaultRequest: { cpu: '0.5' } }; // 000:1196-1205
const memMinMax = { max: { memory: '1Gi' }, min: { memory: '500Mi' } }; // 000:1288-1297
const cpuMinMax = { max: { cpu: '800m' }, min: { cpu: '200m' } }; // 000:1418-1427

describe('defaultContainerLimits (the apiserver defaulting of a Container item)', () => {
  it.each([
    ['default and defaultRequest given: kept (000:1103-1112)', memDefaults, { type: 'Container', ...memDefaults }],
    ['only min/max → default = defaultRequest = max (000:1302-1312)', memMinMax,
      { type: 'Container', default: { memory: '1Gi' }, defaultRequest: { memory: '1Gi' }, max: { memory: '1Gi' }, min: { memory: '500Mi' } }],
    ['only min/max, cpu (000:1432-1442)', cpuMinMax,
      { type: 'Container', default: { cpu: '800m' }, defaultRequest: { cpu: '800m' }, max: { cpu: '800m' }, min: { cpu: '200m' } }],
    ['only a default limit → defaultRequest = default', { default: { memory: '1Gi' } },
      { type: 'Container', default: { memory: '1Gi' }, defaultRequest: { memory: '1Gi' } }],
    ['only a min → defaultRequest = min, no default limit', { min: { cpu: '100m' } },
      { type: 'Container', defaultRequest: { cpu: '100m' }, min: { cpu: '100m' } }],
    ['a default limit wins over the max for the default request', { default: { cpu: '500m' }, max: { cpu: '1' } },
      { type: 'Container', default: { cpu: '500m' }, defaultRequest: { cpu: '500m' }, max: { cpu: '1' } }],
    ['each resource on its own', { max: { memory: '1Gi' }, default: { cpu: '1' } },
      { type: 'Container', default: { cpu: '1', memory: '1Gi' }, defaultRequest: { cpu: '1', memory: '1Gi' }, max: { memory: '1Gi' } }],
    ['nothing', {}, { type: 'Container' }],
  ])('%s', (_, limits, expected) => {
    expect(defaultContainerLimits(limits)).toEqual(expected);
  });
});

describe('admitContainer (the seed\'s pods)', () => {
  it.each([
    // default-mem-demo: no requests or limits → the LimitRange's defaults (000:1118-1135)
    [memDefaults, {}, { requests: { memory: '256Mi' }, limits: { memory: '512Mi' } }],
    // default-mem-demo-2: only a limit → the request equals the limit, not 256Mi (000:1143-1160)
    [memDefaults, { limits: { memory: '1Gi' } }, { requests: { memory: '1Gi' }, limits: { memory: '1Gi' } }],
    // default-mem-demo-3: only a request → the default limit (000:1165-1185)
    [memDefaults, { requests: { memory: '128Mi' } }, { requests: { memory: '128Mi' }, limits: { memory: '512Mi' } }],
    // default-cpu-demo: 500m and 1 (000:1211-1230)
    [cpuDefaults, {}, { requests: { cpu: '500m' }, limits: { cpu: '1' } }],
    // default-cpu-demo-2: limit 1 → request 1 (000:1234-1253)
    [cpuDefaults, { limits: { cpu: '1' } }, { requests: { cpu: '1' }, limits: { cpu: '1' } }],
    // default-cpu-demo-3: request 0.75 → 750m, limit 1 (000:1256-1276)
    [cpuDefaults, { requests: { cpu: '0.75' } }, { requests: { cpu: '750m' }, limits: { cpu: '1' } }],
    // constraints-mem-demo: 600Mi / 800Mi fits (000:1319-1340)
    [memMinMax, { requests: { memory: '600Mi' }, limits: { memory: '800Mi' } }, { requests: { memory: '600Mi' }, limits: { memory: '800Mi' } }],
    // constraints-mem-demo-4: nothing → 1Gi / 1Gi from the defaulted max (000:1385-1400)
    [memMinMax, {}, { requests: { memory: '1Gi' }, limits: { memory: '1Gi' } }],
    // constraints-cpu-demo: 500m / 800m fits (000:1450-1470)
    [cpuMinMax, { requests: { cpu: '500m' }, limits: { cpu: '800m' } }, { requests: { cpu: '500m' }, limits: { cpu: '800m' } }],
    // constraints-cpu-demo-4: nothing → 800m / 800m (000:1515-1530)
    [cpuMinMax, {}, { requests: { cpu: '800m' }, limits: { cpu: '800m' } }],
  ])('%j admits %j as %j', (limits, container, resources) => {
    expect(admitContainer(limits, container)).toEqual({ resources, errors: [] });
  });

  it.each([
    // constraints-mem-demo-2 (000:1347-1363)
    [memMinMax, { requests: { memory: '800Mi' }, limits: { memory: '1.5Gi' } }, 'maximum memory usage per Container is 1Gi, but limit is 1536Mi.'],
    // constraints-mem-demo-3 (000:1366-1382)
    [memMinMax, { requests: { memory: '100Mi' }, limits: { memory: '800Mi' } }, 'minimum memory usage per Container is 500Mi, but request is 100Mi.'],
    // constraints-cpu-demo-2 (000:1477-1493)
    [cpuMinMax, { requests: { cpu: '500m' }, limits: { cpu: '1.5' } }, 'maximum cpu usage per Container is 800m, but limit is 1500m.'],
    // constraints-cpu-demo-3 (000:1496-1512)
    [cpuMinMax, { requests: { cpu: '100m' }, limits: { cpu: '800m' } }, 'minimum cpu usage per Container is 200m, but request is 100m.'],
  ])('%j forbids %j: %s', (limits, container, message) => {
    expect(admitContainer(limits, container).errors).toEqual([message]);
  });

  it('reports both bounds of both resources', () => {
    const admission = admitContainer({ ...memMinMax, ...{ max: { memory: '1Gi', cpu: '800m' }, min: { memory: '500Mi', cpu: '200m' } } }, {
      requests: { cpu: '100m', memory: '100Mi' }, limits: { cpu: '1', memory: '2Gi' },
    });
    expect(admission.errors).toEqual([
      'minimum cpu usage per Container is 200m, but request is 100m.',
      'maximum cpu usage per Container is 800m, but limit is 1.',
      'minimum memory usage per Container is 500Mi, but request is 100Mi.',
      'maximum memory usage per Container is 1Gi, but limit is 2Gi.',
    ]);
  });
});

describe('limitRangeErrors (min ≤ defaultRequest ≤ default ≤ max)', () => {
  it.each([
    [{ min: { memory: '2Gi' }, max: { memory: '1Gi' } }, 'limits.min.memory', 'maximum memory usage per Container is 1Gi, but minimum is 2Gi.'],
    [{ min: { memory: '500Mi' }, defaultRequest: { memory: '100Mi' } }, 'limits.defaultRequest.memory', 'minimum memory usage per Container is 500Mi, but default request is 100Mi.'],
    [{ defaultRequest: { cpu: '2' }, max: { cpu: '1' } }, 'limits.defaultRequest.cpu', 'maximum cpu usage per Container is 1, but default request is 2.'],
    [{ defaultRequest: { memory: '1Gi' }, default: { memory: '512Mi' } }, 'limits.defaultRequest.memory', 'default memory limit per Container is 512Mi, but default request is 1Gi.'],
    [{ min: { cpu: '1' }, default: { cpu: '500m' } }, 'limits.default.cpu', 'minimum cpu usage per Container is 1, but default limit is 500m.'],
    [{ default: { memory: '1.5Gi' }, max: { memory: '1Gi' } }, 'limits.default.memory', 'maximum memory usage per Container is 1Gi, but default limit is 1536Mi.'],
    // compared exactly: 1Gi is more than 1G
    [{ default: { memory: '1Gi' }, max: { memory: '1G' } }, 'limits.default.memory', 'maximum memory usage per Container is 1G, but default limit is 1Gi.'],
    [{ max: { cpu: 'lots' } }, 'limits.max.cpu', 'quantity "lots" is invalid: use a number with an optional suffix such as 100m, 0.5, 128Mi, 1G or 1e3'],
  ])('%j → %s', (limits, path, message) => {
    expect(limitRangeErrors(limits)).toEqual([{ path, message }]);
  });

  it.each([[memDefaults], [cpuDefaults], [memMinMax], [cpuMinMax], [{ min: { cpu: '1' }, defaultRequest: { cpu: '1000m' }, default: { cpu: '1' }, max: { cpu: '1' } }], [undefined]])(
    'accepts %j', (limits) => {
      expect(limitRangeErrors(limits)).toEqual([]);
    });

  it('reports every broken pair once, against the request path', () => {
    expect(limitRangeErrors({ min: { memory: '2Gi' }, default: { memory: '1Gi' }, max: { memory: '1Gi' } }, 'body.limits').map((e) => e.path))
      .toEqual(['body.limits.min.memory', 'body.limits.default.memory']);
  });
});
