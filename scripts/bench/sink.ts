/** The tap's stdout: counted, never stored (but for the last STATE line, which --incremental needs). */

/** Enough of a line's end to hold `"stream":"<name>","time_extracted":"<iso>","type":"RECORD"}`. */
const TAIL = 200;
const HEAD = 24;
const RECORD_END = '"type":"RECORD"}';
const SCHEMA_END = '"type":"SCHEMA"}';
const STATE_START = Buffer.from('{"type":"STATE"', 'latin1');
const STREAM_IN_TAIL = /"stream":"([^"\\]*)","time_extracted"/g;

export class CountingSink {
  bytes = 0;
  lines = 0;
  records = 0;
  schemas = 0;
  states = 0;
  other = 0;
  readonly byStream = new Map<string, number>();
  /** The last STATE line, whole. */
  lastState: string | undefined;
  private head: Buffer = Buffer.alloc(0); // first HEAD bytes of the line in progress
  private tail: Buffer = Buffer.alloc(0); // last bytes of the line in progress
  private stateParts: Buffer[] | undefined; // the line in progress, whole, once it shows to be a STATE

  write(chunk: Buffer): void {
    this.bytes += chunk.length;
    let start = 0;
    while (start <= chunk.length) {
      const nl = chunk.indexOf(10, start);
      const end = nl === -1 ? chunk.length : nl;
      if (end > start) this.keep(chunk.subarray(start, end));
      const piece = chunk.subarray(Math.max(start, end - TAIL), end);
      if (nl === -1) {
        // Line continues in the next chunk: keep only its last TAIL bytes (copied, never the chunk).
        if (piece.length > 0) {
          const joined = this.tail.length ? Buffer.concat([this.tail, piece]) : piece;
          this.tail = Buffer.from(joined.subarray(Math.max(0, joined.length - TAIL)));
        }
        return;
      }
      const lineTail = this.tail.length ? Buffer.concat([this.tail, piece]) : piece;
      this.line(this.head, lineTail);
      this.reset();
      start = nl + 1;
    }
  }

  /** A last line without a newline (a run cut short) still counts. */
  end(): void {
    if (this.head.length || this.tail.length) this.line(this.head, this.tail);
    this.reset();
  }

  /** The line's first bytes (however the chunks split it), and all of it when it is a STATE. */
  private keep(segment: Buffer): void {
    if (this.stateParts) {
      this.stateParts.push(Buffer.from(segment));
      return;
    }
    const before = this.head;
    if (before.length >= HEAD) return;
    this.head = Buffer.concat([before, segment.subarray(0, HEAD - before.length)]);
    if (before.length < STATE_START.length && this.head.length >= STATE_START.length && this.head.subarray(0, STATE_START.length).equals(STATE_START)) {
      this.stateParts = [before, Buffer.from(segment)];
    }
  }

  private reset(): void {
    this.head = Buffer.alloc(0);
    this.tail = Buffer.alloc(0);
    this.stateParts = undefined;
  }

  private line(head: Buffer, tailBuf: Buffer): void {
    this.lines++;
    const tail = tailBuf.toString('latin1').replace(/\r$/, '');
    const start = head.toString('latin1');
    if (tail.endsWith(RECORD_END) || start.startsWith('{"type":"RECORD"')) {
      this.records++;
      let stream = '?';
      for (const m of tail.matchAll(STREAM_IN_TAIL)) stream = m[1]!; // the last one is the message's own
      this.byStream.set(stream, (this.byStream.get(stream) ?? 0) + 1);
    } else if (tail.endsWith(SCHEMA_END) || start.startsWith('{"type":"SCHEMA"')) this.schemas++;
    else if (start.startsWith('{"type":"STATE"')) {
      this.states++;
      if (this.stateParts) this.lastState = Buffer.concat(this.stateParts).toString('utf8').replace(/\r$/, '');
    } else this.other++;
  }
}
