import { KUBEADM_COREFILE, SEED_STUB_COREFILE } from './corefile.fixtures';
import { zoneCovers } from './corefile.keys';
import { parseCorefile } from './corefile.parser';
import { errorsOf, valueOf } from '@bosun/testing';

describe('parseCorefile', () => {
  it('reads server blocks, plugins, arguments, nested blocks and lines (tools/testenv kubeadm Corefile)', () => {
    const { blocks, problems } = valueOf(parseCorefile(KUBEADM_COREFILE));
    expect(problems).toEqual([]);
    expect(blocks).toHaveLength(1);
    expect(blocks[0].keys).toEqual([{ text: '.:53', transport: 'dns', zone: '.', port: 53, line: 1 }]);
    expect(blocks[0].directives.map((d) => d.name)).toEqual(['errors', 'health', 'ready', 'kubernetes', 'prometheus', 'forward', 'cache', 'loop', 'reload', 'loadbalance']);
    const kubernetes = blocks[0].directives[3];
    expect(kubernetes).toMatchObject({ args: ['cluster.local', 'in-addr.arpa', 'ip6.arpa'], line: 7 });
    expect(kubernetes.block).toEqual([
      { name: 'pods', args: ['insecure'], line: 8, block: [] },
      { name: 'fallthrough', args: ['in-addr.arpa', 'ip6.arpa'], line: 9, block: [] },
      { name: 'ttl', args: ['30'], line: 10, block: [] },
    ]);
    expect(blocks[0].directives[6].block.map((d) => d.args)).toEqual([['success', 'cluster.local'], ['denial', 'cluster.local']]);
  });

  it('reads several blocks; a zone without a port listens on 53 (000:4720)', () => {
    const { blocks } = valueOf(parseCorefile(SEED_STUB_COREFILE));
    expect(blocks.map((b) => b.keys.map((k) => [k.zone, k.port, k.line]))).toEqual([[['.', 53, 1]], [['consul.local', 53, 15]]]);
    expect(blocks[1].directives.at(-1)).toEqual({ name: 'forward', args: ['.', '10.150.0.1'], line: 18, block: [] });
  });

  it.each([
    ['example.org', 'dns', 'example.org', 53],
    ['Example.ORG.:1053', 'dns', 'example.org', 1053],
    ['tls://.', 'tls', '.', 853],
    ['grpc://example.org', 'grpc', 'example.org', 443],
    ['https://.:8443', 'https', '.', 8443],
    ['10.0.0.0/8', 'dns', '10.in-addr.arpa', 53],
    ['192.168.1.0/24:53', 'dns', '1.168.192.in-addr.arpa', 53],
    [':53', 'dns', '.', 53],
  ])('key %s → %s://%s:%i', (key, transport, zone, portNumber) => {
    const { blocks } = valueOf(parseCorefile(`${key} {\n  whoami\n}\n`));
    expect(blocks[0].keys[0]).toMatchObject({ transport, zone, port: portNumber });
  });

  it('several keys on a line, comma-separated or continued on the next line', () => {
    const { blocks } = valueOf(parseCorefile('a.example b.example:54,\n  c.example {\n  whoami\n}\n'));
    expect(blocks[0].keys.map((k) => `${k.zone}:${k.port}`)).toEqual(['a.example:53', 'b.example:54', 'c.example:53']);
  });

  it('skips comments, keeps quoted arguments, expands snippets', () => {
    const text = '# the cluster\n(common) {\n  errors\n  cache 30\n}\n.:53 { # main\n  import common\n  rewrite name "a b" c # why\n}\n';
    const { blocks, problems } = valueOf(parseCorefile(text));
    expect(problems).toEqual([]);
    expect(blocks[0].directives.map((d) => [d.name, d.args, d.line])).toEqual([['errors', [], 3], ['cache', ['30'], 4], ['rewrite', ['name', 'a b', 'c'], 8]]);
  });

  it('the opening brace may stand on its own line', () => {
    const { blocks, problems } = valueOf(parseCorefile('.:53\n{\n  whoami\n}\nexample.org\n{\n  log\n}\n'));
    expect(problems).toEqual([]);
    expect(blocks.map((b) => [b.keys[0].zone, b.directives.map((d) => d.name)])).toEqual([['.', ['whoami']], ['example.org', ['log']]]);
  });

  it('a single block may go without braces', () => {
    const { blocks } = valueOf(parseCorefile('.:53\nwhoami\nlog\n'));
    expect(blocks[0].directives.map((d) => d.name)).toEqual(['whoami', 'log']);
  });

  it('keeps syntax problems with their lines', () => {
    expect(valueOf(parseCorefile('.:53 {\n  errors\n')).problems).toEqual([{ line: 1, message: "'{' is never closed with '}'" }]);
    expect(valueOf(parseCorefile('.:53 {\n}\n}\n')).problems).toEqual([{ line: 3, message: "unexpected '}': no block is open" }]);
    expect(valueOf(parseCorefile('.:53 {\n rewrite "x\n}\n')).problems).toEqual([{ line: 2, message: 'unclosed quote' }]);
  });

  it.each([[''], ['   \n\n'], ['# only a comment\n']])('an empty Corefile (%j) is a field error', (text) => {
    expect(errorsOf(parseCorefile(text))).toEqual([{ path: 'corefile', message: expect.stringContaining('must not be empty') }]);
  });
});

describe('zoneCovers', () => {
  it.each([
    ['.', 'cluster.local', true], ['cluster.local', 'cluster.local.', true], ['local', 'cluster.local', true],
    ['cluster.local', 'my.cluster.local', true], ['my.cluster.local', 'cluster.local', false], ['ster.local', 'cluster.local', false],
  ])('%s covers %s: %s', (zone, name, expected) => expect(zoneCovers(zone, name)).toBe(expected));
});
