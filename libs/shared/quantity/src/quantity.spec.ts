import {
  addQuantities, compareQuantities, formatQuantity, fromMilli, milliValue, parseQuantity, subtractQuantities, wholeValue, type Quantity, type QuantityResult,
} from './quantity';

const valueOf = (r: QuantityResult): Quantity => {
  if (!r.ok) throw new Error(`expected a quantity, got ${JSON.stringify(r.errors)}`);
  return r.value;
};
const errorsOf = (r: QuantityResult): unknown[] => {
  if (r.ok) throw new Error(`expected errors, got ${JSON.stringify(r.value)}`);
  return r.errors;
};
const q = (text: string): Quantity => valueOf(parseQuantity(text));

describe('parseQuantity', () => {
  it.each([
    // 000:6302-6305: 100m = 100 millicpu = 0.1 CPU
    ['100m', 0.1],
    ['0.1', 0.1],
    ['0.5', 0.5],
    ['1', 1],
    ['400m', 0.4],
    // 000:5897-5898: E P T G M K Ei Pi Ti Gi Mi Ki, and the e-notation
    ['128974848', 128974848],
    ['129e6', 129e6],
    ['129M', 129e6],
    ['123Mi', 123 * 2 ** 20],
    ['128Mi', 134217728],
    ['1Gi', 1073741824],
    ['1G', 1e9],
    ['1e3', 1000],
    ['1E3', 1000],
    ['5e-3', 0.005],
    ['1k', 1000],
    ['1Ki', 1024],
    ['2T', 2e12],
    ['1Ti', 2 ** 40],
    ['1P', 1e15],
    ['1E', 1e18],
    ['1Ei', 2 ** 60],
    ['.5', 0.5],
    ['1.', 1],
    ['+1', 1],
    ['-1', -1],
    ['1.5Gi', 1.5 * 2 ** 30],
    ['0', 0],
  ])('%s = %d', (text, value) => {
    expect(q(text).value).toBeCloseTo(value, 9);
  });

  // '1K': 000:5897 lists K among the suffixes, but the API server only knows lower-case k for 10^3.
  it.each(['', 'abc', '1Mb', '1 Gi', ' 1', '1e', 'm', 'Mi', '1.2.3', '1mi', '1e999', '0x10', '1K'])('rejects %j', (text) => {
    expect(errorsOf(parseQuantity(text, 'resources.limits.cpu'))).toEqual([
      { path: 'resources.limits.cpu', message: expect.stringContaining(`quantity "${text}"`) },
    ]);
  });
});

describe('compareQuantities', () => {
  it.each([
    ['100m', '0.1', 0],
    ['1', '1000m', 0],
    ['1.5', '1500m', 0],
    ['500m', '1', -1],
    ['2', '1', 1],
    ['1Gi', '1073741824', 0],
    ['1Gi', '1G', 1],
    // 000:5897-5898 says 128974848, 129e6, 129M and 123Mi are "roughly" the same: exactly, they are not
    ['128974848', '123Mi', 0],
    ['129e6', '129M', 0],
    ['129M', '123Mi', 1],
    ['1e3', '1k', 0],
    ['1Ki', '1k', 1],
    ['0.5Gi', '512Mi', 0],
    ['1E', '1Ei', -1],
    ['1m', '0.001', 0],
    ['-1', '0', -1],
  ])('%s vs %s → %d', (a, b, expected) => {
    expect(compareQuantities(q(a), q(b))).toBe(expected);
    expect(compareQuantities(q(b), q(a))).toBe(-expected || 0);
  });

  it('is a total order over mixed spellings (antisymmetric, transitive)', () => {
    const values = ['0', '1m', '100m', '0.5', '512Mi', '0.5Gi', '1', '1k', '1Ki', '1e3', '1M', '1Mi', '1G', '1Gi', '1T'].map(q);
    const pairs = values.flatMap((a) => values.map((b) => [a, b] as const));
    for (const [a, b] of pairs) expect(compareQuantities(a, b)).toBe(-compareQuantities(b, a) || 0);
    const triples = pairs.flatMap(([a, b]) => values.map((c) => [a, b, c] as const));
    const chained = triples.filter(([a, b, c]) => compareQuantities(a, b) <= 0 && compareQuantities(b, c) <= 0);
    expect(chained.length).toBeGreaterThan(values.length);
    for (const [a, , c] of chained) expect(compareQuantities(a, c)).toBeLessThanOrEqual(0);
  });
});

describe('arithmetic and rounding', () => {
  it('adds and subtracts exactly across spellings', () => {
    expect(compareQuantities(addQuantities(q('100m'), q('0.9'), q('1Ki')), q('1025'))).toBe(0);
    expect(compareQuantities(subtractQuantities(q('1Gi'), q('512Mi')), q('0.5Gi'))).toBe(0);
    expect(addQuantities().value).toBe(0);
  });

  it.each([
    ['100m', 100n, 1n],
    ['1.5', 1500n, 2n],
    ['1.0001m', 2n, 1n],
    ['250m', 250n, 1n],
    ['1Gi', 1073741824000n, 1073741824n],
    ['0', 0n, 0n],
    ['3', 3000n, 3n],
  ])('%s: milli %s, whole %s (rounded up like MilliValue/Value)', (text, milli, whole) => {
    expect(milliValue(q(text))).toBe(milli);
    expect(wholeValue(q(text))).toBe(whole);
  });

  it.each([
    ['1536Mi', '1536Mi'], ['1.5Gi', '1536Mi'], ['1Gi', '1Gi'], ['1500m', '1500m'], ['2', '2'], ['2000', '2k'], ['1e9', '1G'],
    ['100m', '100m'], ['0.1m', '0.0001'], ['0', '0'], ['128', '128'], ['-1', '-1'],
  ])('formats %s as %s, and it parses back to the same value', (text, shown) => {
    expect(formatQuantity(q(text))).toBe(shown);
    expect(compareQuantities(q(formatQuantity(q(text))), q(text))).toBe(0);
  });

  it('fromMilli is the inverse of milliValue for whole thousandths', () => {
    expect(milliValue(fromMilli(1234n))).toBe(1234n);
    expect(formatQuantity(fromMilli(1500n))).toBe('1500m');
  });
});
