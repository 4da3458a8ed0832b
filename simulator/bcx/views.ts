/**
 * What the account looks like through the API: which rows a list shows (trashed rows and rows
 * under a trashed list leave the lists), the to-do lists' states, topics and their activity,
 * calendar events ahead and past. Routes, payloads and expected records all ask here, so they
 * always agree.
 */
import { BAttachment, BCalendar, BF, BPerson, BProject, BRec, Bucket, RecKind } from './model';
import { BcxStore } from './store';

/** A row no list hides: it and every row above it are not trashed. */
export function visible(r: BRec): boolean {
  for (let x: BRec | null = r; x; x = x.parent) if (x.trashed) return false;
  return true;
}
export function attachmentVisible(a: BAttachment): boolean {
  return !a.trashed && visible(a.attachable);
}
/** Private rows: to-dos and comments share their parent's flag. */
export function isPrivate(r: BRec): boolean {
  let x: BRec = r;
  while ((x.kind === 'todo' || x.kind === 'comment') && x.parent) x = x.parent;
  return x.has(BF.private);
}

export type ListState = 'active' | 'completed' | 'trashed';
/** A to-do list is completed once it has to-dos and none of them remains open. */
export function listCounts(l: BRec): { remaining: number; completed: number } {
  let remaining = 0;
  let completed = 0;
  if (l.children) {
    for (const t of l.children) {
      if (t.kind !== 'todo' || t.trashed) continue;
      if (t.has(BF.completed)) completed++;
      else remaining++;
    }
  }
  return { remaining, completed };
}
export function listState(l: BRec): ListState {
  if (l.trashed) return 'trashed';
  const c = listCounts(l);
  return c.remaining === 0 && c.completed > 0 ? 'completed' : 'active';
}

/** Top-level rows of one kind in a bucket, trashed ones left out. */
export function rows(b: Bucket, kind: RecKind): BRec[] {
  const out: BRec[] = [];
  for (const r of b.recs) if (r.kind === kind && !r.trashed) out.push(r);
  return out;
}

/** To-dos of a list: open ones by position, completed ones newest completion first, trashed ones by position. */
export function listTodos(l: BRec): { remaining: BRec[]; completed: BRec[]; trashed: BRec[] } {
  const remaining: BRec[] = [];
  const completed: BRec[] = [];
  const trashed: BRec[] = [];
  if (l.children) {
    for (const t of l.children) {
      if (t.kind !== 'todo') continue;
      if (t.trashed) trashed.push(t);
      else if (t.has(BF.completed)) completed.push(t);
      else remaining.push(t);
    }
  }
  const byPos = (a: BRec, b: BRec) => a.pos - b.pos || a.id - b.id;
  remaining.sort(byPos);
  completed.sort((a, b) => b.t1 - a.t1 || a.id - b.id);
  trashed.sort(byPos);
  return { remaining, completed, trashed };
}

/** Comments a payload embeds: not trashed, oldest first. */
export function comments(r: BRec): BRec[] {
  return r.live('comment').sort((a, b) => a.created - b.created || a.id - b.id);
}

// ---------- topics ----------
const TOPICABLE = new Set<RecKind>(['message', 'todolist', 'document', 'upload', 'calendar_event', 'forward']);

/** Rows of a project with a topic that its topic lists show (archived or not). */
export function topicables(p: BProject, archived: boolean): BRec[] {
  const out: BRec[] = [];
  const take = (r: BRec) => {
    if (r.topicId !== 0 && r.has(BF.archived) === archived && visible(r)) out.push(r);
  };
  for (const r of p.recs) {
    if (!TOPICABLE.has(r.kind)) continue;
    take(r);
    if (r.kind === 'todolist' && r.children) for (const t of r.children) if (t.kind === 'todo') take(t);
  }
  return out.sort((a, b) => topicUpdated(b) - topicUpdated(a) || b.topicId - a.topicId);
}
/** A topic's last activity: its row's change or its newest comment. */
export function topicUpdated(r: BRec): number {
  let t = r.updated;
  if (r.children) for (const c of r.children) if (c.kind === 'comment' && !c.trashed && c.updated > t) t = c.updated;
  return t;
}
export function latestComment(r: BRec): BRec | null {
  let best: BRec | null = null;
  if (r.children)
    for (const c of r.children)
      if (c.kind === 'comment' && !c.trashed && (!best || c.created > best.created || (c.created === best.created && c.id > best.id))) best = c;
  return best;
}
/** Files attached to a topic's row and its comments. */
export function topicAttachments(r: BRec): number {
  let n = 0;
  const count = (x: BRec) => {
    if (x.attachments) for (const a of x.attachments) if (!a.trashed) n++;
  };
  count(r);
  if (r.children) for (const c of r.children) if (c.kind === 'comment' && !c.trashed) count(c);
  return n;
}

// ---------- attachments ----------
export function attachments(p: BProject): BAttachment[] {
  return p.attachments.filter(attachmentVisible);
}

// ---------- calendar events ----------
/** The end of the last occurrence (Infinity for an endless recurrence). */
export function lastEnd(e: BRec): number {
  // An all-day event lasts until the end of its last day.
  const end = e.has(BF.allDay) ? e.t2 + 86_400_000 : e.t2;
  const rr = e.recurring;
  if (!rr) return end;
  if (rr.count === null && rr.until === 0) return Infinity;
  let last = e.t1;
  for (const s of occurrences(e, e.t1, Infinity, 500)) last = s.start;
  return last + (end - e.t1);
}
/** Upcoming events end today or later; past ones ended before. */
export function isPast(e: BRec, now: number): boolean {
  return lastEnd(e) < now;
}
/** The start of the n-th repetition after `base` (a UTC date), per the recurrence's frequency. */
function nthStart(base: Date, frequency: string, n: number): number {
  const d = new Date(base.getTime());
  if (frequency === 'daily') d.setUTCDate(d.getUTCDate() + n);
  else if (frequency === 'weekly') d.setUTCDate(d.getUTCDate() + 7 * n);
  else if (frequency === 'monthly') d.setUTCMonth(d.getUTCMonth() + n);
  else d.setUTCFullYear(d.getUTCFullYear() + n);
  return d.getTime();
}
/** Occurrence starts of an event (number 0 is the event itself) in [from, to), excluded numbers skipped. */
export function occurrences(e: BRec, from: number, to: number, max = 10_000): { n: number; start: number }[] {
  const out: { n: number; start: number }[] = [];
  const rr = e.recurring;
  const dur = (e.has(BF.allDay) ? e.t2 + 86_400_000 : e.t2) - e.t1;
  if (!rr) {
    if (e.t1 + dur > from && e.t1 < to) out.push({ n: 0, start: e.t1 });
    return out;
  }
  const base = new Date(e.t1);
  const count = Math.min(max, rr.count ?? Infinity);
  // The day `until` names is the last one an occurrence may start on.
  const end = Math.min(to, rr.until !== 0 ? rr.until + 86_400_000 : Infinity);
  for (let n = 0; n < count; n++) {
    const start = nthStart(base, rr.frequency, n);
    if (start >= end) break;
    if (!rr.excluding.includes(n) && start + dur > from) out.push({ n, start });
  }
  return out;
}
export function calendarEvents(b: Bucket, past: boolean, now: number): BRec[] {
  return rows(b, 'calendar_event')
    .filter((e) => isPast(e, now) === past)
    .sort(past ? (a, b) => b.t1 - a.t1 || a.id - b.id : (a, b) => a.t1 - b.t1 || a.id - b.id);
}

// ---------- people ----------
/** People a bucket's accesses list shows (deleted people lose theirs from view). */
export function accessList(b: Bucket): BPerson[] {
  return b.accesses.filter((a) => !a.person.trashed).map((a) => a.person);
}
export function assignedOpenTodos(st: BcxStore, p: BPerson): BRec[] {
  return st.kind('todo').filter((t) => t.who === p && !t.has(BF.completed) && visible(t) && bucketListed(t.bucket));
}
/** Content of trashed projects is out of reach. */
export function bucketListed(b: Bucket): boolean {
  return b instanceof BCalendar || b.state !== 'trashed';
}
