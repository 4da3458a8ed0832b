/**
 * The one place that writes Singer messages (SCHEMA, RECORD, STATE) to stdout.
 * fast-json-stable-stringify sorts keys, so two runs over unchanged data print the same bytes
 * apart from time_extracted.
 */
import stringify from 'fast-json-stable-stringify';
import { Logger } from './log';

export type JsonObject = Record<string, unknown>;

/** Removes U+0000 from every string in a value (target-postgres cannot store it). */
export function stripNul(value: unknown, onStrip: () => void): unknown {
  if (typeof value === 'string') {
    if (!value.includes('\u0000')) return value;
    onStrip();
    return value.split('\u0000').join('');
  }
  if (Array.isArray(value)) {
    let changed = false;
    const out = value.map((v) => {
      const s = stripNul(v, onStrip);
      if (s !== v) changed = true;
      return s;
    });
    return changed ? out : value;
  }
  if (value !== null && typeof value === 'object') {
    let out: JsonObject | undefined;
    for (const [k, v] of Object.entries(value as JsonObject)) {
      const s = stripNul(v, onStrip);
      if (s !== v) {
        out ??= { ...(value as JsonObject) };
        out[k] = s;
      }
    }
    return out ?? value;
  }
  return value;
}

export class SingerWriter {
  /** Records written per stream, for the record_count metrics and the run summary. */
  readonly counts = new Map<string, number>();
  /** Records written in all streams. */
  total = 0;
  private lastState?: string;
  private extractedAt = '';
  private extractedAtMs = 0;

  /** True when stdout's buffer is full: the reader is slower than we are. */
  blocked = false;

  /**
   * `out` returns false when the line had to be buffered (as a pipe's write does when the target
   * lags); the engine then waits in drain() instead of piling records up in memory.
   */
  constructor(
    private readonly log: Logger,
    private readonly out: (line: string) => boolean | void = (line) => process.stdout.write(line),
  ) {}

  /** Resolves once stdout has taken what was written (at once when it never pushed back). */
  async drain(): Promise<void> {
    if (!this.blocked) return;
    if (process.stdout.writableNeedDrain) await new Promise<void>((resolve) => process.stdout.once('drain', resolve));
    this.blocked = false;
  }

  private emit(line: string): void {
    if (this.out(line) === false) this.blocked = true;
  }

  schema(stream: string, schema: JsonObject, keyProperties: string[], bookmarkProperties: string[]): void {
    const message: JsonObject = { type: 'SCHEMA', stream, schema, key_properties: keyProperties };
    if (bookmarkProperties.length > 0) message.bookmark_properties = bookmarkProperties;
    this.emit(stringify(message) + '\n');
  }

  /** `fields`, when given, is the set of selected top-level properties; the rest are dropped. */
  record(stream: string, record: JsonObject, fields?: ReadonlySet<string>): void {
    let value = stripNul(record, () => this.log.debug(`stripped U+0000 from a ${stream} record (id ${String(record.id)})`)) as JsonObject;
    if (fields) {
      const projected: JsonObject = {};
      for (const key of Object.keys(value)) if (fields.has(key)) projected[key] = value[key];
      value = projected;
    }
    this.emit(stringify({ type: 'RECORD', stream, record: value, time_extracted: this.now() }) + '\n');
    this.counts.set(stream, (this.counts.get(stream) ?? 0) + 1);
    this.total++;
  }

  /** Writes STATE unless it is identical to the last one written. */
  state(value: JsonObject): boolean {
    const line = stringify({ type: 'STATE', value }) + '\n';
    if (line === this.lastState) return false;
    this.lastState = line;
    this.emit(line);
    return true;
  }

  /** Extraction time, refreshed at most every 100 ms so the per-record cost stays negligible. */
  private now(): string {
    const ms = Date.now();
    if (ms - this.extractedAtMs >= 100) {
      this.extractedAtMs = ms;
      this.extractedAt = new Date(ms).toISOString();
    }
    return this.extractedAt;
  }
}
