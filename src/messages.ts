/**
 * The one place that writes Singer messages (SCHEMA, RECORD, STATE) to stdout.
 * Keys are sorted, so two runs over unchanged data print the same bytes apart from time_extracted.
 *
 * SCHEMA and STATE lines go through fast-json-stable-stringify. RECORD lines, nearly all of the
 * output, do not: profiling the tap put that library at ~12% of its CPU, plus much of the ~11% in
 * V8's string writers, which must walk the deep rope of small concatenations it returns. Instead,
 * one walk copies the record with every object's keys inserted in sorted order, dropping U+0000
 * and unselected fields on the way, and native JSON.stringify prints the copy as one flat string.
 * On the simulator's todos, comments, messages, campfire lines, documents and uploads (~2.8 KB of
 * JSON each), record() went from 35-41 to 20-25 µs of CPU per record, writing to /dev/null
 * included (Node 20, scratch micro-benchmark). The output is byte-identical to
 * fast-json-stable-stringify's: tests/unit/state.test.ts compares the two on every record of a
 * simulated account and on edge cases.
 */
import stringify from 'fast-json-stable-stringify';
import { Logger } from './log';
import { Drop, dropFields } from './projection';

export type JsonObject = Record<string, unknown>;

/** The account_id field add_account_id puts in every SCHEMA and RECORD. */
export const ACCOUNT_ID_SCHEMA: JsonObject = { type: 'integer', description: 'Basecamp account the record was read from (add_account_id).' };

/** The sorted key order of objects whose Object.keys() is `keys`, worked out once. */
interface Shape {
  readonly keys: readonly string[];
  /** `keys` in fast-json-stable-stringify's order: Array.prototype.sort's default, by UTF-16 code units. */
  readonly sorted: readonly string[];
  /**
   * An object with the sorted keys (all null) that copies are cloned from. A clone adds no
   * property, so it keeps V8's fast properties, where adding 20-odd computed keys to `{}`
   * turns some copies into slower dictionaries.
   */
  readonly template: JsonObject;
  /**
   * V8 lists integer-like keys ("0", "42") first, in numeric order, whatever the insertion order,
   * so a copy holding one would not print sorted. Object.keys() lists them first too: a first key
   * that starts with a digit flags the shape (conservatively).
   */
  readonly reordered: boolean;
}

/** Beyond this many shapes the cache starts over, so odd data cannot grow it without bound. */
const MAX_SHAPES = 4096;

/**
 * Copies a record for native JSON.stringify: object keys inserted in sorted order, U+0000 removed
 * from strings, everything else as fast-json-stable-stringify would print it. Only objects and
 * arrays are copied; the original is never modified. Objects of one kind share a key order, so
 * each order is sorted once and looked up after (sorting every object's keys anew cost ~4 µs a record).
 */
class SortedCopier {
  /** Set when the last copy dropped a U+0000. */
  stripped = false;
  /** Set when the last copy holds an object whose keys V8 may not list in insertion order. */
  reordered = false;
  /** Shapes by their last key. */
  private readonly shapes = new Map<string, Shape[]>();
  private shapeCount = 0;

  /** `keys` are the record's own keys, or the selected ones among them. */
  copyRecord(record: JsonObject, keys: string[]): JsonObject {
    this.stripped = false;
    this.reordered = false;
    return this.object(record, keys);
  }

  private value(v: unknown): unknown {
    if (typeof v === 'string') {
      if (!v.includes('\u0000')) return v;
      this.stripped = true;
      return v.replaceAll('\u0000', '');
    }
    if (typeof v !== 'object' || v === null) return v; // JSON.stringify prints these as the library does
    if (typeof (v as { toJSON?: unknown }).toJSON === 'function') {
      // Both serializers print what toJSON() returns (parsed JSON has no such values).
      const j: unknown = (v as { toJSON: () => unknown }).toJSON();
      if (typeof j !== 'object' || j === null) return this.value(j);
      v = j;
    }
    if (Array.isArray(v)) {
      const out: unknown[] = [];
      for (let i = 0; i < v.length; i++) out.push(this.value(v[i])); // a hole or undefined prints as null
      return out;
    }
    return this.object(v as JsonObject, Object.keys(v as object));
  }

  private object(o: JsonObject, keys: string[]): JsonObject {
    const shape = this.shape(keys);
    if (shape.reordered) this.reordered = true;
    // A key named __proto__ is an own property of the clone, so assigning it does not set the prototype.
    const out: JsonObject = { ...shape.template };
    const sorted = shape.sorted;
    for (let i = 0; i < sorted.length; i++) {
      const k = sorted[i];
      out[k] = this.value(o[k]); // an undefined value stays unprinted, as the library omits it
    }
    return out;
  }

  private shape(keys: string[]): Shape {
    const n = keys.length;
    const last = n > 0 ? keys[n - 1] : '';
    let list = this.shapes.get(last);
    if (list) {
      next: for (const shape of list) {
        const k = shape.keys;
        if (k.length !== n) continue;
        for (let i = 0; i < n; i++) if (k[i] !== keys[i]) continue next;
        return shape;
      }
    }
    if (this.shapeCount >= MAX_SHAPES) {
      this.shapes.clear();
      this.shapeCount = 0;
      list = undefined;
    }
    if (!list) this.shapes.set(last, (list = []));
    const sorted = keys.slice().sort();
    const first = n > 0 ? keys[0].charCodeAt(0) : 0;
    const shape: Shape = {
      keys: keys.slice(),
      sorted,
      template: JSON.parse(`{${sorted.map((k) => `${JSON.stringify(k)}:null`).join(',')}}`) as JsonObject,
      reordered: first >= 0x30 && first <= 0x39,
    };
    list.push(shape);
    this.shapeCount++;
    return shape;
  }
}

/** The keys among `keys` that `fields` holds, in their order. */
function selected(keys: string[], fields: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (let i = 0; i < keys.length; i++) if (fields.has(keys[i])) out.push(keys[i]);
  return out;
}

export class SingerWriter {
  /** Records written per stream, for the record_count metrics and the run summary. */
  readonly counts = new Map<string, number>();
  /** Records written in all streams. */
  total = 0;
  private lastState?: string;
  private readonly copier = new SortedCopier();
  private extractedAt = '';
  private extractedAtMs = 0;

  /** True when stdout's buffer is full: the reader is slower than we are. */
  blocked = false;
  /** The `version` each stream's RECORDs carry (activate_version), by stream. */
  private readonly versions = new Map<string, number>();

  /**
   * `out` returns false when the line had to be buffered (as a pipe's write does when the target
   * lags); the engine then waits in drain() instead of piling records up in memory.
   */
  constructor(
    private readonly log: Logger,
    private readonly out: (line: string) => boolean | void = (line) => process.stdout.write(line),
    /** add_account_id: the account every RECORD and SCHEMA names. */
    private readonly accountId?: number,
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
    if (this.accountId !== undefined) {
      // Several accounts' rows share a table: the account is part of every row's key.
      schema = { ...schema, properties: { ...(schema.properties as JsonObject), account_id: ACCOUNT_ID_SCHEMA } };
      keyProperties = ['account_id', ...keyProperties.filter((k) => k !== 'account_id')];
    }
    const message: JsonObject = { type: 'SCHEMA', stream, schema, key_properties: keyProperties };
    if (bookmarkProperties.length > 0) message.bookmark_properties = bookmarkProperties;
    this.emit(stringify(message) + '\n');
  }

  /**
   * `fields`, when given, is the set of selected top-level properties; the rest are dropped.
   * Prints exactly what `stringify({ type: 'RECORD', stream, record, time_extracted })` would
   * print for the record with U+0000 stripped and the fields projected, with less work (see top).
   * `omit`: fields never written (embedded collections that are streams of their own). `drop`:
   * nested fields deselected in the catalog, removed from a copy first (the common path, with none,
   * pays one test for it).
   */
  record(stream: string, record: JsonObject, fields?: ReadonlySet<string>, omit?: readonly string[], drop?: Drop): void {
    if (drop) record = dropFields(record, drop) as JsonObject;
    let keys = Object.keys(record);
    if (fields) keys = selected(keys, fields);
    if (omit && omit.length > 0) keys = keys.filter((k) => !omit.includes(k));
    if (this.accountId !== undefined) {
      record.account_id = this.accountId; // as the engine adds project_id: no copy per record
      if (!keys.includes('account_id')) keys.push('account_id');
    }
    const copy = this.copier.copyRecord(record, keys);
    if (this.copier.stripped) this.log.debug(`stripped U+0000 from a ${stream} record (id ${String(record.id)})`, { stream });
    const time_extracted = this.now();
    const version = this.versions.size > 0 ? this.versions.get(stream) : undefined;
    let line: string;
    if (this.copier.reordered)
      line = stringify({ type: 'RECORD', stream, record: copy, time_extracted, version }); // integer-like keys: let the library sort
    else if (version === undefined)
      line = JSON.stringify({ record: copy, stream, time_extracted, type: 'RECORD' }); // keys in sorted order
    else line = JSON.stringify({ record: copy, stream, time_extracted, type: 'RECORD', version });
    this.emit(line + '\n');
    this.counts.set(stream, (this.counts.get(stream) ?? 0) + 1);
    this.total++;
  }

  /** From now on the stream's RECORDs carry `version` (activate_version). */
  stampVersion(stream: string, version: number): void {
    this.versions.set(stream, version);
  }

  /** ACTIVATE_VERSION: the loader may remove the stream's rows of any older version. */
  activateVersion(stream: string, version: number): void {
    this.emit(stringify({ type: 'ACTIVATE_VERSION', stream, version }) + '\n');
  }

  /** Length of the last STATE line written (0 before the first). */
  get lastStateLength(): number {
    return this.lastState?.length ?? 0;
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
