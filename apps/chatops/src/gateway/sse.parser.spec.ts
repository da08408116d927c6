import { SseParser } from './sse.parser';

describe('SseParser', () => {
  it('reads events split anywhere across chunks, with any line ending', () => {
    const stream = 'event: operation\r\ndata: {"a":1}\r\n\r\n: keep-alive\n\nid: 7\revent: operation\rdata: {"b":\rdata: 2}\r\r';
    for (const size of [1, 2, 3, 7, stream.length]) {
      const p = new SseParser();
      const events = [];
      for (let i = 0; i < stream.length; i += size) events.push(...p.push(stream.slice(i, i + size)));
      expect(events).toEqual([
        { event: 'operation', data: '{"a":1}' },
        { event: 'operation', data: '{"b":\n2}', id: '7' },
      ]);
    }
  });

  it('ignores comments and blank events; defaults the event name to message', () => {
    const p = new SseParser();
    expect(p.push(': hi\n\n\ndata:x\n\n')).toEqual([{ event: 'message', data: 'x' }]);
  });

  it('waits for the end of an event before dispatching it', () => {
    const p = new SseParser();
    expect(p.push('event: operation\ndata: 1\n')).toEqual([]);
    expect(p.push('\n')).toEqual([{ event: 'operation', data: '1' }]);
  });
});
