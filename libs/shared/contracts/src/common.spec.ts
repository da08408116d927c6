import { z } from 'zod';
import { toFieldErrors } from './common';

const errorsOf = (schema: z.ZodType, value: unknown) => toFieldErrors(schema.safeParse(value).error!);

describe('toFieldErrors on unions', () => {
  const value = z.union([z.string(), z.strictObject({ ref: z.strictObject({ name: z.string().regex(/^[a-z]+$/, 'lower case'), key: z.string() }) })], { error: 'a string or {ref}' });
  const body = z.strictObject({ v: value });

  it('names the field inside the one member whose type the input has', () => {
    expect(errorsOf(body, { v: { ref: { name: 'X' } } })).toEqual([
      { path: 'v.ref.name', message: 'lower case' },
      { path: 'v.ref.key', message: expect.stringMatching(/expected string/) },
    ]);
  });

  it('a type no member has: the union\'s own message at the union', () => {
    expect(errorsOf(body, { v: 5 })).toEqual([{ path: 'v', message: 'a string or {ref}' }]);
  });

  it('a literal member that does not match counts as "not this member" (storage\'s "" or a class name)', () => {
    const className = z.union([z.literal(''), z.string({ error: 'className is required' }).min(1)], { error: 'className is required ("" for none)' });
    expect(errorsOf(z.strictObject({ className }), {})).toEqual([{ path: 'className', message: 'className is required ("" for none)' }]);
  });
});
