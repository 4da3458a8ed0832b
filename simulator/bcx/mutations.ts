/**
 * Changes made the way Basecamp 2 makes them: the changed record's updated_at moves to the
 * simulated clock (shared with the bc3 account), the change touches what the readings say it
 * touches (the project, the to-do list above a to-do, the commentable of a comment), and the
 * event Basecamp would log joins the progress (eventable: the changed record; for a comment,
 * its commentable). People, group and access changes log no event.
 */
import {
  Access,
  BAttachment,
  BCalendar,
  BcxReadings,
  BEvent,
  BF,
  BPerson,
  BProject,
  BRec,
  Bucket,
  COMMENTABLE_KINDS,
  EventAction,
  ProjectState,
  RecKind,
} from './model';
import { DAY, localMidnight } from './generate';
import { BcxStore } from './store';
import * as V from './views';
import { Rng } from '../rng';

/** The bcx streams the tap writes, in the spec's order. */
export const BCX_STREAMS = [
  'projects',
  'people',
  'groups',
  'accesses',
  'topics',
  'messages',
  'comments',
  'todolists',
  'todos',
  'documents',
  'attachments',
  'uploads',
  'calendars',
  'calendar_events',
  'forwards',
  'events',
] as const;
export type BcxStream = (typeof BCX_STREAMS)[number];

/** Streams whose records are content rows, and the row kind. */
export const STREAM_KIND: Record<string, RecKind> = {
  messages: 'message',
  comments: 'comment',
  todolists: 'todolist',
  todos: 'todo',
  documents: 'document',
  uploads: 'upload',
  calendar_events: 'calendar_event',
  forwards: 'forward',
};

/** Where a new row goes: a project, a standalone calendar (calendar events), or a parent row (to-dos, comments). */
export interface BcxParent {
  projectId?: number;
  calendarId?: number;
  parentId?: number;
}

export class BcxMutator {
  private rng: Rng;
  constructor(
    private st: BcxStore,
    seed: number,
    private readings: BcxReadings,
  ) {
    this.rng = new Rng((seed ^ 0xbc2c0ffe) >>> 0);
  }

  private tick(): number {
    this.st.clock += 1000;
    this.st.version++;
    return this.st.clock;
  }
  private log(now: number, bucket: Bucket, action: EventAction, eventable: BRec | null, comment: BRec | null = null, state: ProjectState | null = null): void {
    this.st.addEvent(new BEvent(this.st.id('event'), now, this.st.me, bucket, action, eventable, comment, state));
  }

  /** A row changed: it, and what the readings say it touches. */
  private touchRow(r: BRec, now: number): void {
    r.updated = now;
    if (r.kind === 'todo' && r.parent && this.readings.todoChangesTouchList) r.parent.updated = now;
    if (r.kind === 'comment' && r.parent && this.readings.commentsTouchCommentable) this.touchRow(r.parent, now);
    this.touchBucket(r.bucket, now);
  }
  private touchBucket(b: Bucket, now: number): void {
    if (this.readings.changesTouchProject) b.updated = now;
  }

  private project(id: number | undefined): BProject {
    const p = id === undefined ? undefined : this.st.project(id);
    if (!p) throw new Error(`simulator (bcx): no project with id ${id}`);
    return p;
  }
  private row(stream: string, id: number): BRec {
    const kind = STREAM_KIND[stream];
    const r = kind ? this.st.rec(id) : undefined;
    if (!r || r.kind !== kind) throw new Error(`simulator (bcx): no ${stream} record with id ${id}`);
    return r;
  }

  /** A content change (updated_at = now). */
  update(stream: string, id: number): void {
    const st = this.st;
    switch (stream) {
      case 'projects': {
        const p = this.project(id);
        const now = this.tick();
        p.rev++;
        p.updated = now;
        this.log(now, p, 'project_update', null);
        return;
      }
      case 'people': {
        const p = st.person(id);
        if (!p) throw new Error(`simulator (bcx): no person with id ${id}`);
        const now = this.tick();
        p.rev++;
        p.updated = now;
        return;
      }
      case 'groups': {
        const g = st.group(id);
        if (!g) throw new Error(`simulator (bcx): no group with id ${id}`);
        const now = this.tick();
        g.rev++;
        g.updated = now;
        return;
      }
      case 'calendars': {
        const c = st.calendar(id);
        if (!c) throw new Error(`simulator (bcx): no calendar with id ${id}`);
        const now = this.tick();
        c.rev++;
        c.updated = now;
        this.log(now, c, 'project_update', null);
        return;
      }
      case 'topics':
      case 'accesses':
      case 'attachments':
      case 'events':
        throw new Error(`simulator (bcx): ${stream} records change through their own records (update the topicable, the attachable, the person)`);
    }
    const r = this.row(stream, id);
    const now = this.tick();
    r.rev++;
    if (r.kind === 'document') r.who = st.me;
    this.touchRow(r, now);
    if (r.kind === 'comment' && r.parent) this.log(now, r.bucket, 'edit_comment', r.parent, r);
    else this.log(now, r.bucket, 'update', r);
  }

  /** Move to the trash: the record leaves the active lists; its single form still answers, trashed: true. */
  trash(stream: string, id: number): void {
    const st = this.st;
    if (stream === 'projects') return this.setProjectState(id, 'trashed');
    if (stream === 'people') {
      const p = st.person(id);
      if (!p) throw new Error(`simulator (bcx): no person with id ${id}`);
      const now = this.tick();
      p.trashed = true;
      p.updated = now;
      return;
    }
    if (stream === 'attachments') {
      const a = st.attachment(id);
      if (!a) throw new Error(`simulator (bcx): no attachment with id ${id}`);
      // Deleting an uploaded file deletes the upload; any other file is removed from what it is attached to.
      if (a.attachable.kind === 'upload') return this.trash('uploads', a.attachable.id);
      const now = this.tick();
      a.trashed = true;
      a.updated = now;
      this.touchRow(a.attachable, now);
      this.log(
        now,
        a.project,
        'update',
        a.attachable.kind === 'comment' ? (a.attachable.parent as BRec) : a.attachable,
        a.attachable.kind === 'comment' ? a.attachable : null,
      );
      return;
    }
    const r = this.row(stream, id);
    if (r.trashed) return;
    const now = this.tick();
    r.flags |= BF.trashed;
    this.touchRow(r, now);
    if (r.kind === 'comment' && r.parent) this.log(now, r.bucket, 'trash', r.parent, r);
    else this.log(now, r.bucket, 'trash', r);
  }

  create(stream: string, where: BcxParent = {}): number {
    const st = this.st;
    const kind = STREAM_KIND[stream];
    if (!kind) throw new Error(`simulator (bcx): cannot create records of stream ${stream} (people: addPerson; accesses: grantAccess)`);
    const { bucket, parent } = this.placeFor(kind, where);
    if (bucket instanceof BCalendar && kind !== 'calendar_event' && kind !== 'comment')
      throw new Error(`simulator (bcx): a calendar holds only calendar events`);
    const now = this.tick();
    const siblings = parent ? (parent.children ?? []) : bucket.recs;
    const positioned = kind === 'todolist' || kind === 'todo';
    const pos = positioned ? siblings.filter((x) => x.kind === kind).reduce((m, x) => Math.max(m, x.pos), 0) + 1 : 0;
    const r = new BRec(st.id('rec'), kind, bucket, parent, st.me, now, now, this.rng.u32(), pos, 0);
    st.addRec(r);
    this.fillNew(r, now);
    if (kind === 'comment' && parent) {
      st.topicFor(parent);
      this.touchRow(r, now);
      this.log(now, bucket, 'comment', parent, r);
    } else {
      this.touchRow(r, now);
      this.log(now, bucket, 'create', r);
    }
    return r.id;
  }

  /** Where a new row of `kind` goes: its bucket, and its parent row (comments and to-dos). */
  private placeFor(kind: RecKind, where: BcxParent): { bucket: Bucket; parent: BRec | null } {
    if (kind === 'comment') {
      const parent = where.parentId === undefined ? null : (this.st.rec(where.parentId) ?? null);
      if (!parent || !COMMENTABLE_KINDS.includes(parent.kind))
        throw new Error(`simulator (bcx): comments need parentId, a commentable row (got ${where.parentId})`);
      return { bucket: parent.bucket, parent };
    }
    if (kind === 'todo') {
      const parent = this.todolistFor(where);
      return { bucket: parent.bucket, parent };
    }
    if (kind === 'calendar_event' && where.calendarId !== undefined) {
      const c = this.st.calendar(where.calendarId);
      if (!c) throw new Error(`simulator (bcx): no calendar with id ${where.calendarId}`);
      return { bucket: c, parent: null };
    }
    return { bucket: this.project(where.projectId), parent: null };
  }

  /** The to-do list named by parentId, or the project's first active one. */
  private todolistFor(where: BcxParent): BRec {
    if (where.parentId !== undefined) {
      const list = this.st.rec(where.parentId);
      if (!list || list.kind !== 'todolist') throw new Error(`simulator (bcx): no to-do list with id ${where.parentId}`);
      return list;
    }
    const p = this.project(where.projectId);
    const list = p.recs.find((l) => l.kind === 'todolist' && V.listState(l) === 'active');
    if (!list) throw new Error(`simulator (bcx): project ${p.id} has no active to-do list`);
    return list;
  }

  /** What a new row of some kinds carries: a document's last editor, an event's times, a topic, an upload's file. */
  private fillNew(r: BRec, now: number): void {
    const st = this.st;
    if (r.kind === 'document') r.who = st.me;
    if (r.kind === 'calendar_event') {
      r.t1 = localMidnight(now + 2 * DAY) + 10 * 3_600_000;
      r.t2 = r.t1 + 3_600_000;
    }
    if (r.kind === 'message') st.topicFor(r);
    if (r.kind === 'upload' && r.bucket instanceof BProject)
      st.addAttachment(new BAttachment(st.id('attachment'), r.bucket, r, st.me, now, this.rng.u32(), false));
  }

  setProjectState(id: number, state: ProjectState): void {
    const p = this.project(id);
    if (p.state === state) return;
    const now = this.tick();
    p.state = state;
    p.updated = now;
    this.log(now, p, 'project_state', null, null, state);
  }

  addPerson(opts: { name?: string; admin?: boolean; client?: boolean } = {}): number {
    const st = this.st;
    const now = this.tick();
    const n = st.people.length;
    const p = new BPerson(
      st.id('person'),
      st.id('identity'),
      this.rng.u32(),
      opts.name ?? `New Person ${n}`,
      `new.person${n}@honchodesign.example.com`,
      opts.admin ?? false,
      opts.client ?? false,
      now,
    );
    st.addPerson(p);
    return p.id;
  }

  /** Give a person access to a project (or a standalone calendar). Logs no event. */
  grantAccess(bucketId: number, personId: number): void {
    const st = this.st;
    const b: Bucket | undefined = st.project(bucketId) ?? st.calendar(bucketId);
    const person = st.person(personId);
    if (!b) throw new Error(`simulator (bcx): no project or calendar with id ${bucketId}`);
    if (!person) throw new Error(`simulator (bcx): no person with id ${personId}`);
    if (b.hasAccess(person)) return;
    const now = this.tick();
    b.accesses.push(new Access(person, now));
    this.touchBucket(b, now);
  }
}
