import fc from 'fast-check';
import { DEFAULT_LINEAR, ladderReplicas, linearReplicas, proportionalReplicas } from './proportional.scaler';

describe('linear mode: max(ceil(cores / coresPerReplica), ceil(nodes / nodesPerReplica)) (000:4583-4584)', () => {
  it.each([
    // the DNS autoscaler's defaults {"coresPerReplica":256,"nodesPerReplica":16,"min":1} (000:4543-4545)
    [1, 2, DEFAULT_LINEAR, 1],
    [16, 64, DEFAULT_LINEAR, 1],
    [17, 64, DEFAULT_LINEAR, 2],
    [100, 400, DEFAULT_LINEAR, 7], // ceil(100/16) = 7 > ceil(400/256) = 2: small nodes, nodesPerReplica dominates
    [10, 2560, DEFAULT_LINEAR, 10], // large nodes: coresPerReplica dominates
    [0, 0, DEFAULT_LINEAR, 1], // min 1
    [0, 0, { coresPerReplica: 256, nodesPerReplica: 16, min: 0 }, 1], // min 0 is forced to 1 in linear mode
    [100, 400, { coresPerReplica: 256, nodesPerReplica: 16, max: 5 }, 5],
    [1, 4, { coresPerReplica: 256, nodesPerReplica: 16, min: 3 }, 3],
    // preventSinglePointFailure: 2 as soon as there are 2 nodes, even past max (upstream applies it after the clamp)
    [2, 8, { coresPerReplica: 256, nodesPerReplica: 16, preventSinglePointFailure: true }, 2],
    [1, 8, { coresPerReplica: 256, nodesPerReplica: 16, preventSinglePointFailure: true }, 1],
    [3, 8, { coresPerReplica: 256, nodesPerReplica: 16, max: 1, preventSinglePointFailure: true }, 2],
    // only one ratio given: the other dimension asks for 1
    [50, 10, { nodesPerReplica: 10 }, 5],
    [50, 10, { coresPerReplica: 2 }, 5],
  ])('%d nodes, %d cores, %j → %d', (nodes, cores, params, expected) => {
    expect(linearReplicas(nodes, cores, params)).toBe(expected);
  });

  it('defaults to the seed parameters when neither mode is given', () => {
    expect(proportionalReplicas({ nodes: 100, cores: 400 })).toEqual({ replicas: 7 });
  });

  it('with the defaults: at least 1, and exactly the larger ceiling (property)', () => {
    fc.assert(fc.property(fc.nat(100_000), fc.nat(1_000_000), (nodes, cores) => {
      const replicas = linearReplicas(nodes, cores, DEFAULT_LINEAR);
      expect(replicas).toBe(Math.max(1, Math.ceil(cores / 256), Math.ceil(nodes / 16)));
    }));
  });

  it('never decreases as the cluster grows (property)', () => {
    fc.assert(fc.property(fc.nat(10_000), fc.nat(10_000), fc.nat(100), fc.nat(100), (nodes, cores, moreNodes, moreCores) => {
      expect(linearReplicas(nodes + moreNodes, cores + moreCores, DEFAULT_LINEAR)).toBeGreaterThanOrEqual(linearReplicas(nodes, cores, DEFAULT_LINEAR));
    }));
  });
});

describe('ladder mode: the largest step ≤ value, the max of cores and nodes', () => {
  // the cluster-proportional-autoscaler README's example ladder
  const ladder = { coresToReplicasMap: [[1, 1], [64, 3], [512, 5], [1024, 7], [2048, 10], [4096, 15]] as [number, number][], nodesToReplicasMap: [[1, 1], [2, 2]] as [number, number][] };
  it.each([
    [1, 1, 1], [2, 1, 2], [1, 64, 3], [1, 100, 3], [10, 511, 3], [10, 512, 5], [10, 5000, 15], [100, 63, 2],
    [0, 0, 1], // below the first step: the first step's replicas (upstream's binary search)
  ])('%d nodes, %d cores → %d', (nodes, cores, expected) => {
    expect(ladderReplicas(nodes, cores, ladder)).toBe(expected);
  });

  it('sorts the steps and takes no steps as 0', () => {
    expect(ladderReplicas(5, 100, { coresToReplicasMap: [[64, 3], [1, 1]] })).toBe(3);
    expect(ladderReplicas(5, 100, {})).toBe(0);
    expect(proportionalReplicas({ nodes: 2, cores: 100, ladder })).toEqual({ replicas: 3 });
  });

  it('is one of the step values and never decreases with the cluster (property)', () => {
    const steps = fc.array(fc.tuple(fc.nat(5000), fc.nat(50)), { minLength: 1, maxLength: 8 });
    fc.assert(fc.property(steps, fc.nat(6000), fc.nat(100), (coreSteps, cores, more) => {
      const monotone = [...coreSteps].sort((a, b) => a[0] - b[0]).map(([t], i, all) => [t, i + all.length] as [number, number]);
      const replicas = ladderReplicas(0, cores, { coresToReplicasMap: coreSteps });
      expect(coreSteps.map(([, r]) => r)).toContain(replicas);
      expect(ladderReplicas(0, cores + more, { coresToReplicasMap: monotone })).toBeGreaterThanOrEqual(ladderReplicas(0, cores, { coresToReplicasMap: monotone }));
    }));
  });
});
