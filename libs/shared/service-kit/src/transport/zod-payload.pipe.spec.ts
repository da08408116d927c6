import { z } from 'zod';
import { QueryContext } from './contexts';
import { ZodPayloadPipe } from './zod-payload.pipe';

describe('ZodPayloadPipe', () => {
  const pipe = new ZodPayloadPipe(z.object({ name: z.string().min(1, 'name is required'), n: z.number().default(1) }), (v) => (v.name === 'kube-x' ? [{ path: 'name', message: 'no kube- prefix' }] : []));
  const meta = { type: 'custom' as const };

  it('hands the handler the parsed value (defaults applied)', () => {
    expect(pipe.transform({ name: 'web' }, meta)).toEqual({ name: 'web', n: 1 });
  });

  it('refuses with an Invalid failure naming each field, from the schema and from the domain rules', () => {
    expect(() => pipe.transform({ name: '' }, meta)).toThrow(expect.objectContaining({ code: 'Invalid', details: { fieldErrors: [{ path: 'name', message: 'name is required' }] } }));
    expect(() => pipe.transform({ name: 'kube-x' }, meta)).toThrow(expect.objectContaining({ code: 'Invalid', message: 'invalid payload: name: no kube- prefix' }));
  });

  it('leaves the context argument alone (method-level pipes see every argument)', () => {
    const ctx = new QueryContext('s', 'default', undefined, undefined);
    expect(pipe.transform(ctx, meta)).toBe(ctx);
  });
});
