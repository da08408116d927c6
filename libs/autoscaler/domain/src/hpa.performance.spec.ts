import { cpu, external, hpa, samples } from './hpa.fixtures';
import { recommendReplicas } from './hpa.recommender';

// The recommendation runs on every evaluation of every autoscaler, and simulate replays
// thousands of them. In plain Node 10,000 calls of this input take ≈ 2–5 ms (the goal is
// < 50 ms); Jest's sandbox makes global lookups ~10× slower, so the bound here only catches
// a pathological regression (a parse or an allocation per pod gone quadratic).

const inputs = [
  hpa(3, [cpu(50, samples([80, 90, 70]))], { maxReplicas: 10, history: { recommendations: [{ at: '2026-12-01T19:58:00Z', replicas: 3 }] } }),
  hpa(8, [cpu(50, samples(Array(8).fill(25))), external('jobs', 'AverageValue', 30, '120')], {
    behavior: { scaleDown: { stabilizationWindowSeconds: 60, policies: [{ type: 'Percent', value: 10, periodSeconds: 60 }] } },
    history: { recommendations: [{ at: '2026-12-01T19:59:30Z', replicas: 8 }], scaleDownEvents: [{ at: '2026-12-01T19:59:00Z', change: 1 }] },
  }),
];

it('10,000 recommendations stay far below a second', () => {
  for (let i = 0; i < 20_000; i++) recommendReplicas(inputs[i % 2]);
  const start = process.hrtime.bigint();
  for (let i = 0; i < 10_000; i++) recommendReplicas(inputs[i % 2]);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  expect(ms).toBeLessThan(400);
});
