/**
 * An incremental run reads below a project what a signal names, and the rest in the project's
 * turn within full_refresh_hours (src/sync/refresh.ts): a change no signal reveals arrives in its
 * project's turn, not before and not later; signals bring theirs to the next run; 0 keeps every
 * run reading everything. Runs are an hour apart on the simulator's clock.
 */
import { Simulator } from '../../simulator';
import { simulatorRunner, syncAgainst } from '../helpers/with-simulator';
import { due, projectKey } from '../../src/sync/refresh';
import { expectReplica, recordsOf, tmpDir } from '../helpers/tap';

type Rec = Record<string, any>;
const dir = tmpDir();
const HOUR = 3_600_000;

const withSimulator = simulatorRunner(dir, 11);

const sync = (sim: Simulator, config: string, state?: unknown) => syncAgainst(sim, dir, ['--config', config], state);

const activeProjects = (sim: Simulator) => (sim.expectedRecords('projects') as Rec[]).filter((p) => p.status === 'active');
/**
 * An active group of the project whose list is not the newest of the walk: the list sitting on
 * the Todolist walk's bookmark is taken again every run (cursors are inclusive), groups and all.
 */
function groupOf(sim: Simulator, projectId: number): Rec | undefined {
  const lists = sim.expectedRecords('todolists') as Rec[];
  const newest = Math.max(...lists.map((l) => Date.parse(l.updated_at)));
  const older = new Set(lists.filter((l) => Date.parse(l.updated_at) < newest).map((l) => l.id));
  return (sim.expectedRecords('todolist_groups') as Rec[]).find((g) => g.project_id === projectId && g.status === 'active' && older.has(g.parent.id));
}

describe('what no signal reveals arrives in its project’s turn within full_refresh_hours', () => {
  it('a group renamed without touching its list: not before the turn, in it, and every project’s turn comes once a window', () =>
    withSimulator({ readings: { changesTouchList: false } }, async (sim, config) => {
      const hours = 6;
      const file = config({ full_refresh_hours: hours });
      let last = await sync(sim, file);
      const project = activeProjects(sim).find((p) => groupOf(sim, p.id))!;
      const group = groupOf(sim, project.id)!;
      sim.update('todolist_groups', group.id);
      const want = (sim.expectedRecords('todolist_groups') as Rec[]).find((g) => g.id === group.id);
      const turns = new Map<number, number>(); // project id -> runs in which its to-do set was read
      let arrived: number | undefined;
      for (let run = 1; run <= hours; run++) {
        sim.advanceClock(HOUR);
        const since = last.start;
        const next = await sync(sim, file, last.state);
        const turn = due(projectKey(project.id), { hours, since, now: next.start });
        const got = recordsOf(next.messages, 'todolist_groups').find((g) => g.id === group.id);
        // Written in the run of its project's turn, and in no other.
        expect({ run, written: got !== undefined }).toEqual({ run, written: turn });
        if (got) {
          expect(got).toEqual(want);
          arrived = run;
        }
        for (const p of activeProjects(sim)) {
          const tools = (p.dock as Rec[]).filter((t) => t.name === 'todoset' && t.enabled).map((t) => `/todosets/${t.id}.json`);
          if (sim.requests.some((r) => tools.some((t) => r.path.endsWith(t)))) turns.set(p.id, (turns.get(p.id) ?? 0) + 1);
        }
        last = next;
      }
      expect(arrived).toBeDefined();
      // Each project's to-do set was read in exactly one of the six hourly runs (its turn; nothing else moved them).
      for (const p of activeProjects(sim)) if (p.id !== project.id) expect({ project: p.id, reads: turns.get(p.id) ?? 0 }).toEqual({ project: p.id, reads: 1 });
    }));

  it('full_refresh_hours 0: the same change arrives in the next run, as every run reads everything', () =>
    withSimulator({ readings: { changesTouchList: false } }, async (sim, config) => {
      const file = config({ full_refresh_hours: 0 });
      const base = await sync(sim, file);
      const group = groupOf(sim, activeProjects(sim).find((p) => groupOf(sim, p.id))!.id)!;
      sim.update('todolist_groups', group.id);
      sim.advanceClock(HOUR);
      const next = await sync(sim, file, base.state);
      expect(recordsOf(next.messages, 'todolist_groups').find((g) => g.id === group.id)).toEqual(
        (sim.expectedRecords('todolist_groups') as Rec[]).find((g) => g.id === group.id),
      );
      expect(next.requests).toBeGreaterThan(base.requests / 3);
      expectReplica(sim, [...base.messages, ...next.messages]);
    }));
});

describe('what a signal reveals arrives in the next run', () => {
  it.each([true, false])('a group renamed where edits touch its list (%s): next run if they do, its turn if not', (changesTouchList) =>
    withSimulator({ readings: { changesTouchList } }, async (sim, config) => {
      const hours = 24;
      const file = config({ full_refresh_hours: hours });
      const base = await sync(sim, file);
      const project = activeProjects(sim).find((p) => groupOf(sim, p.id))!;
      const group = groupOf(sim, project.id)!;
      sim.update('todolist_groups', group.id);
      sim.advanceClock(HOUR);
      const next = await sync(sim, file, base.state);
      const arrived = recordsOf(next.messages, 'todolist_groups').some((g) => g.id === group.id);
      expect(arrived).toBe(changesTouchList || due(projectKey(project.id), { hours, since: base.start, now: next.start }));
    }),
  );

  it('changes in a project (new forward reply, needle, comment, campfire line) move it: all arrive next run, quiet projects cost nothing', () =>
    withSimulator({}, async (sim, config) => {
      const file = config({ full_refresh_hours: 24 * 365 });
      const base = await sync(sim, file);
      const forward = (sim.expectedRecords('inbox_forwards') as Rec[]).find((f) => activeProjects(sim).some((p) => p.id === f.project_id))!;
      const chat = (sim.expectedRecords('campfires') as Rec[]).find((c) => activeProjects(sim).some((p) => p.id === c.project_id))!;
      const line = sim.create('campfire_lines', { parentId: chat.id, projectId: chat.project_id });
      // Last: what no walk or feed shows is the newest change in its project, so nothing else accounts for the move.
      const reply = sim.create('inbox_replies', { parentId: forward.id, projectId: forward.project_id });
      const needle = sim.create('gauge_needles', { projectId: forward.project_id });
      sim.advanceClock(HOUR);
      const next = await sync(sim, file, base.state);
      const has = (stream: string, id: number) => recordsOf(next.messages, stream).some((r) => r.id === id);
      expect([has('inbox_replies', reply), has('gauge_needles', needle), has('campfire_lines', line)]).toEqual([true, true, true]);
      expectReplica(sim, [...base.messages, ...next.messages]);
      // Only the moved projects were read below: a fraction of a full sync.
      const moved = new Set([forward.project_id, chat.project_id]);
      const quiet = activeProjects(sim).filter((p) => !moved.has(p.id));
      for (const p of quiet) expect(sim.requests.filter((r) => r.path.includes(`/projects/${p.id}/`) || r.path.includes(`/buckets/${p.id}/`))).toEqual([]);
      expect(next.requests).toBeLessThan(base.requests / 3);
    }));

  it('a person changed: every membership of theirs is read again, in quiet projects and archived ones too', () =>
    withSimulator({}, async (sim, config) => {
      const file = config({ full_refresh_hours: 24 * 365 });
      const base = await sync(sim, file);
      const memberships = sim.expectedRecords('project_people') as Rec[];
      const person = (sim.expectedRecords('people') as Rec[]).find((p) => memberships.filter((m) => m.person_id === p.id).length > 1)!;
      sim.update('people', person.id);
      sim.advanceClock(HOUR);
      const next = await sync(sim, file, base.state);
      const got = recordsOf(next.messages, 'project_people').filter((m) => m.person_id === person.id);
      const want = (sim.expectedRecords('project_people') as Rec[]).filter((m) => m.person_id === person.id);
      expect(got.sort((a, b) => a.project_id - b.project_id)).toEqual(want.sort((a, b) => a.project_id - b.project_id));
      // Nothing changed since: the run after reads no membership.
      sim.advanceClock(HOUR);
      const quiet = await sync(sim, file, next.state);
      expect(sim.requests.filter((r) => /\/projects\/\d+\/people\.json/.test(r.path))).toEqual([]);
      expect(recordsOf(quiet.messages, 'project_people')).toEqual([]);
    }));
});

describe('a new member, under each reading of what a membership change moves', () => {
  it.each([
    [true, true],
    [true, false],
    [false, true],
    [false, false],
  ])('moves the project: %s, in the timeline: %s — next run if either says so, else the project’s turn', (membershipTouchesProject, membershipInTimeline) =>
    withSimulator({ readings: { membershipTouchesProject, membershipInTimeline } }, async (sim, config) => {
      const hours = 24;
      const file = config({ full_refresh_hours: hours });
      const base = await sync(sim, file);
      const members = sim.expectedRecords('project_people') as Rec[];
      const project = activeProjects(sim)[0]!;
      const person = (sim.expectedRecords('people') as Rec[]).find((p) => !members.some((m) => m.project_id === project.id && m.person_id === p.id))!;
      sim.addMember(project.id, person.id);
      sim.advanceClock(HOUR);
      const next = await sync(sim, file, base.state);
      const arrived = recordsOf(next.messages, 'project_people').some((m) => m.project_id === project.id && m.person_id === person.id);
      const turn = due(projectKey(project.id), { hours, since: base.start, now: next.start });
      expect(arrived).toBe(membershipTouchesProject || membershipInTimeline || turn);
      if (arrived) expectReplica(sim, [...base.messages, ...next.messages], ['project_people']);
    }),
  );
});

describe('a changed record’s parent, whose counts it moved, is read again', () => {
  it('a new comment (its to-do), message (its board), card (its column) and a to-do in a group (the group): next run, as Basecamp has them', () =>
    withSimulator({ readings: { changesTouchList: false } }, async (sim, config) => {
      const file = config({ full_refresh_hours: 24 * 365 });
      const base = await sync(sim, file);
      const active = new Set(activeProjects(sim).map((p) => p.id));
      const pick = (stream: string, f: (r: Rec) => boolean = () => true) =>
        (sim.expectedRecords(stream) as Rec[]).find((r) => active.has(r.project_id) && r.status === 'active' && f(r))!;
      const todo = pick('todos');
      const board = pick('message_boards');
      const column = pick('card_table_columns', (c) => c.type === 'Kanban::Column');
      const group = pick('todolist_groups');
      sim.create('comments', { parentId: todo.id, projectId: todo.project_id });
      sim.create('messages', { parentId: board.id, projectId: board.project_id });
      sim.create('card_table_cards', { parentId: column.id, projectId: column.project_id });
      sim.create('todos', { parentId: group.id, projectId: group.project_id });
      sim.advanceClock(HOUR);
      const next = await sync(sim, file, base.state);
      const now = (stream: string, id: number) => (sim.expectedRecords(stream) as Rec[]).find((r) => r.id === id);
      const got = (stream: string, id: number) => recordsOf(next.messages, stream).find((r) => r.id === id);
      for (const [stream, id] of [
        ['todos', todo.id],
        ['message_boards', board.id],
        ['card_table_columns', column.id],
        ['todolist_groups', group.id],
      ] as const) {
        expect({ stream, record: got(stream, id) }).toEqual({ stream, record: now(stream, id) });
      }
      // The group was written as a group, never as a to-do list.
      expect(recordsOf(next.messages, 'todolists').some((l) => l.id === group.id)).toBe(false);
      expectReplica(sim, [...base.messages, ...next.messages]);
    }));
});

describe('in a project a signal names, a list carrying its children’s counts that answers 304 leaves them unread', () => {
  it('a forward’s replies: read again when a reply is added (its replies_count moved), not when something else in the project changed', () =>
    withSimulator({}, async (sim, config) => {
      const file = config({ full_refresh_hours: 24 * 365 });
      const forward = (sim.expectedRecords('inbox_forwards') as Rec[]).find(
        (f) => f.replies_count > 0 && activeProjects(sim).some((p) => p.id === f.project_id),
      )!;
      const repliesRead = () => sim.requests.filter((r) => r.path.includes(`/inbox_forwards/${forward.id}/replies.json`)).length;
      let last = await sync(sim, file);
      const step = async (change: () => void) => {
        change();
        sim.advanceClock(HOUR);
        last = await sync(sim, file, last.state);
        return last;
      };
      // The project moves (a new needle): its forwards list is read, and its ETag kept.
      await step(() => sim.create('gauge_needles', { projectId: forward.project_id }));
      // A new reply: the forwards list answers 200 (replies_count moved), the replies are read again.
      const withReply = await step(() => sim.create('inbox_replies', { parentId: forward.id, projectId: forward.project_id }));
      expect(repliesRead()).toBe(1);
      expect(recordsOf(withReply.messages, 'inbox_replies').length).toBeGreaterThan(0);
      // The project moves again, no forward changed: the list answers 304 and no replies are read.
      await step(() => sim.create('gauge_needles', { projectId: forward.project_id }));
      expect(sim.requests.filter((r) => r.path.includes('/inbox_forwards.json') && r.status === 304).length).toBeGreaterThan(0);
      expect(repliesRead()).toBe(0);
    }));
});

describe('a project whose updated_at moved: read below only where what the walks and the feed saw does not account for the move', () => {
  const pathsOf = (sim: Simulator, projectId: number) =>
    sim.requests.filter((r) => r.path.includes(`/projects/${projectId}/`) || r.path.includes(`/buckets/${projectId}/`)).map((r) => r.path);
  const toolReads = (sim: Simulator, project: Rec) => {
    const tools = (project.dock as Rec[]).filter((t) => t.enabled && t.name !== 'todoset').map((t) => String(t.url).replace(/^https?:\/\/[^/]+\/\d+/, ''));
    return sim.requests.filter((r) => tools.some((t) => r.path.startsWith(t.replace(/\.json$/, '')))).map((r) => r.path);
  };

  it('a to-do edited, its project moved with it: the to-do arrives, and nothing else below the project is read', () =>
    withSimulator({}, async (sim, config) => {
      const file = config({ full_refresh_hours: 24 * 365 });
      const base = await sync(sim, file);
      const todo = (sim.expectedRecords('todos') as Rec[]).find((t) => t.status === 'active' && activeProjects(sim).some((p) => p.id === t.project_id))!;
      sim.update('todos', todo.id);
      sim.advanceClock(HOUR);
      const next = await sync(sim, file, base.state);
      const project = activeProjects(sim).find((p) => p.id === todo.project_id)!;
      expect(Date.parse(project.updated_at)).toBeGreaterThan(Date.parse(base.start)); // the reading: changes move their project
      expect(recordsOf(next.messages, 'todos').find((t) => t.id === todo.id)).toEqual((sim.expectedRecords('todos') as Rec[]).find((t) => t.id === todo.id));
      expect(toolReads(sim, project)).toEqual([]);
      expect(pathsOf(sim, project.id).filter((p) => /needles|categories|people\.json|timesheet|client\//.test(p))).toEqual([]);
      expectReplica(sim, [...base.messages, ...next.messages]);
    }));

  it.each([
    [250, false],
    [900, true],
  ])(
    'Basecamp stamps the project %i ms after the change: its collections read again %s (past the 0.5 s slack), the replica equal either way',
    (touchLagMs, readsBelow) =>
      withSimulator({ readings: { touchLagMs } }, async (sim, config) => {
        const file = config({ full_refresh_hours: 24 * 365 });
        const base = await sync(sim, file);
        // A message: nothing else the walks show is touched with it (a to-do's list would be, and stamped with the project).
        const message = (sim.expectedRecords('messages') as Rec[]).find(
          (t) => t.status === 'active' && activeProjects(sim).some((p) => p.id === t.project_id),
        )!;
        sim.update('messages', message.id);
        sim.advanceClock(HOUR);
        const next = await sync(sim, file, base.state);
        const project = activeProjects(sim).find((p) => p.id === message.project_id)!;
        expect(Date.parse(project.updated_at) - Date.parse((sim.expectedRecords('messages') as Rec[]).find((t) => t.id === message.id)!.updated_at)).toBe(
          touchLagMs,
        );
        expect(pathsOf(sim, project.id).some((p) => /needles|categories/.test(p))).toBe(readsBelow);
        expectReplica(sim, [...base.messages, ...next.messages]);
      }),
  );

  it('a needle, then a to-do edited in the same project: the to-do arrives next run, the needle in the project’s turn (the later change accounts for the move)', () =>
    withSimulator({}, async (sim, config) => {
      const hours = 24;
      const file = config({ full_refresh_hours: hours });
      const base = await sync(sim, file);
      const todo = (sim.expectedRecords('todos') as Rec[]).find((t) => t.status === 'active' && activeProjects(sim).some((p) => p.id === t.project_id))!;
      const needle = sim.create('gauge_needles', { projectId: todo.project_id });
      sim.update('todos', todo.id);
      sim.advanceClock(HOUR);
      const next = await sync(sim, file, base.state);
      expect(recordsOf(next.messages, 'todos').some((t) => t.id === todo.id)).toBe(true);
      const turn = due(projectKey(todo.project_id), { hours, since: base.start, now: next.start });
      expect(recordsOf(next.messages, 'gauge_needles').some((n) => n.id === needle)).toBe(turn);
    }));

  it('the same two changes the other way round: nothing accounts for the move, so the needle arrives next run too', () =>
    withSimulator({}, async (sim, config) => {
      const file = config({ full_refresh_hours: 24 * 365 });
      const base = await sync(sim, file);
      const todo = (sim.expectedRecords('todos') as Rec[]).find((t) => t.status === 'active' && activeProjects(sim).some((p) => p.id === t.project_id))!;
      sim.update('todos', todo.id);
      const needle = sim.create('gauge_needles', { projectId: todo.project_id });
      sim.advanceClock(HOUR);
      const next = await sync(sim, file, base.state);
      expect([recordsOf(next.messages, 'todos').some((t) => t.id === todo.id), recordsOf(next.messages, 'gauge_needles').some((n) => n.id === needle)]).toEqual(
        [true, true],
      );
      expectReplica(sim, [...base.messages, ...next.messages]);
    }));

  it.each(['served', 'forbidden'] as const)('a campfire line, then a to-do edited in the same project, event feed %s: the line arrives next run', (eventFeed) =>
    withSimulator({ readings: { eventFeed } }, async (sim, config) => {
      const file = config({ full_refresh_hours: 24 * 365 });
      const base = await sync(sim, file);
      const active = new Set(activeProjects(sim).map((p) => p.id));
      const chat = (sim.expectedRecords('campfires') as Rec[]).find((c) => active.has(c.project_id))!;
      const todo = (sim.expectedRecords('todos') as Rec[]).find((t) => t.status === 'active' && t.project_id === chat.project_id)!;
      const line = sim.create('campfire_lines', { parentId: chat.id, projectId: chat.project_id });
      sim.update('todos', todo.id);
      sim.advanceClock(HOUR);
      const next = await sync(sim, file, base.state);
      expect(recordsOf(next.messages, 'campfire_lines').some((l) => l.id === line)).toBe(true);
      expectReplica(sim, [...base.messages, ...next.messages]);
    }),
  );

  it.each([true, false])('a to-do completed, changes moving projects %s: its to-do set’s hill chart arrives next run', (changesTouchProject) =>
    withSimulator({ readings: { changesTouchProject } }, async (sim, config) => {
      const file = config({ full_refresh_hours: 24 * 365 });
      const base = await sync(sim, file);
      const charts = new Map((sim.expectedRecords('hill_charts') as Rec[]).map((h) => [h.todoset_id, JSON.stringify(h)]));
      const lists = (sim.expectedRecords('todolists') as Rec[]).filter((l) => l.status === 'active');
      // A to-do of a list some chart tracks: completing it moves the chart's dot.
      const tracked = new Set((sim.expectedRecords('hill_charts') as Rec[]).flatMap((h) => (h.dots as Rec[]).map((d) => d.id)));
      const todo = (sim.expectedRecords('todos') as Rec[]).find(
        (t) => t.status === 'active' && !t.completed && tracked.has(t.parent.id) && lists.some((l) => l.id === t.parent.id),
      )!;
      sim.complete('todos', todo.id, todo.creator.id);
      sim.advanceClock(HOUR);
      const next = await sync(sim, file, base.state);
      const want = (sim.expectedRecords('hill_charts') as Rec[]).filter((h) => JSON.stringify(h) !== charts.get(h.todoset_id));
      expect(want.length).toBe(1);
      expect(recordsOf(next.messages, 'hill_charts').filter((h) => h.todoset_id === want[0]!.todoset_id)).toEqual(want);
      expectReplica(sim, [...base.messages, ...next.messages]);
    }),
  );
});

describe('a to-do list whose updated_at moved: its groups are read only where the to-dos the walks show do not account for the move', () => {
  /** An active list of an active project with two active groups, and a to-do in the first. */
  function listWithGroups(sim: Simulator) {
    const active = new Set(activeProjects(sim).map((p) => p.id));
    const groups = (sim.expectedRecords('todolist_groups') as Rec[]).filter((g) => g.status === 'active' && active.has(g.project_id));
    const todos = sim.expectedRecords('todos') as Rec[];
    for (const g of groups) {
      const other = groups.find((o) => o.parent.id === g.parent.id && o.id !== g.id);
      const todo = todos.find((t) => t.status === 'active' && t.parent.id === g.id);
      if (other && todo) return { list: g.parent.id as number, group: g, other, todo, project: g.project_id as number };
    }
    throw new Error('no list with two groups and a to-do');
  }
  const groupReads = (sim: Simulator, list: number) => sim.requests.filter((r) => r.path.includes(`/todolists/${list}/groups.json`)).length;

  it('a to-do in a group edited: the to-do and its group arrive, the list’s groups are not read again', () =>
    withSimulator({}, async (sim, config) => {
      const file = config({ full_refresh_hours: 24 * 365 });
      const base = await sync(sim, file);
      const { list, group, todo } = listWithGroups(sim);
      sim.update('todos', todo.id);
      sim.advanceClock(HOUR);
      const next = await sync(sim, file, base.state);
      expect(recordsOf(next.messages, 'todos').some((t) => t.id === todo.id)).toBe(true);
      expect(recordsOf(next.messages, 'todolist_groups').find((g) => g.id === group.id)).toEqual(
        (sim.expectedRecords('todolist_groups') as Rec[]).find((g) => g.id === group.id),
      );
      expect(groupReads(sim, list)).toBe(0);
      expectReplica(sim, [...base.messages, ...next.messages]);
    }));

  it('a group renamed, then a to-do in another group of the list edited: the to-do next run, the renamed group in the project’s turn', () =>
    withSimulator({}, async (sim, config) => {
      const hours = 24;
      const file = config({ full_refresh_hours: hours });
      const base = await sync(sim, file);
      const { other, todo, project } = listWithGroups(sim);
      sim.update('todolist_groups', other.id);
      sim.update('todos', todo.id);
      sim.advanceClock(HOUR);
      const next = await sync(sim, file, base.state);
      expect(recordsOf(next.messages, 'todos').some((t) => t.id === todo.id)).toBe(true);
      const turn = due(projectKey(project), { hours, since: base.start, now: next.start });
      expect(recordsOf(next.messages, 'todolist_groups').some((g) => g.id === other.id)).toBe(turn);
    }));

  it('the other way round (the to-do first): nothing accounts for the list’s move, its groups are read, both arrive', () =>
    withSimulator({}, async (sim, config) => {
      const file = config({ full_refresh_hours: 24 * 365 });
      const base = await sync(sim, file);
      const { list, other, todo } = listWithGroups(sim);
      sim.update('todos', todo.id);
      sim.update('todolist_groups', other.id);
      sim.advanceClock(HOUR);
      const next = await sync(sim, file, base.state);
      expect(groupReads(sim, list)).toBe(3);
      expectReplica(sim, [...base.messages, ...next.messages]);
    }));

  it.each(['served', 'missing'] as const)(
    'a to-do moved to another group of its list, event feed %s: the group it left arrives next run where the feed says it moved',
    (eventFeed) =>
      withSimulator({ readings: { eventFeed } }, async (sim, config) => {
        const hours = 24;
        const file = config({ full_refresh_hours: hours });
        const base = await sync(sim, file);
        const { group, other, todo, project } = listWithGroups(sim);
        sim.move('todos', todo.id, other.id);
        sim.advanceClock(HOUR);
        const next = await sync(sim, file, base.state);
        const left = recordsOf(next.messages, 'todolist_groups').find((g) => g.id === group.id);
        const turn = due(projectKey(project), { hours, since: base.start, now: next.start });
        expect(left !== undefined).toBe(eventFeed === 'served' || turn);
        if (eventFeed === 'served') expectReplica(sim, [...base.messages, ...next.messages]);
      }),
  );
});

describe('a parent read for its counts is written only where a full sync could have written it', () => {
  it('an answer edited under a trashed check-in question: the answer arrives, the question (no listing serves trashed ones) is not written', () =>
    withSimulator({}, async (sim, config) => {
      const file = config({ full_refresh_hours: 24 * 365 });
      const active = new Set(activeProjects(sim).map((p) => p.id));
      const answer = (sim.expectedRecords('question_answers') as Rec[]).find((a) => a.status === 'active' && active.has(a.project_id))!;
      sim.setStatus('questions', answer.parent.id, 'trashed');
      const base = await sync(sim, file);
      sim.update('question_answers', answer.id);
      sim.advanceClock(HOUR);
      const next = await sync(sim, file, base.state);
      expect(recordsOf(next.messages, 'question_answers').some((a) => a.id === answer.id)).toBe(true);
      expect(sim.requests.some((r) => r.path.endsWith(`/questions/${answer.parent.id}.json`))).toBe(true);
      expect(recordsOf(next.messages, 'questions').some((q) => q.id === answer.parent.id)).toBe(false);
      expectReplica(sim, [...base.messages, ...next.messages]);
    }));
});

describe('a run with nothing changed reads no parent for its counts', () => {
  it.each([false, true])(
    'groups in the recordings walk %s: the records on the walks’ bookmarks are written again, their parents not read',
    (groupsInRecordings) =>
      withSimulator({ readings: { groupsInRecordings } }, async (sim, config) => {
        const file = config({ full_refresh_hours: 24 * 365 });
        const base = await sync(sim, file);
        sim.advanceClock(HOUR);
        const next = await sync(sim, file, base.state);
        // A group is a full-table record with no cursor: unchanged since the last run all the same.
        expect(sim.requests.map((r) => r.path).filter((p) => /\/(todolists|todosets)\/\d+(\.json|\/hill\.json)$/.test(p))).toEqual([]);
        // Where the walk lists groups, the ones on its bookmark were written again, and still led to no read.
        expect(recordsOf(next.messages, 'todolist_groups').length > 0).toBe(groupsInRecordings);
      }),
  );
});
