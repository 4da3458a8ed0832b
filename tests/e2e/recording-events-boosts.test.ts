/**
 * The opt-in recording_events (each recording's own history) and boosts: discovery leaves them
 * unselected and a run without a catalog reads neither; with a catalog selecting them, a full
 * sync equals the simulator's oracle, archived projects included, at one request per recording
 * (boosts only where a recording counts any); an incremental run reads them again only for the
 * recordings it writes, and brings the events the changes made.
 */
import { Simulator } from '../../simulator';
import { SimulatedRun, simulatorRunner, syncAgainst } from '../helpers/with-simulator';
import { expectReplica, recordsOf, runTap, tmpDir, writeJson } from '../helpers/tap';

type Rec = Record<string, any>;
const dir = tmpDir();
const HOUR = 3_600_000;
const OPT_IN = ['recording_events', 'boosts'];
/** The recording streams whose records lead to both (stated here, beside the tap's own list). */
const CARRIERS = [
  'messages',
  'todolists',
  'todolist_groups',
  'todos',
  'schedule_entries',
  'documents',
  'uploads',
  'questions',
  'question_answers',
  'card_table_cards',
  'comments',
];

const withSimulator = simulatorRunner(dir, 11);

type Run = SimulatedRun;

async function discover(config: string): Promise<{ streams: Rec[] }> {
  const run = await runTap(['--config', config, '--discover']);
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout);
}

/** The discovered catalog with the opt-in streams selected too. */
async function catalogSelectingAll(config: string): Promise<string> {
  const catalog = await discover(config);
  for (const s of catalog.streams) {
    if (OPT_IN.includes(s.tap_stream_id)) s.metadata.find((m: Rec) => m.breadcrumb.length === 0).metadata.selected = true;
  }
  return writeJson(dir, `catalog-${Date.now()}.json`, catalog);
}

const sync = (sim: Simulator, args: string[], state?: unknown) => syncAgainst(sim, dir, args, state, 180_000);

/** The recordings whose `what` (events or boosts) a run read, one request each. */
const readFor = (run: Run, what: 'events' | 'boosts') =>
  run.paths
    .map((p) => new RegExp(`/recordings/(\\d+)/${what}\\.json`).exec(p)?.[1])
    .filter((id): id is string => id !== undefined)
    .map(Number);
const written = (run: Run) => CARRIERS.flatMap((s) => recordsOf(run.messages, s));
const sorted = (ids: number[]) => [...ids].sort((a, b) => a - b);
const unique = (ids: number[]) => sorted([...new Set(ids)]);
const projectsBy = (sim: Simulator, status: string) => new Set((sim.expectedRecords('projects') as Rec[]).filter((p) => p.status === status).map((p) => p.id));

describe('recording_events and boosts are opt-in', () => {
  it('discovery marks both unselected; a run without a catalog reads and writes neither', () =>
    withSimulator({}, async (sim, config) => {
      const file = config();
      const catalog = await discover(file);
      for (const s of catalog.streams) {
        const top = s.metadata.find((m: Rec) => m.breadcrumb.length === 0).metadata;
        if (OPT_IN.includes(s.tap_stream_id)) expect([s.tap_stream_id, top.selected, top['selected-by-default']]).toEqual([s.tap_stream_id, false, false]);
        else expect([s.tap_stream_id, top.selected, top['selected-by-default']]).toEqual([s.tap_stream_id, undefined, true]);
      }
      const run = await sync(sim, ['--config', file]);
      for (const s of OPT_IN) expect(run.messages.filter((m) => m.stream === s)).toEqual([]);
      expect(run.paths.filter((p) => /\/recordings\/\d+\/(events|boosts)\.json/.test(p))).toEqual([]);
      // The discovered catalog passed back as it is selects the same.
      const back = await sync(sim, ['--config', file, '--catalog', writeJson(dir, 'discovered.json', catalog)]);
      for (const s of OPT_IN) expect(back.messages.filter((m) => m.stream === s)).toEqual([]);
    }));
});

describe('recording_events and boosts, selected', () => {
  it('a full sync equals the oracle, archived projects included; one request a recording', () =>
    withSimulator({}, async (sim, config) => {
      const file = config();
      const run = await sync(sim, ['--config', file, '--catalog', await catalogSelectingAll(file)]);
      expectReplica(sim, run.messages, [...CARRIERS, ...OPT_IN]);
      const archived = projectsBy(sim, 'archived');
      const events = recordsOf(run.messages, 'recording_events');
      const boosts = recordsOf(run.messages, 'boosts');
      expect(events.some((e) => archived.has(e.project_id))).toBe(true);
      expect(boosts.some((b) => archived.has(b.project_id))).toBe(true);
      expect(new Set(events.map((e) => e.action))).toEqual(new Set(['created', 'assignment_changed', 'completed']));
      // Every recording written has its history read once; its boosts once where it counts any.
      const recs = written(run);
      expect(sorted(readFor(run, 'events'))).toEqual(unique(recs.map((r) => r.id)));
      expect(sorted(readFor(run, 'boosts'))).toEqual(unique(recs.filter((r) => r.boosts_count > 0).map((r) => r.id)));
    }));

  it.each([
    ['full_refresh_hours 24', { full_refresh_hours: 24 }],
    ['full_refresh_hours 0', { full_refresh_hours: 0 }],
  ])('an incremental run reads them only for the recordings it writes, and brings the changes (%s)', (_name, extra) =>
    withSimulator({}, async (sim, config) => {
      const file = config(extra);
      const args = ['--config', file, '--catalog', await catalogSelectingAll(file)];
      const base = await sync(sim, args);
      const active = projectsBy(sim, 'active');
      const archived = projectsBy(sim, 'archived');
      const pick = (stream: string, projects: Set<unknown>, ok: (r: Rec) => boolean = () => true) =>
        (sim.expectedRecords(stream) as Rec[]).find((r) => projects.has(r.project_id) && r.status === 'active' && ok(r))!;
      const todo = pick('todos', active, (t) => !t.completed);
      const message = pick('messages', active, (m) => m.boosts_count > 0);
      const document = pick('documents', archived);
      sim.complete('todos', todo.id);
      sim.update('messages', message.id);
      sim.update('documents', document.id);
      sim.advanceClock(HOUR);
      const next = await sync(sim, args, base.state);

      // Histories and boosts are read for the recordings this run writes, and only those.
      const recs = written(next);
      expect(sorted(readFor(next, 'events'))).toEqual(unique(recs.map((r) => r.id)));
      expect(sorted(readFor(next, 'boosts'))).toEqual(unique(recs.filter((r) => r.boosts_count > 0).map((r) => r.id)));
      // An active project's walks write the changed recordings (and those on a bookmark, cursors
      // being inclusive); an archived project is walked whole once something in it changed, and
      // its recordings' histories are read again (their events older than the cursor are not written).
      expect(unique(recs.filter((r) => !active.has(r.project_id)).map((r) => r.project_id))).toEqual([document.project_id]);
      expect(readFor(next, 'events').length).toBeLessThan(readFor(base, 'events').length / 4);
      for (const r of [todo, message, document]) expect(readFor(next, 'events')).toContain(r.id);
      expect(readFor(next, 'boosts')).toContain(message.id);
      // The changes' events arrive: in active projects only those newer than the cursor; an
      // archived project's walk keeps no cursor, so the document's whole history is written again.
      const got = recordsOf(next.messages, 'recording_events');
      const history = (id: number) => (sim.expectedRecords('recording_events') as Rec[]).filter((e) => e.recording_id === id);
      expect(got.filter((e) => e.recording_id === todo.id).map((e) => e.action)).toEqual(['completed']);
      expect(got.filter((e) => e.recording_id === message.id).map((e) => e.action)).toEqual(['content_changed']);
      expect(sorted(got.filter((e) => e.recording_id === document.id).map((e) => e.id))).toEqual(sorted(history(document.id).map((e) => e.id)));
      expect(history(document.id).map((e) => e.action)).toContain('content_changed');
      expect(
        sorted(
          recordsOf(next.messages, 'boosts')
            .filter((b) => b.recording_id === message.id)
            .map((b) => b.id),
        ),
      ).toEqual(sorted((sim.expectedRecords('boosts') as Rec[]).filter((b) => b.recording_id === message.id).map((b) => b.id)));
      expectReplica(sim, [...base.messages, ...next.messages], [...CARRIERS, ...OPT_IN]);
    }),
  );
});
