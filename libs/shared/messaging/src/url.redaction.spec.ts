import { redactUrl } from './url.redaction';

describe('redactUrl', () => {
  it.each([
    ['nats://bosun:s3cret@nats:4222', 'nats://***:***@nats:4222'],
    ['redis://:p4ss@redis:6379/0', 'redis://:***@redis:6379/0'],
    ['nats://token@127.0.0.1:4222', 'nats://***@127.0.0.1:4222'],
    ['nats://127.0.0.1:4222', 'nats://127.0.0.1:4222'],
    ['not a url with s3cret', '(unparsable URL)'],
  ])('%s → %s', (url, shown) => {
    expect(redactUrl(url)).toBe(shown);
  });
});
