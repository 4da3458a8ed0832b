/**
 * Builds the deterministic Basecamp 2 account: people (the first is the caller, the last few
 * trashed), groups with subgroups, projects of every kind and state with their accesses and
 * content, standalone calendars, and the history of events. Sizes scale with `records`, the
 * approximate number of records a full sync writes (default 600). Project 0 is the big one:
 * more than 50 accesses, topics and attachments, so those lists take two pages.
 */
import { Access, BCalendar, BEvent, BF, BGroup, BPerson, BProject, BRec, Bucket, EventAction, ProjectKind, ProjectState, RecKind, Recurring } from './model';
import { ContentHost, Log, ProjectContent } from './content';
import { BcxStore, ClockHolder } from './store';
import { DAY, HOUR, localMidnight, sec } from './time';
import { Rng } from '../rng';
import { CLOCK_START } from '../store';
import * as T from '../text';

export { DAY, OFFSET_MS, localMidnight, sec } from './time';

export const COLORS = ['3185c5', 'e07b53', '6aa84f', '8e7cc3', 'c27ba0', 'f1c232'] as const;
const GROUP_NAMES = ['Honcho Design', 'Partners', 'Leto Brand'] as const;
const SUBGROUP_NAMES = ['Designers', 'Support', 'Programmers', 'Account managers'] as const;
export const CALENDAR_NAMES = ['Board Meetings', 'General', 'Vacation', 'Office hours', 'Releases 🚀', 'Événements'] as const;

export interface BcxGenOptions {
  seed: number;
  records: number;
  name?: string;
}

/** Project kinds and states by index: the first nine give every case once or more. */
const FIRST_PROJECTS: [ProjectKind, ProjectState][] = [
  ['project', 'active'],
  ['project', 'active'],
  ['project', 'archived'],
  ['project', 'active'],
  ['draft', 'active'],
  ['template', 'active'],
  ['project', 'trashed'],
  ['project', 'active'],
  ['project', 'archived'],
];
const LATER_STATES: ProjectState[] = ['active', 'archived', 'active', 'active', 'archived', 'active', 'active', 'archived', 'active', 'trashed'];

/** How much of each kind of content a project gets. */
export interface Plan {
  messages: number;
  archivedTopics: number;
  lists: number;
  todosPerList: [number, number];
  documents: number;
  uploads: number;
  calendarEvents: number;
  forwards: number;
  /** Comments on messages, on top of the commented other rows. */
  messageComments: number;
  /** Non-message rows that get a comment (and so a topic). */
  commentedOthers: number;
  messageAttachments: number;
  commentAttachments: number;
  todoAttachments: number;
  linked: number;
  trashedRows: number;
}

export function generateBcx(opts: BcxGenOptions, clock: ClockHolder): BcxStore {
  return new Generator(opts, new BcxStore(clock)).run();
}

class Generator implements ContentHost {
  readonly rng: Rng;
  readonly hi = CLOCK_START - HOUR;
  private pending: { created: number; creator: BPerson; bucket: Bucket; action: EventAction; eventable: BRec | null; comment: BRec | null }[] = [];

  constructor(
    private o: BcxGenOptions,
    readonly st: BcxStore,
  ) {
    this.rng = new Rng((o.seed ^ 0xbc2) >>> 0);
  }

  run(): BcxStore {
    const { st, o } = this;
    const scale = Math.max(1, o.records / 600);
    st.name = o.name ?? `${T.COMPANIES[0]} (Basecamp 2)`;
    const accountCreated = sec(CLOCK_START - 800 * DAY);
    this.people(Math.min(3000, Math.max(56, Math.round(56 * Math.sqrt(scale)))), accountCreated);
    this.groups(Math.min(20, 3 + Math.floor(Math.log2(scale) * 2)), accountCreated);
    const nProjects = Math.max(9, Math.round(o.records / 80));
    // What is left after the people, the big project and the calendars, spread over the other projects.
    const fixed = 500 + 2 * st.people.length;
    const f = Math.max(0.25, (o.records - fixed) / (32 * (nProjects - 1)));
    for (let i = 0; i < nProjects; i++) this.project(i, f);
    const nCalendars = Math.min(CALENDAR_NAMES.length * 4, 2 + Math.floor(Math.log2(scale)));
    for (let i = 0; i < nCalendars; i++) this.calendar(i, Math.max(1, Math.round(f)));
    this.finishEvents();
    return st;
  }

  // ---------- helpers ----------
  time(lo: number, hi: number): number {
    return sec(lo + Math.floor(this.rng.next() * Math.max(1, hi - lo)));
  }
  private edited(created: number): number {
    if (this.rng.chance(0.8)) return created;
    return this.time(created, Math.min(this.hi, created + 30 * DAY));
  }
  private q(x: number, min = 0): number {
    const n = Math.floor(x) + (this.rng.chance(x - Math.floor(x)) ? 1 : 0);
    return Math.max(min, n);
  }
  event(created: number, creator: BPerson, bucket: Bucket, action: EventAction, eventable: BRec | null, comment: BRec | null = null): void {
    this.pending.push({ created, creator, bucket, action, eventable, comment });
  }

  // ---------- people and groups ----------
  private people(n: number, accountCreated: number): void {
    const { st, rng } = this;
    const emails = new Set<string>();
    const ascii = (s: string) =>
      s
        .normalize('NFD')
        .replace(/[\u0300-\u036f]/g, '')
        .toLowerCase()
        .replace(/[^a-z]/g, '');
    for (let i = 0; i < n; i++) {
      const seed = rng.u32();
      const name = T.personName(seed);
      const parts = name.split(' ');
      let local = `${ascii(parts[0] ?? 'x')}.${ascii(parts[1] ?? 'y')}`;
      if (emails.has(local)) local += i;
      emails.add(local);
      const client = i > 0 && i % 7 === 3;
      const created = i === 0 ? accountCreated : sec(accountCreated + rng.int(0, 500) * DAY + rng.int(0, DAY));
      const p = new BPerson(
        st.id('person'),
        st.id('identity'),
        seed,
        name,
        `${local}@${client ? 'letobrand' : 'honchodesign'}.example.com`,
        i === 0 || (!client && rng.chance(0.1)),
        client,
        created,
      );
      if (rng.chance(0.3)) p.updated = sec(created + rng.int(1, 60) * DAY);
      // The last three people were deleted from the account.
      if (i >= n - 3) {
        p.trashed = true;
        p.updated = sec(Math.max(p.updated, CLOCK_START - rng.int(2, 40) * DAY));
      }
      st.addPerson(p);
    }
  }

  private groups(n: number, accountCreated: number): void {
    const { st, rng } = this;
    const staff = st.people.filter((p) => !p.client && !p.trashed);
    const clients = st.people.filter((p) => p.client && !p.trashed);
    for (let i = 0; i < n; i++) {
      const created = sec(accountCreated + rng.int(1, 100) * DAY);
      const name = i < GROUP_NAMES.length ? (GROUP_NAMES[i] as string) : `Group ${i + 1}`;
      const g = new BGroup(st.id('group'), name, null, created, sec(created + rng.int(0, 5) * DAY));
      st.addGroup(g);
      const pool = i === 2 ? clients : staff;
      const size = Math.min(pool.length, 2 + rng.int(0, 6));
      const members = new Set<BPerson>(i === 0 ? [st.me] : []);
      while (members.size < size) members.add(rng.pick(pool));
      g.members = [...members];
      // Partners (index 1) has no subgroups, as in the docs' example.
      const nSub = i === 1 ? 0 : i === 0 ? 3 : rng.int(0, 2);
      for (let k = 0; k < nSub; k++) {
        const sc = sec(g.created + rng.int(1, 3) * DAY);
        const sg = new BGroup(st.id('group'), SUBGROUP_NAMES[(i + k) % SUBGROUP_NAMES.length] as string, g, sc, sc);
        st.addGroup(sg);
        const m = new Set<BPerson>();
        const ms = Math.min(pool.length, 1 + rng.int(0, 3));
        while (m.size < ms) m.add(rng.pick(pool));
        sg.members = [...m];
      }
    }
  }

  // ---------- projects ----------
  private project(i: number, f: number): void {
    const { st, rng } = this;
    let kind: ProjectKind = 'project';
    let state: ProjectState;
    if (i < FIRST_PROJECTS.length) [kind, state] = FIRST_PROJECTS[i] as [ProjectKind, ProjectState];
    else {
      state = LATER_STATES[i % LATER_STATES.length] as ProjectState;
      if (i % 40 === 24) [kind, state] = ['draft', 'active'];
      else if (i % 60 === 35) [kind, state] = ['template', 'active'];
    }
    const created = this.time(CLOCK_START - 700 * DAY, CLOCK_START - 90 * DAY);
    const p = new BProject(
      st.id('project'),
      i,
      rng.u32(),
      kind,
      state,
      created,
      st.me,
      kind === 'project' && (i === 0 || rng.chance(0.2)),
      kind !== 'template' ? i === 3 || rng.chance(0.2) : i % 2 === 1,
      i < 3 ? (COLORS[0] as string) : rng.pick(COLORS),
      i !== 1 && !rng.chance(0.15),
    );
    st.addProject(p);
    this.accesses(p, i === 0);
    const plan = i === 0 ? BIG : this.plan(kind === 'project' ? f : Math.min(f, 0.5));
    new ProjectContent(this, p, plan, kind === 'project').make();
    if (state === 'archived') p.updated = Math.max(p.updated, this.time(p.updated, this.hi));
  }

  private accesses(b: Bucket, everyone: boolean): void {
    const { st, rng } = this;
    b.accesses.push(new Access(st.me, b.created));
    const pool = st.people.slice(1);
    if (everyone) {
      // Everyone, the deleted people included (their accesses stay but are not listed).
      for (const p of pool) b.accesses.push(new Access(p, this.time(b.created, b.created + 60 * DAY)));
    } else {
      const n = Math.min(pool.length, 1 + rng.int(0, 3) + Math.floor(Math.sqrt(pool.length) / 4));
      const chosen = new Set<BPerson>();
      while (chosen.size < n) chosen.add(rng.pick(pool));
      for (const p of chosen) b.accesses.push(new Access(p, this.time(b.created, b.created + 60 * DAY)));
    }
    b.accesses.sort((a, c) => a.granted - c.granted || a.person.id - c.person.id);
    b.baseAccesses = b.accesses.length;
    for (const a of b.accesses) if (a.granted > b.updated) b.updated = a.granted;
  }

  private plan(f: number): Plan {
    const lists = this.q(f, 1);
    return {
      messages: this.q(1.5 * f, 1),
      archivedTopics: this.rng.chance(0.2) ? 1 : 0,
      lists,
      todosPerList: [2, 4],
      documents: this.q(0.7 * f),
      uploads: this.q(f),
      calendarEvents: this.q(f),
      forwards: this.q(0.4 * f),
      messageComments: this.q(1.2 * f),
      commentedOthers: this.q(1.5 * f),
      messageAttachments: this.q(0.3 * f),
      commentAttachments: this.q(0.15 * f),
      todoAttachments: this.q(0.15 * f),
      linked: this.rng.chance(0.1) ? 1 : 0,
      trashedRows: this.rng.chance(0.4) ? 1 : 0,
    };
  }

  private creatorsOf(b: Bucket): BPerson[] {
    return b.accesses.slice(0, b.baseAccesses).map((a) => a.person);
  }

  mk(b: Bucket, kind: RecKind, parent: BRec | null, created: number, creator: BPerson, o: { pos?: number; flags?: number; updated?: number } = {}): BRec {
    const st = this.st;
    const updated = o.updated ?? this.edited(created);
    const r = new BRec(st.id('rec'), kind, b, parent, creator, created, updated, this.rng.u32(), o.pos ?? 0, o.flags ?? 0);
    if (kind !== 'comment' && kind !== 'todo' && this.rng.chance(0.07)) r.flags |= BF.private;
    st.addRec(r);
    if (updated > b.updated) b.updated = updated;
    return r;
  }

  trash(r: BRec, log: Log): void {
    const t = this.time(Math.max(r.updated, r.created) + 60_000, this.hi);
    r.flags |= BF.trashed;
    r.updated = t;
    if (r.kind === 'comment' && r.parent) log(t, r.creator, 'trash', r.parent, r);
    else log(t, r.creator, 'trash', r);
  }

  calendarEvent(b: Bucket, lo: number, creator: BPerson, force?: 'sample' | 'endless'): BRec {
    const { rng } = this;
    const created = this.time(lo, this.hi);
    const e = this.mk(b, 'calendar_event', null, created, creator);
    // Some lie ahead of the simulated now (upcoming), most are past.
    const start = created + (rng.chance(0.3) ? rng.int(20, 160) : rng.int(-5, 30)) * DAY;
    if (rng.chance(0.4)) {
      e.flags |= BF.allDay;
      e.t1 = localMidnight(start);
      e.t2 = e.t1 + rng.int(0, 2) * DAY;
    } else {
      e.t1 = localMidnight(start) + rng.int(8, 17) * HOUR;
      e.t2 = e.t1 + rng.int(0, 3) * HOUR;
    }
    if (force) {
      e.recurring = { frequency: 'weekly', count: force === 'sample' ? 5 : null, until: 0, excluding: force === 'sample' ? [2, 3] : [] };
    } else if (rng.chance(0.2)) {
      const kind = rng.int(0, 3);
      const rr: Recurring = { frequency: rng.pick(['daily', 'weekly', 'weekly', 'monthly', 'yearly'] as const), count: null, until: 0, excluding: [] };
      if (kind === 0) rr.count = rng.int(3, 10);
      else if (kind === 1) rr.until = localMidnight(e.t1 + rng.int(20, 120) * DAY);
      if (rng.chance(0.4)) rr.excluding = [2, 3];
      e.recurring = rr;
    }
    return e;
  }

  // ---------- standalone calendars ----------
  private calendar(i: number, n: number): void {
    const { st, rng } = this;
    const created = this.time(CLOCK_START - 600 * DAY, CLOCK_START - 100 * DAY);
    const c = new BCalendar(st.id('calendar'), rng.u32(), i, created, st.me, rng.pick(COLORS));
    st.addCalendar(c);
    this.accesses(c, false);
    const creators = this.creatorsOf(c);
    const count = 1 + n + (i === 0 ? 2 : 0);
    for (let k = 0; k < count; k++) {
      const e = this.calendarEvent(c, created + HOUR, rng.pick(creators), k === 0 ? 'endless' : undefined);
      this.event(e.created, e.creator, c, 'create', e);
      if (k < 2) {
        const cm = this.mk(c, 'comment', e, this.time(e.created + 60_000, this.hi), rng.pick(creators));
        if (cm.updated > e.updated) e.updated = cm.updated;
        this.event(cm.created, cm.creator, c, 'comment', e, cm);
      }
    }
  }

  // ---------- events ----------
  private finishEvents(): void {
    const st = this.st;
    this.pending.sort((a, b) => a.created - b.created || (a.eventable?.id ?? 0) - (b.eventable?.id ?? 0));
    for (const e of this.pending) {
      st.addEvent(new BEvent(st.id('event'), e.created, e.creator, e.bucket, e.action, e.eventable, e.comment));
    }
    this.pending = [];
  }
}

/** The big project (index 0): pages of accesses, topics and attachments in the default account. */
const BIG: Plan = {
  messages: 32,
  archivedTopics: 2,
  lists: 4,
  todosPerList: [3, 5],
  documents: 4,
  uploads: 25,
  calendarEvents: 6,
  forwards: 2,
  messageComments: 6,
  commentedOthers: 24,
  messageAttachments: 18,
  commentAttachments: 6,
  todoAttachments: 3,
  linked: 2,
  trashedRows: 3,
};
