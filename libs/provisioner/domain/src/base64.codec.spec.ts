import fc from 'fast-check';
import { decodeBase64, encodeBase64, encodeBase64Text } from './base64.codec';

describe('base64', () => {
  it.each([['', ''], ['f', 'Zg=='], ['fo', 'Zm8='], ['foo', 'Zm9v'], ['foob', 'Zm9vYg=='], ['fooba', 'Zm9vYmE='], ['foobar', 'Zm9vYmFy'], ['größe', 'Z3LDtsOfZQ==']])(
    'RFC 4648 §10: %j → %s', (text, b64) => {
      expect(encodeBase64Text(text)).toBe(b64);
    });

  it('property: agrees with Buffer and round-trips', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
      const b64 = encodeBase64(bytes);
      expect(b64).toBe(Buffer.from(bytes).toString('base64'));
      expect(decodeBase64(b64)).toEqual(bytes);
    }));
  });

  it.each(['abc', 'ab$=', 'a===', '=abc'])('refuses %s', (text) => {
    expect(decodeBase64(text)).toBeUndefined();
  });
});
