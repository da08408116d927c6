import {
  checkResponseUrl, DEFAULT_RESPONSE_URL_ALLOW_LIST, isAllowedResponseUrl, LOOPBACK_RESPONSE_URL_ALLOW_LIST,
} from './index';

const local = [...DEFAULT_RESPONSE_URL_ALLOW_LIST, ...LOOPBACK_RESPONSE_URL_ALLOW_LIST];

describe('isAllowedResponseUrl', () => {
  it.each([
    ['https://hooks.slack.com/commands/T1DC2JH3J/397700885554/96rGlfmibIGlgcZRskXaIFfN', DEFAULT_RESPONSE_URL_ALLOW_LIST],
    ['https://hooks.slack.com/actions/T1/2/abc?x=1', DEFAULT_RESPONSE_URL_ALLOW_LIST],
    ['https://hooks.slack.com', DEFAULT_RESPONSE_URL_ALLOW_LIST],
    ['https://hooks.slack.com:443/commands/1', DEFAULT_RESPONSE_URL_ALLOW_LIST],
    ['HTTPS://HOOKS.SLACK.COM/commands/1', DEFAULT_RESPONSE_URL_ALLOW_LIST],
    ['http://127.0.0.1:43123/hook', local],
    ['http://localhost:8081/reply', local],
    ['http://127.0.0.1/hook', local],
    ['http://[::1]:9000/x', local],
    ['http://10.0.0.5:8080/x', ['http://10.0.0.5:8080']],
  ])('allows %s', (url, list) => {
    expect(isAllowedResponseUrl(url, list)).toBe(true);
  });

  it.each([
    ['https://hooks.slack.com.evil.com/commands/1', DEFAULT_RESPONSE_URL_ALLOW_LIST, /not on the response URL allow-list/],
    ['https://hooks.slack.com@evil.com/commands/1', DEFAULT_RESPONSE_URL_ALLOW_LIST, /user name or password/],
    ['https://user:pw@hooks.slack.com/commands/1', DEFAULT_RESPONSE_URL_ALLOW_LIST, /user name or password/],
    ['https://evil.com#@hooks.slack.com/', DEFAULT_RESPONSE_URL_ALLOW_LIST, /allow-list/],
    ['https://evil.com?@hooks.slack.com/', DEFAULT_RESPONSE_URL_ALLOW_LIST, /allow-list/],
    ['https://hooks.slack.com\\@evil.com/', DEFAULT_RESPONSE_URL_ALLOW_LIST, /backslashes/],
    ['http://hooks.slack.com/commands/1', DEFAULT_RESPONSE_URL_ALLOW_LIST, /allow-list/],
    ['https://hooks.slack.com:8443/commands/1', DEFAULT_RESPONSE_URL_ALLOW_LIST, /allow-list/],
    ['https://hooks.slack.com./commands/1', DEFAULT_RESPONSE_URL_ALLOW_LIST, /allow-list/],
    ['https://hooks%2eslack.com/commands/1', DEFAULT_RESPONSE_URL_ALLOW_LIST, /canonical/],
    ['https://slack.com/commands/1', DEFAULT_RESPONSE_URL_ALLOW_LIST, /allow-list/],
    ['https://xhooks.slack.com/commands/1', DEFAULT_RESPONSE_URL_ALLOW_LIST, /allow-list/],
    ['ftp://hooks.slack.com/x', DEFAULT_RESPONSE_URL_ALLOW_LIST, /must start with https/],
    ['file:///etc/passwd', local, /must start with https/],
    ['javascript:alert(1)', local, /must start with https/],
    ['//hooks.slack.com/commands/1', DEFAULT_RESPONSE_URL_ALLOW_LIST, /must start with https/],
    ['https://', DEFAULT_RESPONSE_URL_ALLOW_LIST, /not a valid URL/],
    ['https://hooks.slack.com /x', DEFAULT_RESPONSE_URL_ALLOW_LIST, /spaces/],
    ['https://hooks.slack.com/\nHost: evil', DEFAULT_RESPONSE_URL_ALLOW_LIST, /control characters/],
    ['', DEFAULT_RESPONSE_URL_ALLOW_LIST, /no response URL/],
    ['http://127.0.0.1:8080/hook', DEFAULT_RESPONSE_URL_ALLOW_LIST, /allow-list/],
    ['http://2130706433:8080/hook', local, /canonical/],
    ['http://0x7f.0.0.1:8080/hook', local, /canonical/],
    ['http://127.1:8080/hook', local, /canonical/],
    ['http://127.0.0.2:8080/hook', local, /allow-list/],
    ['https://127.0.0.1:8080/hook', local, /allow-list/],
    ['http://localhost.evil.com:8080/', local, /allow-list/],
    ['http://[::ffff:127.0.0.1]:80/', local, /canonical|allow-list/],
    ['http://169.254.169.254/latest/meta-data', local, /allow-list/],
    ['http://10.0.0.5:8081/x', ['http://10.0.0.5:8080'], /allow-list/],
    [`https://hooks.slack.com/${'a'.repeat(3000)}`, DEFAULT_RESPONSE_URL_ALLOW_LIST, /too long/],
  ])('refuses %s', (url, list, reason) => {
    expect(isAllowedResponseUrl(url, list)).toBe(false);
    const r = checkResponseUrl(url, list);
    expect(!r.ok && r.reason).toMatch(reason);
  });

  it('allows nothing with an empty or unparsable allow-list', () => {
    expect(isAllowedResponseUrl('https://hooks.slack.com/x', [])).toBe(false);
    expect(isAllowedResponseUrl('https://hooks.slack.com/x', ['hooks.slack.com', 'https://*.slack.com', 'https://hooks.slack.com/path'])).toBe(false);
  });

  it('hands back the canonical URL to fetch', () => {
    expect(checkResponseUrl('HTTPS://HOOKS.SLACK.COM:443/commands/1', DEFAULT_RESPONSE_URL_ALLOW_LIST)).toEqual({ ok: true, url: 'https://hooks.slack.com/commands/1' });
  });

  it('never throws on odd values', () => {
    for (const v of [undefined, null, 42, {}, 'http://[', 'http://%', 'https://\u0000']) {
      expect(isAllowedResponseUrl(v as unknown as string, local)).toBe(false);
    }
  });
});
