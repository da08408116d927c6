import fc from 'fast-check';
import { planQueries } from './query.plan';
import { errorsOf, valueOf } from '@bosun/testing';

const POD_SEARCH = ['default.svc.cluster.local', 'svc.cluster.local', 'cluster.local'];
const plan = (name: string, ndots = 5, searches = POD_SEARCH): string[] => valueOf(planQueries({ name, searches, ndots })).queries;

describe('planQueries: the order a pod resolver tries names in (004:2209-2222)', () => {
  it.each([
    // 004:2218-2219: `example` → example.default.svc.cluster.local, then svc…, then cluster.local
    ['example', 5, ['example.default.svc.cluster.local.', 'example.svc.cluster.local.', 'example.cluster.local.', 'example.']],
    // 000:17474-17477: hostnames.default has 1 dot < 5, so the search list still comes first
    ['hostnames.default', 5, ['hostnames.default.default.svc.cluster.local.', 'hostnames.default.svc.cluster.local.', 'hostnames.default.cluster.local.', 'hostnames.default.']],
    // 4 dots < ndots 5: still relative
    ['a.b.c.d.e', 5, ['a.b.c.d.e.default.svc.cluster.local.', 'a.b.c.d.e.svc.cluster.local.', 'a.b.c.d.e.cluster.local.', 'a.b.c.d.e.']],
    // exactly ndots dots: tried as is first (004:2222 "至少 5 个点")
    ['a.b.c.d.e.f', 5, ['a.b.c.d.e.f.', 'a.b.c.d.e.f.default.svc.cluster.local.', 'a.b.c.d.e.f.svc.cluster.local.', 'a.b.c.d.e.f.cluster.local.']],
    // ndots:2 (a common dnsConfig) makes www.example.com absolute first
    ['www.example.com', 2, ['www.example.com.', 'www.example.com.default.svc.cluster.local.', 'www.example.com.svc.cluster.local.', 'www.example.com.cluster.local.']],
    ['www.example.com', 3, ['www.example.com.default.svc.cluster.local.', 'www.example.com.svc.cluster.local.', 'www.example.com.cluster.local.', 'www.example.com.']],
    // ndots:0: everything is as-is first
    ['kubernetes', 0, ['kubernetes.', 'kubernetes.default.svc.cluster.local.', 'kubernetes.svc.cluster.local.', 'kubernetes.cluster.local.']],
  ])('%s with ndots:%i', (name, ndots, expected) => {
    expect(plan(name, ndots)).toEqual(expected);
  });

  it('a trailing dot makes the name absolute: one query, no search list', () => {
    expect(plan('kubernetes.default.svc.cluster.local.')).toEqual(['kubernetes.default.svc.cluster.local.']);
    expect(valueOf(planQueries({ name: 'x.', searches: POD_SEARCH, ndots: 5 })).asIsFirst).toBe(true);
  });

  it('an empty search list leaves the name as is', () => {
    expect(plan('db', 5, [])).toEqual(['db.']);
  });

  it('caps ndots at 15, as glibc does', () => {
    expect(plan('a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p', 99, ['x'])).toEqual(['a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.', 'a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.x.']);
  });

  it('a search domain written with a trailing dot is the same suffix', () => {
    expect(plan('db', 5, ['corp.example.'])).toEqual(['db.corp.example.', 'db.']);
  });

  it('"." in the search list is the name as is, at its place, and not sent twice (kubelet --resolv-conf "")', () => {
    expect(plan('db', 5, ['a.example', '.', 'b.example'])).toEqual(['db.a.example.', 'db.', 'db.b.example.']);
    expect(plan('a.b', 1, ['.', 'x'])).toEqual(['a.b.', 'a.b.x.']);
  });

  it('does not send a suffixed name longer than 253 characters', () => {
    const long = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(50)}`;
    expect(plan(long, 5, ['cluster.local'])).toEqual([`${long}.`]);
  });
});

describe('planQueries: bad input is field errors', () => {
  it.each([
    ['a name over 253 characters', { name: `${'a.'.repeat(127)}ab`, searches: [], ndots: 5 }, 'name', /no more than 253 characters \(got 256\)/],
    ['a label over 63 characters', { name: `${'x'.repeat(64)}.example`, searches: [], ndots: 5 }, 'name', /no more than 63 characters \(got 64\)/],
    ['an empty label', { name: 'a..b', searches: [], ndots: 5 }, 'name', /label 2 is empty/],
    ['an empty name', { name: '', searches: [], ndots: 5 }, 'name', /must not be empty/],
    ['a bad search domain', { name: 'db', searches: ['ok.example', `${'y'.repeat(64)}.example`], ndots: 5 }, 'searches.1', /63 characters/],
    ['a negative ndots', { name: 'db', searches: [], ndots: -1 }, 'ndots', /0 or more/],
    ['a fractional ndots', { name: 'db', searches: [], ndots: 1.5 }, 'ndots', /integer/],
  ])('%s', (_what, input, path, message) => {
    const errors = errorsOf(planQueries(input));
    expect(errors).toEqual([expect.objectContaining({ path, message: expect.stringMatching(message) })]);
  });

  it('253 characters and 63-character labels are fine', () => {
    const name = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`;
    expect(name).toHaveLength(253);
    expect(plan(name, 5, [])).toEqual([`${name}.`]);
  });
});

describe('planQueries: properties', () => {
  const label = fc.stringMatching(/^[a-z0-9]{1,10}$/);
  const name = fc.array(label, { minLength: 1, maxLength: 6 }).map((ls) => ls.join('.'));
  const searches = fc.uniqueArray(name, { maxLength: 6 });
  const ndots = fc.integer({ min: 0, max: 15 });

  it('contains the name as given, made absolute, exactly once; searches+1 queries for a relative name', () => {
    fc.assert(
      fc.property(name, searches, ndots, (n, s, d) => {
        const queries = plan(n, d, s);
        expect(queries.filter((q) => q === `${n}.`)).toHaveLength(1);
        expect(queries).toHaveLength(s.length + 1);
        expect(queries.every((q) => q.endsWith('.'))).toBe(true);
      }),
    );
  });

  it('an absolute name is one query whatever the search list', () => {
    fc.assert(fc.property(name, searches, ndots, (n, s, d) => expect(plan(`${n}.`, d, s)).toEqual([`${n}.`])));
  });

  it('the as-is query is first exactly when the name has at least ndots dots, else last', () => {
    fc.assert(
      fc.property(name, searches.filter((s) => s.length > 0), ndots, (n, s, d) => {
        const queries = plan(n, d, s);
        const dots = n.split('.').length - 1;
        expect(queries.indexOf(`${n}.`)).toBe(dots >= d ? 0 : queries.length - 1);
      }),
    );
  });
});
