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
 * - `changed`: the change feed names something in it no walk shows: its collections, as every run read them before;
 * - `moved`: only its updated_at moved: its collections are read if what the walks and the feed
 *   saw change in it does not account for that move (see heldRead), else only what they name;
 * - `quiet`: no signal, not its turn: nothing below it.
 */
export type ProjectRead = 'all' | 'turn' | 'changed' | 'moved' | 'quiet';

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
  if (s.named) return 'changed';
  return s.moved ? 'moved' : 'quiet';
}

/**
 * How much later than the change that moved it a project's updated_at may be stamped and still
 * be that change's: Basecamp touches the project in the same save, milliseconds apart at most.
 * Kept well under a second, so two saves a second apart are never taken for one.
 */
export const TOUCH_SLACK_MS = 500;

/**
 * Whether what the run saw change in a project accounts for its updated_at: the newest change
 * the walks (a record's updated_at) or the feed (a campfire line's event) show there is no more
 * than TOUCH_SLACK_MS older than the project's own stamp. A change of the project's own, or of
 * something no walk or feed shows (a forward, a needle, a message type), leaves it unaccounted for.
 */
export function moveExplained(projectUpdatedMs: number, newestSeenMs: number | undefined): boolean {
  return newestSeenMs !== undefined && newestSeenMs >= projectUpdatedMs - TOUCH_SLACK_MS;
}

/** What decides a read held below a project until the project lists, the walks and the timeline are read. */
export interface HeldFacts {
  /** How much below its project the run reads; undefined: the project is unknown to this run. */
  read?: ProjectRead;
  /** A `moved` project's move is accounted for by changes seen elsewhere (see moveExplained). */
  explained: boolean;
  /** The read follows its project (a campfire's lines, Stream.followsProject). */
  followsProject: boolean;
  /** The account serves the change feed, so a new campfire line is named by an event. */
  feedServed: boolean;
  /** The feed names a campfire line posted in the project. */
  feedNamed: boolean;
  /** A changed record of another stream names this collection (Stream.signalledBy: memberships). */
  signalled: boolean;
}

/**
 * Whether a held read is made. Everything below a project that is read whole (unknown, `all`,
 * `turn`, `changed`, or `moved` with its move unaccounted for); otherwise only what a signal
 * names: a campfire's lines when the feed names the project, or, where no feed is served, when
 * the project moved at all (lines are the busiest thing in an account, and one page a campfire
 * is cheap); memberships when a person or a timeline event names them.
 */
export function heldRead(f: HeldFacts): boolean {
  if (f.read === undefined || f.read === 'all' || f.read === 'turn' || f.read === 'changed') return true;
  if (f.read === 'moved' && !f.explained) return true;
  if (f.signalled) return true;
  if (!f.followsProject) return false;
  return f.feedNamed || (f.read === 'moved' && !f.feedServed);
}

/** The key a project's turn is computed from. */
export function projectKey(projectId: number): string {
  return `project ${projectId}`;
}
