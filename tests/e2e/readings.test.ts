/**
 * Where the docs leave Basecamp's behaviour open, the simulator has a switch for each reading,
 * and the tap must be right under both (issue "No silent loss", items 2-4): cursors of streams
 * read in pieces, full-table streams under start_date, payloads of archived projects, groups
 * listed as Todolist recordings, campfires listed by two sources.
 */
import { simulatorRunner } from '../helpers/with-simulator';
import { Message, expectReplica, keyOf, lastState, logLines, recordsOf, runTap, tmpDir, writeJson } from '../helpers/tap';

type Rec = Record<string, any>;
const dir = tmpDir();

const withSimulator = simulatorRunner(dir, 5);

async function sync(config: string, state?: unknown): Promise<Message[]> {
  const args = ['--config', config];
  if (state !== undefined) args.push('--state', writeJson(dir, `state-${Date.now()}-${Math.random()}.json`, state));
  const run = await runTap(args, { timeoutMs: 120_000 });
  expect(logLines(run.stderr).filter((l) => / (ERROR|WARN) /.test(l))).toEqual([]);
  expect(run.code).toBe(0);
  return run.messages;
}

/** RECORD messages per key of one stream. */
function writes(messages: Message[], stream: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of recordsOf(messages, stream)) out.set(keyOf(stream, r), (out.get(keyOf(stream, r)) ?? 0) + 1);
  return out;
}

describe('cursors of streams read in pieces', () => {
  it('a project edited after its list was read, before a later list showed a newer edit, arrives in the next run', () =>
    withSimulator({}, async (sim, config) => {
      const file = config({ max_concurrency: 1 });
      const base = await sync(file);
      const projects = sim.expectedRecords('projects') as Rec[];
      const active = projects.find((p) => p.status === 'active')!;
      const archived = projects.find((p) => p.status === 'archived')!;
      // While the second run reads the archived list (the active one is read by then), the active
      // project is edited, then the archived one: the archived list shows the later edit.
      let done = false;
      sim.onRequest((entry) => {
        if (done || !entry.path.includes('/projects.json?status=archived')) return;
        done = true;
        expect(sim.requests.some((r) => /\/projects\.json$/.test(r.path))).toBe(true);
        sim.update('projects', active.id);
        sim.update('projects', archived.id);
      });
      const second = await sync(file, lastState(base));
      sim.onRequest(undefined);
      expect(done).toBe(true);
      const third = await sync(file, lastState(second));
      const want = (sim.expectedRecords('projects') as Rec[]).find((p) => p.id === active.id);
      expect(recordsOf([...second, ...third], 'projects').find((p) => p.id === active.id && p.updated_at === want!.updated_at)).toEqual(want);
      expectReplica(sim, [...base, ...second, ...third], ['projects']);
    }));

  it('no cursor passes the run start on Basecamp’s clock (its Date header)', () =>
    withSimulator({}, async (sim, config) => {
      const messages = await sync(config());
      const start = sim.now().toISOString();
      const state = lastState(messages);
      for (const [stream, b] of Object.entries<Rec>(state.bookmarks)) {
        const values = [b.updated_at, b.created_at, ...Object.values<Rec>(b.partitions ?? {}).flatMap((p) => [p.updated_at, p.created_at])].filter(Boolean);
        for (const v of values) expect({ stream, late: Date.parse(v) > Date.parse(start) }).toEqual({ stream, late: false });
      }
    }));
});

describe('a full-table stream under incremental parents', () => {
  it('todolist_groups ignores start_date: groups of lists older than it arrive', () =>
    withSimulator({}, async (sim, config) => {
      const lists = (sim.expectedRecords('todolists') as Rec[]).map((l) => Date.parse(l.updated_at)).sort((a, b) => a - b);
      const startDate = new Date(lists[Math.floor(lists.length * 0.8)]!).toISOString();
      const messages = await sync(config({ start_date: startDate }));
      expectReplica(sim, messages, ['todolist_groups']);
      expect(recordsOf(messages, 'todolists').every((l) => Date.parse(l.updated_at) >= Date.parse(startDate))).toBe(true);
    }));

  // With full_refresh_hours 0 every run reads every list's groups; with a window, see refresh.test.ts.
  it.each([true, false])('a group edited between runs arrives in the next run (edits touch the list: %s; full_refresh_hours 0)', (changesTouchList) =>
    withSimulator({ readings: { changesTouchList } }, async (sim, config) => {
      const file = config({ full_refresh_hours: 0 });
      const base = await sync(file);
      const projects = new Map((sim.expectedRecords('projects') as Rec[]).map((p) => [p.id, p.status]));
      const group = (sim.expectedRecords('todolist_groups') as Rec[]).find((g) => projects.get(g.project_id) === 'active' && g.status === 'active')!;
      sim.update('todolist_groups', group.id);
      const next = await sync(file, lastState(base));
      const want = (sim.expectedRecords('todolist_groups') as Rec[]).find((g) => g.id === group.id);
      expect(recordsOf(next, 'todolist_groups').find((g) => g.id === group.id)).toEqual(want);
      expectReplica(sim, [...base, ...next]);
    }),
  );
});

describe('to-do list groups are Todolist recordings', () => {
  it.each([false, true])('groups listed by the Todolist walk: %s — each group in todolist_groups only, read once', (groupsInRecordings) =>
    withSimulator({ readings: { groupsInRecordings } }, async (sim, config) => {
      sim.resetRequests();
      const messages = await sync(config());
      expectReplica(sim, messages);
      const groups = new Set((sim.expectedRecords('todolist_groups') as Rec[]).map((g) => String(g.id)));
      expect([...writes(messages, 'todolists').keys()].filter((k) => groups.has(k))).toEqual([]);
      expect([...writes(messages, 'todolist_groups').values()].every((n) => n === 1)).toBe(true);
      const active = new Set((sim.expectedRecords('projects') as Rec[]).filter((p) => p.status === 'active').map((p) => p.id));
      const activeLists = new Set((sim.expectedRecords('todolists') as Rec[]).filter((l) => active.has(l.project_id)).map((l) => l.id));
      const groupReads = sim.requests.filter((r) => {
        const m = /\/todolists\/(\d+)\/groups\.json/.exec(r.path);
        return m !== null && activeLists.has(Number(m[1]));
      });
      // Where the walk lists groups, the per-list group reads of active projects are not needed.
      if (groupsInRecordings) expect(groupReads).toEqual([]);
      else expect(groupReads.length).toBeGreaterThanOrEqual(activeLists.size);
      // A group's to-dos are read once, as the to-dos of a group, never as a list's.
      expect(sim.requests.filter((r) => [...groups].some((g) => r.path.includes(`/todolists/${g}/groups.json`)))).toEqual([]);
    }),
  );
});

describe('payloads as the docs show them, in archived projects', () => {
  it.each([true, false])('card steps arrive whether card lists carry them (%s) or only the card does', (cardListSteps) =>
    withSimulator({ cardListSteps }, async (sim, config) => {
      sim.resetRequests();
      const messages = await sync(config());
      expectReplica(sim, messages, ['card_table_cards', 'card_table_steps']);
      const cardReads = sim.requests.filter((r) => /\/card_tables\/cards\/\d+\.json/.test(r.path)).length;
      if (cardListSteps) expect(cardReads).toBe(0);
      else expect(cardReads).toBeGreaterThan(0);
    }),
  );

  it.each([true, false])('every root vault arrives, archived projects included (the walk lists them: %s)', (rootVaultsInRecordings) =>
    withSimulator({ readings: { rootVaultsInRecordings } }, async (sim, config) => {
      sim.resetRequests();
      const messages = await sync(config());
      expectReplica(sim, messages, ['vaults', 'documents', 'uploads']);
      const projects = sim.expectedRecords('projects') as Rec[];
      const roots = (sim.expectedRecords('vaults') as Rec[]).filter((v) => v.parent === undefined);
      expect(roots.some((v) => projects.find((p) => p.id === v.project_id)?.status === 'archived')).toBe(true);
      const activeRootReads = sim.requests.filter((r) =>
        roots.some((v) => projects.find((p) => p.id === v.project_id)?.status === 'active' && r.path.endsWith(`/vaults/${v.id}.json`)),
      );
      if (rootVaultsInRecordings) expect(activeRootReads).toEqual([]);
      else expect(activeRootReads.length).toBeGreaterThan(0);
    }),
  );

  it('a campfire listed by /chats.json and by its archived project’s dock is written once', () =>
    withSimulator({ readings: { chatsListArchived: true } }, async (sim, config) => {
      const messages = await sync(config());
      expectReplica(sim, messages, ['campfires', 'campfire_lines']);
      expect([...writes(messages, 'campfires').values()].every((n) => n === 1)).toBe(true);
      expect([...writes(messages, 'campfire_lines').values()].every((n) => n === 1)).toBe(true);
    }));

  it.each([false, true])(
    '/chats.json lists archived projects’ campfires: %s — one cursor a campfire, no line older than it written again',
    (chatsListArchived) =>
      withSimulator({ readings: { chatsListArchived } }, async (sim, config) => {
        const file = config();
        const base = await sync(file);
        const state = lastState(base);
        // A no-change run: every line it writes is at or after its campfire's bookmark (inclusive).
        const quiet = await sync(file, state);
        const bookmarks: Record<string, Rec> = state.bookmarks.campfire_lines?.partitions ?? {};
        const older = recordsOf(quiet, 'campfire_lines')
          .filter(
            (l) =>
              bookmarks[String(l.parent.id)]?.created_at === undefined || Date.parse(l.created_at) < Date.parse(bookmarks[String(l.parent.id)]!.created_at),
          )
          .map((l) => ({ id: l.id, campfire: l.parent.id, created_at: l.created_at, bookmark: bookmarks[String(l.parent.id)]?.created_at }));
        expect(older).toEqual([]);
        expectReplica(sim, [...base, ...quiet]);
        // A new line in an archived project's campfire arrives in the next run.
        const archived = new Set((sim.expectedRecords('projects') as Rec[]).filter((p) => p.status === 'archived').map((p) => p.id));
        const campfire = (sim.expectedRecords('campfires') as Rec[]).find((c) => archived.has(c.bucket.id))!;
        expect(campfire).toBeDefined();
        const line = sim.create('campfire_lines', { parentId: campfire.id });
        const next = await sync(file, lastState(quiet));
        expect(recordsOf(next, 'campfire_lines').find((l) => l.id === line)).toEqual(
          (sim.expectedRecords('campfire_lines') as Rec[]).find((l) => l.id === line),
        );
        expectReplica(sim, [...base, ...quiet, ...next]);
      }),
  );
});
