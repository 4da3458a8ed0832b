/**
 * The contents of a project's dock tools (message boards, to-dos, folders, chat, schedules,
 * check-ins, forwards, card tables), drawn from the PRNG in the order Generator (generate.ts)
 * calls them: a seed's account stays the same.
 */
import { Ctx, DAY, GeneratorBase, HOUR, pidx } from './generate-base';
import { F, Rec } from './model';
import { bornVersions } from './versions';

export class ToolGenerator extends GeneratorBase {
  private nulPlaced = false;

  protected messages(c: Ctx, board: Rec): void {
    const n = this.q(c, 0.05, 2);
    for (let k = 0; k < n; k++) {
      let flags = this.rng.chance(0.1) ? F.visibleToClients : 0;
      if (!this.nulPlaced && c.p.status === 'active') {
        flags |= F.nul; // exactly one message of the account carries a NUL in its rich text
        this.nulPlaced = true;
      }
      this.mk(c, 'message', board, this.time(c.lo, c.hi), k === 0 ? { flags, status: 'active' } : { flags });
    }
  }

  protected todos(c: Ctx, todoset: Rec): void {
    const { rng } = this;
    const nLists = this.q(c, 0.025, 2);
    const perList = Math.max(2, Math.round((c.B * 0.22) / nLists));
    for (let l = 0; l < nLists; l++) {
      const created = this.time(c.lo, c.hi - 30 * DAY);
      const list = this.mk(c, 'todolist', todoset, created, { pos: l + 1, extra: rng.chance(0.3) ? 1 + rng.int(0, 10) : 0 });
      const lo = created + 60_000;
      const nGroups = rng.chance(0.35) ? rng.int(1, 2) : 0;
      const groups: Rec[] = [];
      for (let g = 0; g < nGroups; g++)
        groups.push(this.mk(c, 'group', list, this.time(lo, c.hi), { pos: g + 1, extra: rng.chance(0.2) ? 1 + rng.int(0, 10) : 0 }));
      const nTodos = rng.int(Math.max(1, perList - 2), perList + 2);
      const positions = new Map<Rec, number>();
      for (let t = 0; t < nTodos; t++) {
        const parent = groups.length && rng.chance(0.4) ? rng.pick(groups) : list;
        const pos = (positions.get(parent) ?? 0) + 1;
        positions.set(parent, pos);
        const todo = this.todo(c, parent, Math.max(lo, parent.created + 1000), pos);
        this.touch(parent, todo.updated);
        if (parent.kind === 'group') this.touch(list, todo.updated);
      }
      for (const g of groups) this.touch(list, g.updated);
    }
    // To-dos straight under the to-do set (no list). Only in active projects: the API
    // reaches them solely through the recordings endpoint, which skips archived projects.
    if (c.p.status === 'active') for (let t = 0; t < 2; t++) this.todo(c, todoset, c.lo, t + 1);
  }

  protected todo(c: Ctx, parent: Rec, lo: number, pos: number): Rec {
    const { rng } = this;
    const created = this.time(lo, c.hi);
    let flags = rng.chance(0.4) ? F.hasDue : 0;
    if (flags && rng.chance(0.3)) flags |= F.hasStart;
    if (rng.chance(0.05)) flags |= F.visibleToClients;
    let extra = 0;
    let extra2 = 0;
    let updated: number | undefined;
    if (rng.chance(0.35)) {
      flags |= F.completed;
      extra2 = this.time(created, c.hi); // completion time
      extra = pidx(rng.pick(c.creators));
      updated = extra2;
    }
    return this.mk(c, 'todo', parent, created, { pos, flags, extra, extra2, updated });
  }

  /** Some to-dos have steps (subtasks), Kanban::Step recordings like a card's. */
  protected todoSteps(c: Ctx, todos: Rec[]): void {
    const { rng } = this;
    for (const todo of todos) {
      const ns = rng.chance(0.15) ? rng.int(1, 3) : 0;
      for (let s = 0; s < ns; s++) {
        const sf = (rng.chance(0.5) ? F.hasDue : 0) | (rng.chance(0.3) ? F.completed : 0);
        this.mk(c, 'step', todo, this.time(todo.created + 1000, c.hi), { pos: s + 1, flags: sf });
      }
    }
  }

  /** Nested folders (up to three levels), then documents and uploads spread over them. */
  protected vaults(c: Ctx, root: Rec): void {
    const { rng } = this;
    const all: { v: Rec; depth: number }[] = [{ v: root, depth: 0 }];
    const nVaults = this.q(c, 0.008, 1);
    const childCount = new Map<Rec, number>();
    for (let k = 0; k < nVaults; k++) {
      const candidates = all.filter((x) => x.depth < 2);
      const parent = rng.chance(0.6) ? root : rng.pick(candidates).v;
      const depth = (all.find((x) => x.v === parent)?.depth ?? 0) + 1;
      const pos = (childCount.get(parent) ?? 0) + 1;
      childCount.set(parent, pos);
      const v = this.mk(c, 'vault', parent, this.time(Math.max(c.lo, parent.created + 1000), c.hi - 10 * DAY), { pos });
      all.push({ v, depth });
    }
    const place = (kind: 'document' | 'upload', n: number) => {
      const positions = new Map<Rec, number>(); // documents and uploads count positions separately
      for (let k = 0; k < n; k++) {
        const v = rng.chance(0.4) ? root : rng.pick(all).v;
        const pos = (positions.get(v) ?? 0) + 1;
        positions.set(v, pos);
        const flags = kind === 'document' && rng.chance(0.1) ? F.visibleToClients : 0;
        const r = this.mk(c, kind, v, this.time(Math.max(c.lo, v.created + 1000), c.hi), { pos, flags });
        if (kind === 'upload') bornVersions(this.st, r);
      }
    };
    place('document', this.q(c, 0.025, 1));
    place('upload', this.q(c, 0.025, 1));
  }

  protected lines(c: Ctx, chat: Rec): void {
    const n = this.q(c, 0.08, 2);
    for (let k = 0; k < n; k++) this.mk(c, 'line', chat, this.time(c.lo, c.hi));
  }

  protected entries(c: Ctx, schedule: Rec): void {
    const { rng } = this;
    const n = this.q(c, 0.03, 1);
    for (let k = 0; k < n; k++) {
      const created = this.time(c.lo, c.hi);
      let flags = rng.chance(0.2) ? F.allDay : 0;
      if (rng.chance(0.25)) flags |= F.recurring;
      let starts = created + rng.int(1, 60) * DAY;
      starts = flags & F.allDay ? starts - (starts % DAY) : starts - (starts % (15 * 60_000));
      this.mk(c, 'schedule_entry', schedule, created, { flags, extra2: starts });
    }
  }

  protected questions(c: Ctx, questionnaire: Rec): void {
    const { rng } = this;
    const nq = Math.max(2, this.q(c, 0.006));
    const answers = Math.max(1, Math.round((c.B * 0.04) / nq));
    for (let k = 0; k < nq; k++) {
      const q = this.mk(c, 'question', questionnaire, this.time(c.lo, c.hi - 20 * DAY), { pos: k + 1, flags: rng.chance(0.15) ? F.paused : 0 });
      const na = rng.int(Math.max(0, answers - 2), answers + 2);
      for (let a = 0; a < na; a++) this.mk(c, 'answer', q, this.time(q.created + HOUR, c.hi));
    }
  }

  protected forwards(c: Ctx, inbox: Rec): void {
    const { rng } = this;
    const n = this.q(c, 0.015, 1);
    for (let k = 0; k < n; k++) {
      const f = this.mk(c, 'forward', inbox, this.time(c.lo, c.hi - DAY), { flags: rng.chance(0.5) ? F.hasFrom : 0 });
      const nr = rng.int(0, 3);
      for (let r = 0; r < nr; r++) this.mk(c, 'inbox_reply', f, this.time(f.created + 1000, c.hi));
    }
  }

  protected cards(c: Ctx, table: Rec): void {
    const { rng } = this;
    const t0 = table.created;
    const columns: Rec[] = [];
    const addCol = (type: number, pos: number) => {
      const col = this.mk(c, 'column', table, t0 + 10 + columns.length, {
        status: 'active',
        pos,
        extra: type,
        creator: table.creator,
        updated: t0 + 20 + columns.length,
      });
      columns.push(col);
    };
    addCol(0, 0); // Triage
    addCol(1, 0); // Not now
    const ordinary = rng.int(1, 3);
    for (let k = 0; k < ordinary; k++) addCol(2, k + 1);
    addCol(3, 0); // Done
    const n = this.q(c, 0.04, 1);
    const positions = new Map<Rec, number>();
    for (let k = 0; k < n; k++) {
      const col = rng.pick(columns);
      const pos = (positions.get(col) ?? 0) + 1;
      positions.set(col, pos);
      let flags = rng.chance(0.4) ? F.hasDue : 0;
      let extra2 = 0;
      const created = this.time(c.lo, c.hi - DAY);
      if (col.extra === 3) {
        flags |= F.completed;
        extra2 = this.time(created, c.hi);
      }
      const card = this.mk(c, 'card', col, created, extra2 ? { pos, flags, extra2, updated: extra2 } : { pos, flags });
      const ns = rng.chance(0.5) ? rng.int(1, 4) : 0;
      for (let s = 0; s < ns; s++) {
        let sf = rng.chance(0.6) ? F.hasDue : 0;
        if (rng.chance(0.3)) sf |= F.completed;
        this.mk(c, 'step', card, this.time(created + 1000, c.hi), { pos: s + 1, flags: sf });
      }
    }
  }
}
