/**
 * What an incremental run reads below a project: the collections a change signal names, and
 * those whose turn in the `full_refresh_hours` window has come. Pure: the engine gathers the
 * facts (the project's record, the last completed run's start, the change feed's hints) and
 * carries the answer out.
 *
 * A collection's turn follows from its key and the clock alone, so the STATE keeps one
 * timestamp (the last completed run's start), not one per collection: the window is cut into
 * periods of `hours`, each key's periods shifted by its own phase, and a key is due in a run
 * when one of its period boundaries lies between the last completed run's start and this
 * run's. An hourly schedule thus re-reads about a 24th of the account each run, and every key
 * at least once in any `hours` of runs. A run that fails does not move the start, so the next
 * one reads what it left out.
 */
import { ms } from '../state';

/** Where the run stands in the refresh window. */
export interface RefreshWindow {
  /** full_refresh_hours: 0 re-reads everything every run. */
  hours: number;
  /** The start of the last completed run; undefined: none completed (everything is read). */
  since?: string;
  /** This run's start. */
  now: string;
  /** Everything is due this run (the change feed lost its history: a full refresh). */
  all?: boolean;
}

/**
 * A stable phase in [0, 1) for a key: 32-bit FNV-1a, then MurmurHash3's finalizer, which
 * spreads keys that differ in a digit or two (consecutive ids) evenly over the window.
 */
export function phaseOf(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return (hash >>> 0) / 0x100000000;
}

/** Whether the collections keyed `key` have their turn this run. */
export function due(key: string, w: RefreshWindow): boolean {
  if (w.all || w.hours <= 0 || w.since === undefined) return true;
  const period = w.hours * 3_600_000;
  const phase = phaseOf(key);
  return Math.floor(ms(w.now) / period + phase) > Math.floor(ms(w.since) / period + phase);
}

/** Whether reads are chosen by signals and turns at all: a completed run to go on from, and a window. */
export function gates(w: RefreshWindow | undefined): w is RefreshWindow & { since: string } {
  return w !== undefined && w.hours > 0 && w.since !== undefined && w.all !== true;
}

/**
 * How much below a project a run reads:
 * - `all`: reads do not follow signals (no completed run to go on from, or full_refresh_hours 0);
 * - `turn`: its turn has come: everything below it, as a full sync reads it;
 * - `changed`: a signal says something in it moved: its collections, as every run read them before;
 * - `quiet`: no signal, not its turn: nothing below it.
 */
export type ProjectRead = 'all' | 'turn' | 'changed' | 'quiet';

/** What is known of a project when its record is read. */
export interface ProjectSignals {
  /** Its key's turn has come (see due). */
  due: boolean;
  /** Its updated_at is later than the last completed run's start. */
  moved: boolean;
  /** The change feed names it (an event in its bucket since the stored position). */
  named: boolean;
}

/** The read below one project (see ProjectRead); `gated`: reads follow signals at all (see gates). */
export function projectRead(gated: boolean, s: ProjectSignals): ProjectRead {
  if (!gated) return 'all';
  if (s.due) return 'turn';
  return s.moved || s.named ? 'changed' : 'quiet';
}

/**
 * Whether a collection read below an account-level record of a project (a campfire's lines,
 * reached from /chats.json) is read: when its project is read, when the change feed names it,
 * or when the project is unknown to this run (read rather than risk a loss).
 */
export function followsRead(read: ProjectRead | undefined, feedNamed: boolean): boolean {
  return read === undefined || read !== 'quiet' || feedNamed;
}

/** The key a project's turn is computed from. */
export function projectKey(projectId: number): string {
  return `project ${projectId}`;
}
