/**
 * Changes made the way Basecamp makes them: the edited record's updated_at moves to
 * the simulated clock, a to-do / group / list change touches the to-do list above it,
 * a document / upload / folder joining or leaving a vault touches the vault, and any
 * change inside a project touches the project. Nothing else is touched, even where an
 * embedded copy (parent title, creator, counts) changes: a new forward, reply, question,
 * answer, card, comment or needle leaves its parent's updated_at where it was (its count
 * follows, being rendered from the children). Where the docs leave it open a reading
 * decides (to-do lists, a campfire's lines, memberships: see Readings in routes.ts).
 */
import { AccessChange, changeMembership, membershipRefusal } from './members';
import { FeedEventType } from './feed';
import { Category, F, Kind, Marker, Person, Project, Rec, Status, TimelineEvent, toolTitles, TOOL_KINDS } from './model';
import { Rng } from './rng';
import type { Readings } from './routes';
import { ID_BASE, Store } from './store';
import { appendEvent } from './history';
import { replaceFile } from './versions';

/** The readings a change follows. */
export type MutationReadings = Pick<
  Readings,
  'changesTouchList' | 'changesTouchProject' | 'touchLagMs' | 'linesTouchCampfire' | 'membershipTouchesProject' | 'membershipInTimeline'
>;
const MUTATION_READINGS: MutationReadings = {
  changesTouchList: true,
  changesTouchProject: true,
  touchLagMs: 0,
  linesTouchCampfire: false,
  membershipTouchesProject: true,
  membershipInTimeline: true,
};

import { CREATED_EVENT, DEFAULT_PARENT, EDITED_EVENT, MOVES_UNDER, POSITIONED, STREAM_KIND, STREAM_PARENT } from './kinds';

export { STREAM_KIND };

/** The event a status change appends to a recording's history. */
const STATUS_ACTION: Record<Status, string> = { active: 'unarchived', archived: 'archived', trashed: 'trashed' };

export class Mutator {
  private rng: Rng;
  constructor(
    private st: Store,
    seed: number,
    private readings: MutationReadings = MUTATION_READINGS,
  ) {
    this.rng = new Rng(seed ^ 0x0c0ffee);
  }

  private tick(same = false): number {
    if (!same) this.st.clock += 1000;
    this.st.version++;
    return this.st.clock;
  }

  /**
   * To-do / group / list changes touch the list(s) above, a line its campfire (under the readings
   * that say so); everything touches the project.
   */
  private touch(r: Rec, now: number): void {
    if (this.readings.linesTouchCampfire && r.kind === 'line' && r.parent) r.parent.updated = now;
    if (r.kind === 'todo' || r.kind === 'group' || r.kind === 'todolist') this.touchListsFrom(r.parent, now);
    this.touchProject(r.project, now);
  }
  private touchListsFrom(list: Rec | null, now: number): void {
    if (!this.readings.changesTouchList) return;
    for (let p = list; p && (p.kind === 'todolist' || p.kind === 'group'); p = p.parent) p.updated = now + this.readings.touchLagMs;
  }
  /** An event in the account's feed, when the catalog has a type for the change. */
  private feedEvent(type: FeedEventType | undefined, r: Rec, now: number, details?: Record<string, unknown>): void {
    if (!type) return;
    this.st.feed.record({ type, created: now, bucketId: r.project.id, creatorId: r.creator.id, recordingId: r.id, ...(details ? { details } : {}) });
  }
  /**
   * A record that joins or leaves a vault changes the vault's documents/uploads/vaults counts:
   * the vault is touched, as a to-do list is by its to-dos.
   */
  private touchCounted(r: Rec, now: number): void {
    if ((r.kind === 'document' || r.kind === 'upload' || r.kind === 'vault') && r.parent?.kind === 'vault') {
      r.parent.updated = now;
    }
  }
  /** A change inside the project moves its updated_at, unless the reading says changes inside do not. */
  private touchProject(p: Project, now: number): void {
    if (this.readings.changesTouchProject) p.updated = now + this.readings.touchLagMs;
  }

  private recOf(stream: string, id: number): Rec {
    const kind = STREAM_KIND[stream];
    const r = kind ? this.st.rec(id) : undefined;
    if (!r || r.kind !== kind) throw new Error(`simulator: no ${stream} record with id ${id}`);
    return r;
  }

  update(stream: string, id: number, opts: { sameTimestamp?: boolean } = {}): void {
    const same = opts.sameTimestamp === true;
    switch (stream) {
      case 'account': {
        const now = this.tick(same);
        this.st.account.rev++;
        this.st.account.updated = now;
        return;
      }
      case 'projects':
      case 'templates': {
        const p = stream === 'projects' ? this.st.project(id) : this.st.template(id);
        if (!p) throw new Error(`simulator: no ${stream} record with id ${id}`);
        const now = this.tick(same);
        p.rev++;
        p.updated = now;
        return;
      }
      case 'people':
      case 'project_people': {
        const person = this.st.person(id);
        if (!person) throw new Error(`simulator: no person with id ${id}`);
        const now = this.tick(same);
        person.rev++;
        person.updated = now;
        person.cache = null;
        person.json = null;
        return;
      }
      case 'message_types': {
        const c = this.st.category(id);
        if (!c) throw new Error(`simulator: no message type with id ${id}`);
        const now = this.tick(same);
        c.rev++;
        c.updated = now;
        this.touchProject(c.project, now);
        return;
      }
      case 'lineup_markers': {
        const m = this.st.markers.find((x) => x.id === id);
        if (!m) throw new Error(`simulator: no lineup marker with id ${id}`);
        const now = this.tick(same);
        m.rev++;
        m.updated = now;
        return;
      }
      case 'timeline_events':
        throw new Error('simulator: timeline events have no updated_at and cannot be updated');
    }
    const r = this.recOf(stream, id);
    const now = this.tick(same);
    r.rev++;
    r.updated = now;
    appendEvent(this.st, r, 'content_changed', now, r.creator);
    this.touch(r, now);
    this.feedEvent(EDITED_EVENT[r.kind], r, now);
  }

  /**
   * Moves a to-do to another list or group, or a card to another column, of its project (last
   * among its new siblings): the feed's todo.moved, or card.moved naming both columns.
   */
  move(stream: string, id: number, parentId: number): void {
    const r = this.recOf(stream, id);
    const to = this.st.rec(parentId);
    const from = r.parent;
    if (!from || !to || to.project !== r.project || !MOVES_UNDER[r.kind]?.includes(to.kind)) {
      throw new Error(`simulator: cannot move ${stream} ${id} under recording ${parentId}`);
    }
    const now = this.tick();
    if (from.children) from.children = from.children.filter((c) => c !== r);
    r.pos = (to.children ?? []).filter((c) => c.kind === r.kind).reduce((m, c) => Math.max(m, c.pos), 0) + 1;
    r.parent = to;
    to.addChild(r);
    r.rev++;
    r.updated = now;
    appendEvent(this.st, r, r.kind === 'card' ? 'column_changed' : 'moved', now, r.creator, { from_id: from.id, to_id: to.id });
    if (r.kind === 'card') {
      from.updated = now;
      to.updated = now;
    }
    this.touchListsFrom(from, now);
    this.touch(r, now);
    this.feedEvent(r.kind === 'card' ? 'card.moved' : 'todo.moved', r, now, r.kind === 'card' ? { column_id: to.id, previous_column_id: from.id } : undefined);
  }

  setStatus(stream: string, id: number, status: Status): void {
    if (stream === 'projects' || stream === 'templates') {
      const p = stream === 'projects' ? this.st.project(id) : this.st.template(id);
      if (!p) throw new Error(`simulator: no ${stream} record with id ${id}`);
      const now = this.tick();
      p.status = status;
      p.updated = now;
      return;
    }
    const r = this.recOf(stream, id);
    const now = this.tick();
    appendEvent(this.st, r, STATUS_ACTION[status], now, r.creator);
    r.status = status;
    r.updated = now;
    this.touch(r, now);
    this.touchCounted(r, now);
  }

  /** A to-do marked done by `by` (a person of the account): it leaves its list's ordering, the list's ratio moves. */
  complete(stream: string, id: number, by?: number): void {
    if (stream !== 'todos') throw new Error(`simulator: only to-dos can be completed, not ${stream}`);
    const r = this.recOf(stream, id);
    const now = this.tick();
    const who = by === undefined ? -1 : this.st.people.findIndex((p) => p.id === by);
    // Before the flag: the history a to-do is born with says whether it was done.
    appendEvent(this.st, r, 'completed', now, this.st.people[who] ?? r.creator, { notified_recipient_ids: [] });
    r.flags |= F.completed;
    r.extra2 = now; // the completion's time (render-work.ts)
    r.extra = who >= 0 ? who : 0; // the completer's index in the account's people
    r.updated = now;
    this.touch(r, now);
    this.feedEvent('todo.completed', r, now);
  }

  create(stream: string, where: { projectId?: number; parentId?: number }): number {
    const special = this.specialCreators[stream];
    if (special) return special(where);
    const kind = STREAM_KIND[stream];
    if (!kind) throw new Error(`simulator: cannot create records of stream ${stream}`);
    return this.createRecording(kind, where, STREAM_PARENT[stream] ?? DEFAULT_PARENT[kind] ?? []);
  }

  /** Streams whose records are not recordings: each is created its own way. */
  private specialCreators: Record<string, (where: { projectId?: number; parentId?: number }) => number> = {
    people: (where) => this.createPerson(where.projectId),
    projects: () => this.newProject().id,
    timeline_events: (where) => {
      const pr = this.projectOf(where.projectId);
      const now = this.tick();
      const e = new TimelineEvent(
        this.st.id('event'),
        pr,
        'project_access_changed',
        now,
        this.st.people[0] as Person,
        null,
        pr.members[pr.members.length - 1] ?? null,
      );
      this.st.addEvent(e);
      return e.id;
    },
    message_types: (where) => {
      const pr = this.projectOf(where.projectId);
      const now = this.tick();
      const c = new Category(this.st.id('category'), pr, pr.categories.length, now, now);
      this.st.addCategory(c);
      this.touchProject(pr, now);
      return c.id;
    },
    // A new file for an upload (parentId): its updated_at moves, as an edit's would.
    upload_versions: (where) => {
      const upload = this.st.rec(where.parentId ?? -1);
      if (!upload) throw new Error(`simulator: no upload with id ${where.parentId}`);
      const now = this.tick();
      const id = replaceFile(this.st, upload, now, upload.project.members[0] ?? upload.creator);
      upload.updated = now;
      this.touch(upload, now);
      return id;
    },
    // A project link has no parent: it hangs from the project (left out of its dock).
    external_links: (where) => {
      const pr = this.projectOf(where.projectId);
      const now = this.tick();
      const pos = this.st.kind('door').filter((d) => d.project === pr).length + 1;
      const creator = pr.members[0] ?? (this.st.people[0] as Person);
      const r = new Rec(this.st.id('recording'), 'door', pr, null, creator, now, now, 'active', this.rng.u32(), pos, 0, 0, 0);
      this.st.addRec(r);
      this.touchProject(pr, now);
      return r.id;
    },
    lineup_markers: () => {
      const now = this.tick();
      const m = new Marker(this.st.id('marker'), this.rng.u32(), now + 7 * 86_400_000, now, now);
      this.st.markers.push(m);
      return m.id;
    },
  };

  /** A new person, a member of the project when one is named. */
  private createPerson(projectId: number | undefined): number {
    const st = this.st;
    const pr = projectId === undefined ? undefined : this.projectOf(projectId);
    const now = this.tick();
    const seed = this.rng.u32();
    const n = st.people.length;
    const p = new Person(
      st.id('person'),
      seed,
      `New Person ${n}`,
      `new.person${n}@honchodesign.example.com`,
      'User',
      true,
      false,
      false,
      now,
      false,
      false,
      true,
      'Etc/UTC',
      st.people[0]?.company ?? null,
    );
    st.addPerson(p);
    if (pr) changeMembership(st, this.readings, pr, p, 'granted', now);
    return p.id;
  }

  /** The person joins (`granted`) or leaves (`removed`) the project. */
  membership(projectId: number, personId: number, change: AccessChange): void {
    const pr = this.projectOf(projectId);
    const person = this.st.person(personId);
    if (!person) throw new Error(`simulator: no person with id ${personId}`);
    const refusal = membershipRefusal(pr, person, change);
    if (refusal) throw new Error(refusal);
    changeMembership(this.st, this.readings, pr, person, change, this.tick());
  }

  /** A new recording's extra and extra2 (see Rec): column type, needle position, hours and person, ... */
  private extras(kind: Kind, now: number, creator: Person): [number, number] {
    switch (kind) {
      case 'schedule_entry':
        return [0, now + 86_400_000];
      case 'column':
        return [2, 0];
      case 'needle':
        return [this.rng.int(0, 100), 0];
      case 'timesheet_entry':
        return [4, creator.id - ID_BASE.person];
      case 'approval':
        return [creator.id - ID_BASE.person, 0];
      default:
        return [0, 0];
    }
  }

  private createRecording(kind: Kind, where: { projectId?: number; parentId?: number }, allowed: Kind[]): number {
    const st = this.st;
    const parent = this.parentFor(kind, where, allowed);
    const now = this.tick();
    const siblings = parent.children?.filter((c) => c.kind === kind) ?? [];
    const pos = siblings.reduce((m, c) => Math.max(m, c.pos), 0) + 1;
    const creator = parent.project.members[0] ?? (st.people[0] as Person);
    const [extra, extra2] = this.extras(kind, now, creator);
    const r = new Rec(
      st.id('recording'),
      kind,
      parent.project,
      parent,
      creator,
      now,
      now,
      'active',
      this.rng.u32(),
      POSITIONED.has(kind) ? pos : 0,
      0,
      extra,
      extra2,
    );
    st.addRec(r);
    if (kind === 'timesheet_entry') parent.project.timesheet.push(r);
    this.touch(r, now);
    this.touchCounted(r, now);
    this.feedEvent(CREATED_EVENT[kind], r, now);
    return r.id;
  }

  private projectOf(id: number | undefined): Project {
    const p = id === undefined ? undefined : this.st.project(id);
    if (!p) throw new Error(`simulator: no project with id ${id}`);
    return p;
  }

  /** The parent named by parentId, or the first suitable one in the named project. */
  private parentFor(kind: Kind, where: { projectId?: number; parentId?: number }, allowed: Kind[]): Rec {
    if (where.parentId !== undefined) {
      const p = this.st.rec(where.parentId);
      if (!p) throw new Error(`simulator: no recording with id ${where.parentId}`);
      if (kind !== 'comment' && !allowed.includes(p.kind)) throw new Error(`simulator: a ${kind} cannot live under a ${p.kind}`);
      return p;
    }
    const pr = this.projectOf(where.projectId);
    if (kind === 'approval' || kind === 'correspondence') {
      if (!pr.clientBoard) throw new Error(`simulator: project ${pr.id} has no clientside`);
      return pr.clientBoard;
    }
    if (kind === 'needle') {
      if (!pr.gauge) throw new Error(`simulator: project ${pr.id} has no gauge`);
      return pr.gauge;
    }
    // Breadth-first through the enabled dock for the first recording of an allowed kind.
    const queue: Rec[] = pr.dock.filter((t) => t.has(F.enabled));
    while (queue.length) {
      const r = queue.shift() as Rec;
      if (allowed.includes(r.kind) && r.status === 'active') return r;
      if (r.children) queue.push(...r.children.filter((c) => c.status === 'active'));
    }
    throw new Error(`simulator: project ${pr.id} has nowhere to put a ${kind}`);
  }

  private newProject(): Project {
    const st = this.st;
    const now = this.tick();
    const idx = st.projects.length;
    const p = new Project(st.id('project'), idx, false, `New project ${idx} ✨`, this.rng.u32(), 'active', now, 'topic', false, false, null, null);
    st.addProject(p);
    const owner = st.people[0] as Person;
    p.members = [owner];
    p.roster = [owner];
    let pos = 0;
    const titles = ['Message Board', 'To-dos', 'Docs & Files', 'Chat', 'Schedule', 'Automatic Check-ins', 'Email Forwards', 'Card Table'];
    TOOL_KINDS.forEach((kind, i) => {
      const enabled = i < 5;
      const t = new Rec(st.id('recording'), kind, p, null, owner, now, now, 'active', this.rng.u32(), enabled ? ++pos : 0, enabled ? F.enabled : 0, 0, 0);
      st.addRec(t);
      toolTitles.set(t, titles[i] as string);
      p.dock.push(t);
    });
    p.gauge = st.addRec(new Rec(st.id('recording'), 'gauge', p, null, owner, now, now, 'active', this.rng.u32(), 0, F.enabled, 0, 0));
    return p;
  }
}
