/** One Server-Sent Event (only the fields Bosun's streams use). */
export interface SseEvent {
  event: string;
  data: string;
  id?: string;
}

/**
 * Incremental parser of `text/event-stream` (WHATWG HTML §9.2): chunks may split lines
 * anywhere; CRLF, CR and LF all end lines; `:` lines are comments (heartbeats).
 */
export class SseParser {
  private buffer = '';
  /** The last chunk ended in CR: if the next starts with LF, that LF belongs to it. */
  private afterCr = false;
  private data: string[] = [];
  private event = '';
  private id?: string;

  push(chunk: string): SseEvent[] {
    if (this.afterCr && chunk.startsWith('\n')) chunk = chunk.slice(1);
    this.afterCr = false;
    this.buffer += chunk;
    const out: SseEvent[] = [];
    for (;;) {
      const m = /\r\n|\r|\n/.exec(this.buffer);
      if (!m) break;
      if (m[0] === '\r' && m.index === this.buffer.length - 1) this.afterCr = true;
      const line = this.buffer.slice(0, m.index);
      this.buffer = this.buffer.slice(m.index + m[0].length);
      const ev = this.line(line);
      if (ev) out.push(ev);
    }
    return out;
  }

  private line(line: string): SseEvent | undefined {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.event = value;
    else if (field === 'id') this.id = value;
    return undefined;
  }

  private dispatch(): SseEvent | undefined {
    const ev = this.data.length > 0 ? { event: this.event || 'message', data: this.data.join('\n'), ...(this.id !== undefined ? { id: this.id } : {}) } : undefined;
    this.data = [];
    this.event = '';
    return ev;
  }
}
