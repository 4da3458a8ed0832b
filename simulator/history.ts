/**
 * Basecamp 5's per-recording history (GET /recordings/:id/events.json) and boosts
 * (GET /recordings/:id/boosts.json), with the keys of the documented examples.
 *
 * A recording's events begin with its creation (a to-do's also with its assignment, and its
 * completion when done), kept nowhere; a change made through the mutations (an edit, a move, a
 * completion, a status change) appends an event at the change's time, kept in the Store. Events
 * are listed newest first. Boosts are derived from the recording: as many as its `boosts_count`
 * (render.ts), each by a member of its project, an hour apart after its creation.
 */
import { F, Person, Rec } from './model';
import type { Renderer } from './render';
import { iso, Obj } from './render-util';
import { hash32 } from './rng';
import { ID_BASE, Store } from './store';

/** Ids of the events a recording is born with: a few per recording, a range of their own. */
const BORN_EVENT_BASE = 1_051_000_000;
const BORN_PER_RECORDING = 4;
/** Ids of the events the mutations append. */
const APPENDED_EVENT_BASE = 1_054_000_000;
/** Boost ids: up to 8 per recording. */
const BOOST_ID_BASE = 971_000_000;
const BOOSTS_PER_RECORDING = 8;
const BOOST_TEXTS = ['Yay!', 'Nice', '🎉', 'Great work', '👍', 'Thanks!'];

export interface RecordingEvent {
  id: number;
  action: string;
  created: number;
  creator: Person;
  details: Obj;
}

/** Actions that take boosts: their events carry boosts_count and boosts_url. */
const BOOSTABLE = new Set(['completed', 'adopted', 'column_changed']);

/** The events a recording is born with, oldest first. */
function bornEvents(r: Rec): RecordingEvent[] {
  const base = BORN_EVENT_BASE + (r.id - ID_BASE.recording) * BORN_PER_RECORDING;
  const out: RecordingEvent[] = [{ id: base, action: 'created', created: r.created, creator: r.creator, details: { notified_recipient_ids: [] } }];
  if (r.kind !== 'todo') return out;
  // From the project's original members: stable under later joins and removals.
  const assignee = r.project.roster[hash32(r.seed, 61) % Math.max(1, r.project.roster.length)];
  if (assignee) {
    const details = { added_person_ids: [assignee.id], removed_person_ids: [] };
    out.push({ id: base + 1, action: 'assignment_changed', created: r.created, creator: r.creator, details });
  }
  if (r.has(F.completed) && r.extra2 >= r.created) {
    out.push({ id: base + 2, action: 'completed', created: r.extra2, creator: r.creator, details: { notified_recipient_ids: [r.creator.id] } });
  }
  return out;
}

/** Every event of a recording, oldest first. */
export function eventsOf(st: Store, r: Rec): RecordingEvent[] {
  return st.recordingEvents.get(r.id) ?? bornEvents(r);
}

/** A change the mutations made to a recording, at `now` by `by`: appended to its history. */
export function appendEvent(st: Store, r: Rec, action: string, now: number, by: Person, details: Obj = {}): void {
  const all = [...eventsOf(st, r)];
  all.push({ id: APPENDED_EVENT_BASE + st.appendedEvents++, action, created: now, creator: by, details });
  st.recordingEvents.set(r.id, all);
}

/** One event as the list answers it. */
export function renderRecordingEvent(x: Renderer, r: Rec, e: RecordingEvent): Obj {
  const o: Obj = { id: e.id, recording_id: r.id, action: e.action, details: e.details, created_at: iso(e.created), creator: x.person(e.creator) };
  if (BOOSTABLE.has(e.action)) {
    o.boosts_count = 0;
    o.boosts_url = `${x.rurl(r, `events/${e.id}/boosts.json`)}`;
  }
  return o;
}

/** A recording's events, newest first (as the list answers them). */
export function eventRows(st: Store, r: Rec): RecordingEvent[] {
  return [...eventsOf(st, r)].reverse();
}

/** The boosts of a recording: as many as its rendered boosts_count says. */
export function boostCount(r: Rec): number {
  const h = hash32(r.seed, 77);
  return h % 4 === 0 ? h % 6 : 0;
}

/** A recording's boosts, oldest first. */
export function renderBoosts(x: Renderer, r: Rec): Obj[] {
  const n = Math.min(boostCount(r), BOOSTS_PER_RECORDING);
  const members = r.project.roster.length > 0 ? r.project.roster : [r.creator];
  return Array.from({ length: n }, (_, k) => ({
    id: BOOST_ID_BASE + (r.id - ID_BASE.recording) * BOOSTS_PER_RECORDING + k,
    content: BOOST_TEXTS[hash32(r.seed, 78 + k) % BOOST_TEXTS.length],
    created_at: iso(r.created + (k + 1) * 3_600_000),
    booster: x.person(members[hash32(r.seed, 90 + k) % members.length] as Person),
  }));
}
