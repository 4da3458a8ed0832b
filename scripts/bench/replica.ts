/**
 * The replica check of `--changes`: what a target that upserts on each stream's key holds after
 * the full sync and both incremental runs (later runs win), against the simulator's expected
 * records, field for field. Records are kept as digests of their canonical JSON, so a large
 * account costs a few tens of MB.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as readline from 'node:readline';
import stringify from 'fast-json-stable-stringify';

/** Records equal field for field (whatever their keys' order) have the same digest. */
const digest = (record: unknown) => createHash('sha1').update(stringify(record)).digest('base64');

/** Each stream's key_properties, from its SCHEMA message (["id"] for a stream that sent none). */
export type Keys = Map<string, string[]>;

export function keyOf(keys: Keys, stream: string, record: Record<string, unknown>): string {
  return (keys.get(stream) ?? ['id']).map((k) => String(record[k])).join('/');
}

/** Per stream, record key -> digest. */
export interface Replica {
  keys: Keys;
  streams: Map<string, Map<string, string>>;
}

/** Applies one run's stdout (Singer messages, one a line) to the replica. */
async function applyRun(replica: Replica, file: string): Promise<void> {
  const lines = readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line.trim()) continue;
    const m = JSON.parse(line) as { type: string; stream: string; record?: Record<string, unknown>; key_properties?: string[] };
    if (m.type === 'SCHEMA') {
      if (m.key_properties?.length) replica.keys.set(m.stream, m.key_properties);
    } else if (m.type === 'RECORD' && m.record) {
      let table = replica.streams.get(m.stream);
      if (!table) replica.streams.set(m.stream, (table = new Map()));
      table.set(keyOf(replica.keys, m.stream, m.record), digest(m.record));
    }
  }
}

/** The replica after the runs' stdout files, in order. */
export async function mergeRuns(files: string[]): Promise<Replica> {
  const replica: Replica = { keys: new Map(), streams: new Map() };
  for (const f of files) await applyRun(replica, f);
  return replica;
}

/** One stream whose replica differs from the account. */
export interface ReplicaMismatch {
  stream: string;
  expected: number;
  held: number;
  /** Expected records the replica lacks. */
  missing: number;
  /** Records the replica holds that the account does not list. */
  extra: number;
  /** Records held under an expected key with other content (a change not read). */
  stale: number;
  /** A few keys of each, for a look at the simulator. */
  sample: string[];
  /** The keys of the stale records (up to STALE_KEPT), to tell changes left to the window from losses. */
  staleKeys: string[];
}

const STALE_KEPT = 10_000;

export interface ReplicaCheck {
  expected: number;
  held: number;
  mismatches: ReplicaMismatch[];
}

/** One stream's replica against its expected records. */
function compareStream(replica: Replica, stream: string, expected: Array<Record<string, unknown>>): ReplicaMismatch {
  const held = replica.streams.get(stream) ?? new Map<string, string>();
  const out: ReplicaMismatch = { stream, expected: expected.length, held: held.size, missing: 0, extra: 0, stale: 0, sample: [], staleKeys: [] };
  const seen = new Set<string>();
  for (const r of expected) {
    const key = keyOf(replica.keys, stream, r);
    seen.add(key);
    const got = held.get(key);
    if (got === undefined) out.missing++;
    else if (got !== digest(r)) {
      out.stale++;
      if (out.staleKeys.length < STALE_KEPT) out.staleKeys.push(key);
    } else continue;
    if (out.sample.length < 5) out.sample.push(`${got === undefined ? 'missing' : 'stale'} ${key}`);
  }
  for (const key of held.keys()) {
    if (seen.has(key)) continue;
    out.extra++;
    if (out.sample.length < 5) out.sample.push(`extra ${key}`);
  }
  return out;
}

/** Every stream of the account (and any other the replica holds) compared. */
export function compareReplica(replica: Replica, account: { streamNames(): string[]; expectedRecords(stream: string): object[] }): ReplicaCheck {
  const check: ReplicaCheck = { expected: 0, held: 0, mismatches: [] };
  const names = new Set([...account.streamNames(), ...replica.streams.keys()]);
  for (const stream of names) {
    const expected = account.streamNames().includes(stream) ? (account.expectedRecords(stream) as Array<Record<string, unknown>>) : [];
    const m = compareStream(replica, stream, expected);
    check.expected += m.expected;
    check.held += m.held;
    if (m.missing || m.extra || m.stale) check.mismatches.push(m);
  }
  return check;
}

/**
 * The differences a change left to the full_refresh_hours window explains (`window`: per stream,
 * the keys of such records), taken out of `check`: what is left is a loss.
 */
export function beyondWindow(check: ReplicaCheck, window: ReadonlyMap<string, ReadonlySet<string>>): ReplicaMismatch[] {
  return check.mismatches.filter((m) => {
    const waits = window.get(m.stream);
    return m.missing > 0 || m.extra > 0 || m.stale !== m.staleKeys.length || !m.staleKeys.every((k) => waits?.has(k));
  });
}
