/**
 * Builds a deterministic account: people, projects (with docks), their contents,
 * templates, timeline events and lineup markers. Sizes scale with `records`, the
 * approximate number of records a full sync emits.
 */
import { CORE_TOOLS, Ctx, DAY, DOCK_OVERRIDES, HOUR, pidx, PROJECT_STATUS_CYCLE, SECOND_TOOL, TOOL_TITLES } from './generate-base';
import { generatePeople } from './generate-people';
import { ToolGenerator } from './generate-tools';
import { Category, F, Kind, Marker, Person, Project, Rec, Status, TimelineEvent, toolTitles, ToolKind, TOOL_KINDS } from './model';
import { announce, LINKED_KINDS } from './linked';
import { CLOCK_START, Store } from './store';
import * as T from './text';

export interface GenOptions {
  seed: number;
  records: number;
  accountId: number;
  projects?: number;
}

export function generate(opts: GenOptions): Store {
  return new Generator(opts).run();
}

class Generator extends ToolGenerator {
  private clientPeople: Person[] = [];
  /** Each project's generation context, for what is drawn after all projects (basecamp5()). */
  private contexts: Ctx[] = [];
  private staff: Person[] = [];
  /** What fills each kind of tool of a project's dock. */
  private fillers: Record<ToolKind, (c: Ctx, tool: Rec) => void> = {
    message_board: (c, t) => this.messages(c, t),
    todoset: (c, t) => this.todos(c, t),
    vault: (c, t) => this.vaults(c, t),
    chat: (c, t) => this.lines(c, t),
    schedule: (c, t) => this.entries(c, t),
    questionnaire: (c, t) => this.questions(c, t),
    inbox: (c, t) => this.forwards(c, t),
    kanban_board: (c, t) => this.cards(c, t),
  };

  constructor(private o: GenOptions) {
    super(o.seed);
  }

  run(): Store {
    const { st, rng, o } = this;
    const scale = Math.max(1, o.records / 1500);
    const accountCreated = CLOCK_START - 760 * DAY + rng.int(0, DAY);
    st.account = { id: o.accountId, name: T.COMPANIES[0], created: accountCreated, updated: accountCreated + 3 * DAY, rev: 0 };
    const people = generatePeople(st, rng, Math.min(2000, Math.max(14, Math.round(14 * Math.sqrt(scale)))), accountCreated);
    this.clientPeople = people.clientPeople;
    this.staff = people.staff;

    const nProjects = o.projects ?? Math.max(10, Math.round(10 * Math.sqrt(scale)));
    // Per-project share of the content; the factor and the fixed per-project records (dock,
    // message types, members, columns) make the emitted total come out close to `records`.
    const budget = Math.max(20, (o.records * 1.25) / nProjects - 25);
    for (let i = 0; i < nProjects; i++) this.project(i, budget);
    this.templates();
    this.markers();
    this.linkedItems();
    this.finishEvents();
    this.basecamp5();
    return st;
  }

  // ---------- projects ----------
  /** The i-th project's row (project 0 has every tool, clients and timesheet; 6 is a team). */
  private newProject(i: number, created: number, hasClientside: boolean): Project {
    const { st, rng } = this;
    const status = PROJECT_STATUS_CYCLE[i % PROJECT_STATUS_CYCLE.length] as Status;
    return new Project(
      st.id('project'),
      i,
      false,
      T.projectName(rng.u32(), i),
      rng.u32(),
      status,
      created,
      i === 6 ? 'team' : 'topic',
      hasClientside && (i === 0 || rng.chance(0.8)),
      i === 0 || (i !== 1 && rng.chance(0.4)),
      rng.chance(0.3) ? rng.pick(['blue', 'green', 'orange', 'purple', 'red']) : null,
      hasClientside ? (this.clientPeople[0]?.company ?? null) : null,
    );
  }

  /** Members: the owner, a few staff, and client people on client projects. */
  private members(i: number, budget: number, hasClientside: boolean): Person[] {
    const { st, rng } = this;
    const members = new Set<Person>([this.owner]);
    const nStaff = Math.min(this.staff.length, 2 + rng.int(0, 3) + Math.floor(budget / 150));
    while (members.size < nStaff + 1 && members.size < this.staff.length) members.add(rng.pick(this.staff));
    if (hasClientside) for (const cp of this.clientPeople.slice(0, 2)) members.add(cp);
    if (i === 1) members.add(st.people[st.people.length - 2] as Person); // an Outsider somewhere
    return [...members];
  }

  private project(i: number, budget: number): void {
    const { st } = this;
    // The PRNG draws come in this order (creation time, clientside, the row): a seed's account stays the same.
    const created = this.time(CLOCK_START - 730 * DAY, CLOCK_START - 60 * DAY);
    const hasClientside = this.clientside(i);
    const p = this.newProject(i, created, hasClientside);
    st.addProject(p);
    p.members = this.members(i, budget, hasClientside);
    p.roster = [...p.members];
    const creators = p.members.filter((m) => m.personableType === 'User');
    const c: Ctx = {
      p,
      lo: created + HOUR,
      hi: CLOCK_START - HOUR,
      B: p.status === 'trashed' ? budget / 3 : budget,
      creators: creators.length ? creators : [this.owner],
      commentables: [],
      comments: [],
    };
    this.dock(c, i);
    for (let k = 0; k < 4; k++) st.addCategory(new Category(st.id('category'), p, (k + i) % T.CATEGORIES.length, created, created));
    // Disabled tools hold nothing.
    for (const tool of p.dock) if (tool.has(F.enabled)) this.fillers[tool.kind as ToolKind](c, tool);
    if (hasClientside) this.client(c);
    this.gauge(c);
    if (p.timesheetEnabled) this.timesheet(c);
    this.comments(c);
    this.events(c);
    this.contexts.push(c);
  }

  /**
   * What Basecamp 5 added (to-do steps, project links), drawn after everything else so that the
   * rest of a seed's account stays as it was before they were modelled.
   */
  private basecamp5(): void {
    const todos = new Map<Project, Rec[]>();
    for (const t of this.st.kind('todo')) todos.set(t.project, [...(todos.get(t.project) ?? []), t]);
    for (const c of this.contexts) {
      this.todoSteps(c, todos.get(c.p) ?? []);
      this.doors(c);
    }
  }

  /** The project's links ("doors"), left out of its dock; the first project always has some. */
  private doors(c: Ctx): void {
    const n = c.p.idx === 0 ? 3 : this.rng.int(0, 2);
    for (let k = 0; k < n; k++) this.mk(c, 'door', null, this.time(c.lo, c.hi), { pos: k + 1, creator: this.owner });
  }

  private clientside(i: number): boolean {
    return i === 0 || (i !== 2 && this.rng.chance(0.35));
  }

  /** Whether the i-th project's dock enables `kind` (the PRNG is drawn for every tool). */
  private toolEnabled(kind: ToolKind, i: number): boolean {
    const drawn = CORE_TOOLS.has(kind) ? !this.rng.chance(0.08) : this.rng.chance(0.6);
    if (i === 0) return true;
    return DOCK_OVERRIDES[i]?.[kind] ?? drawn;
  }

  private dock(c: Ctx, i: number): void {
    const { rng } = this;
    const kinds: { kind: ToolKind; title: string; enabled: boolean }[] = [];
    for (const kind of TOOL_KINDS) {
      kinds.push({ kind, title: TOOL_TITLES[kind], enabled: this.toolEnabled(kind, i) });
      const second = SECOND_TOOL[i];
      if (second?.kind === kind) kinds.push({ ...second, enabled: true });
    }
    let pos = 0;
    const t0 = c.p.created;
    for (const k of kinds) {
      const tool = this.mk(c, k.kind, null, t0 + rng.int(1, 900), {
        status: 'active',
        pos: k.enabled ? ++pos : 0,
        flags: k.enabled ? F.enabled : 0,
        creator: this.owner,
      });
      toolTitles.set(tool, k.title);
      c.p.dock.push(tool);
    }
  }

  private client(c: Ctx): void {
    const { rng } = this;
    const board = this.mk(c, 'client_board', null, c.p.created + 1000, { status: 'active', creator: this.owner });
    c.p.clientBoard = board;
    const approvers = c.p.members.filter((m) => m.personableType === 'Client');
    const na = this.q(c, 0.012, 1);
    for (let k = 0; k < na; k++) {
      const approver = approvers.length ? rng.pick(approvers) : rng.pick(c.creators);
      const a = this.mk(c, 'approval', board, this.time(c.lo, c.hi - DAY), {
        extra: pidx(approver),
        flags: rng.chance(0.3) ? F.hasDue : 0,
      });
      this.clientReplies(c, a);
    }
    const nc = this.q(c, 0.012, 1);
    for (let k = 0; k < nc; k++) this.clientReplies(c, this.mk(c, 'correspondence', board, this.time(c.lo, c.hi - DAY)));
  }

  private clientReplies(c: Ctx, parent: Rec): void {
    const n = this.rng.int(0, 3);
    const clients = c.p.members.filter((m) => m.personableType === 'Client');
    for (let r = 0; r < n; r++) {
      const creator = clients.length && this.rng.chance(0.5) ? this.rng.pick(clients) : this.rng.pick(c.creators);
      this.mk(c, 'client_reply', parent, this.time(parent.created + 1000, c.hi), { creator });
    }
  }

  private gauge(c: Ctx): void {
    const { rng } = this;
    const g = this.mk(c, 'gauge', null, c.p.created + 2000, { status: 'active', creator: this.owner, flags: F.enabled });
    c.p.gauge = g;
    const n = rng.chance(0.8) ? this.q(c, 0.006, 1) : 0;
    for (let k = 0; k < n; k++) this.mk(c, 'needle', g, this.time(c.lo, c.hi), { extra: rng.int(0, 100) });
  }

  private timesheet(c: Ctx): void {
    const { rng } = this;
    const parents = c.commentables.filter((r) => r.kind === 'todo' || r.kind === 'message' || r.kind === 'card');
    if (!parents.length) return;
    const n = this.q(c, 0.03, 1);
    for (let k = 0; k < n; k++) {
      const parent = rng.pick(parents);
      const created = this.time(parent.created, c.hi);
      const person = rng.pick(c.creators);
      const e = this.mk(c, 'timesheet_entry', parent, created, {
        extra: rng.int(1, 32), // quarter hours
        extra2: pidx(person),
      });
      c.p.timesheet.push(e);
    }
  }

  private comments(c: Ctx): void {
    const { rng } = this;
    // Spread the comment budget over the commentable recordings of the project.
    const target = c.B * 0.2;
    const pool = c.commentables;
    if (!pool.length) return;
    const perRec = target / pool.length;
    for (const r of pool) {
      const n = Math.floor(perRec * 2 * rng.next() + rng.next()); // E[n] = perRec
      for (let k = 0; k < n; k++) this.mk(c, 'comment', r, this.time(r.created + 1000, c.hi), { flags: rng.chance(0.05) ? F.visibleToClients : 0 });
    }
  }

  private events(c: Ctx): void {
    const { rng, st } = this;
    const n = this.q(c, 0.04, 2);
    const kinds: Partial<Record<Kind, string>> = {
      todo: 'todo_created',
      message: 'message_created',
      document: 'document_created',
      upload: 'upload_created',
      schedule_entry: 'schedule_entry_created',
      card: 'kanban_card_created',
      answer: 'question_answer_created',
    };
    const pool = c.commentables.filter((r) => kinds[r.kind]);
    for (let k = 0; k < n; k++) {
      if (k === 0 || !pool.length || rng.chance(0.1)) {
        st.addEvent(new TimelineEvent(0, c.p, 'project_access_changed', c.p.created + rng.int(1, DAY), this.owner, null, rng.pick(c.p.members)));
        continue;
      }
      if (c.comments.length && rng.chance(0.2)) {
        const cm = rng.pick(c.comments);
        st.addEvent(new TimelineEvent(0, c.p, 'comment_created', cm.created, cm.creator, cm, null));
        continue;
      }
      const r = rng.pick(pool);
      if (r.kind === 'todo' && r.has(F.completed) && rng.chance(0.5)) {
        st.addEvent(new TimelineEvent(0, c.p, 'todo_completed', r.extra2, st.people[r.extra] ?? r.creator, r, null));
      } else {
        st.addEvent(new TimelineEvent(0, c.p, kinds[r.kind] as string, r.created, r.creator, r, null));
      }
    }
  }

  /** Event ids grow with time, as Basecamp's do. */
  private finishEvents(): void {
    const evs = this.st.events;
    evs.sort((a, b) => a.created - b.created);
    for (const e of evs) e.id = this.st.id('event');
    for (const p of this.st.projects) p.events.sort((a, b) => a.created - b.created);
  }

  private templates(): void {
    const { st, rng } = this;
    const statuses: Status[] = ['active', 'active', 'archived', 'trashed', 'active'];
    statuses.forEach((status, i) => {
      const created = this.time(CLOCK_START - 700 * DAY, CLOCK_START - 30 * DAY);
      const t = new Project(st.id('project'), i, true, T.templateName(rng.u32(), i), rng.u32(), status, created, 'topic', false, false, null, null);
      t.updated = created + rng.int(0, 10) * DAY;
      st.addProject(t);
      const c: Ctx = { p: t, lo: created, hi: created + DAY, B: 0, creators: [this.owner], commentables: [], comments: [] };
      let pos = 0;
      for (const kind of TOOL_KINDS) {
        const enabled = kind !== 'inbox' && kind !== 'questionnaire';
        const tool = this.mk(c, kind, null, created + rng.int(1, 900), {
          status: 'active',
          pos: enabled ? ++pos : 0,
          flags: enabled ? F.enabled : 0,
          updated: created + 1000,
        });
        toolTitles.set(tool, TOOL_TITLES[kind]);
        t.dock.push(tool);
      }
      t.updated = Math.max(t.updated, created + 1000);
    });
  }

  /**
   * Google documents and cloud files in live projects' vaults, each announced by a timeline
   * event. Made last, so the rest of a seed's account stays as it was.
   */
  private linkedItems(): void {
    const { st, rng } = this;
    for (const p of st.projects) {
      const vault = p.isTemplate ? undefined : p.dock.find((t) => t.kind === 'vault' && t.has(F.enabled));
      if (!vault) continue;
      const folders = [vault, ...(vault.children ?? []).filter((v) => v.kind === 'vault')];
      const c: Ctx = {
        p,
        lo: p.created + HOUR,
        hi: CLOCK_START - HOUR,
        B: 0,
        creators: p.members.filter((m) => m.personableType === 'User'),
        commentables: [],
        comments: [],
      };
      if (!c.creators.length) c.creators = [this.owner];
      const projectUpdated = p.updated;
      for (const kind of LINKED_KINDS) {
        const n = p.idx === 0 ? 2 : rng.int(0, 1);
        for (let k = 0; k < n; k++) {
          const parent = rng.pick(folders);
          const r = this.mk(c, kind, parent, this.time(Math.max(c.lo, parent.created + 1000), c.hi), { pos: k + 1, status: 'active' });
          announce(st, r, 'own', 0);
        }
      }
      p.updated = projectUpdated;
    }
  }

  private markers(): void {
    const { st, rng } = this;
    const n = 4;
    for (let i = 0; i < n; i++) {
      const created = this.time(CLOCK_START - 600 * DAY, CLOCK_START - 10 * DAY);
      const date = created + rng.int(-200, 200) * DAY;
      st.markers.push(new Marker(st.id('marker'), rng.u32(), date - (date % DAY), created, created));
    }
  }
}
