/**
 * Basecamp 5's account event feed as change hints (src/products/bc3-events.ts): under the reading
 * where changes inside a project do not move it, the feed is the only signal for a new campfire
 * line. Where the account serves the feed, the line arrives next run; where it answers 403 or 404,
 * the run goes on and the line arrives in its project's turn. A 410 re-reads everything; a refused
 * position re-enters from the last event id.
 */
import { SimulatorOptions, startSimulator, Simulator } from '../../simulator';
import { due, projectKey } from '../../src/sync/refresh';
import { SimulatedRun, syncAgainst } from '../helpers/with-simulator';
import { expectReplica, recordsOf, runTap, tmpDir, writeJson } from '../helpers/tap';

type Rec = Record<string, any>;
const dir = tmpDir();
const HOUR = 3_600_000;
const HOURS = 24;

async function withSimulator(opts: SimulatorOptions, body: (sim: Simulator, config: string) => Promise<void>): Promise<void> {
  const sim = await startSimulator({ records: 1500, seed: 13, ...opts });
  const config = writeJson(dir, `config-${Date.now()}-${Math.random()}.json`, sim.config({ max_requests_per_10s: 100000, full_refresh_hours: HOURS }));
  try {
    await body(sim, config);
  } finally {
    await sim.stop();
  }
}

type Run = SimulatedRun & { info: string[] };

/** A run, with its log lines about the event feed. */
async function sync(sim: Simulator, config: string, state?: unknown): Promise<Run> {
  const run = await syncAgainst(sim, dir, ['--config', config], state);
  return { ...run, info: run.lines.filter((l) => /event feed/i.test(l)) };
}

/** A campfire of an active project, and a new line in it (the run's clock moves an hour after). */
function newLine(sim: Simulator): { line: number; projectId: number } {
  const active = new Set((sim.expectedRecords('projects') as Rec[]).filter((p) => p.status === 'active').map((p) => p.id));
  const chat = (sim.expectedRecords('campfires') as Rec[]).find((c) => active.has(c.project_id))!;
  const line = sim.create('campfire_lines', { parentId: chat.id, projectId: chat.project_id });
  sim.advanceClock(HOUR);
  return { line, projectId: chat.project_id };
}

const hasLine = (run: Run, id: number) => recordsOf(run.messages, 'campfire_lines').some((l) => l.id === id);
const turnOf = (projectId: number, before: Run, after: Run) => due(projectKey(projectId), { hours: HOURS, since: before.start, now: after.start });

describe('the event feed as a change hint (changes inside a project do not move it)', () => {
  const readings = { changesTouchProject: false };

  it('served: a new campfire line arrives next run; the feed position is kept; a run with nothing new reads one feed page', () =>
    withSimulator({ readings }, async (sim, config) => {
      const base = await sync(sim, config);
      expect(base.state.events.position).toEqual(expect.any(String));
      const { line } = newLine(sim);
      const next = await sync(sim, config, base.state);
      expect(hasLine(next, line)).toBe(true);
      expect(next.state.events.position).not.toBe(base.state.events.position);
      expectReplica(sim, [...base.messages, ...next.messages], ['campfire_lines']);
      sim.advanceClock(HOUR);
      await sync(sim, config, next.state);
      expect(sim.requests.filter((r) => r.path.includes('/events.json'))).toHaveLength(1);
      expect(sim.requests.filter((r) => /\/chats\/\d+\/lines\.json/.test(r.path))).toEqual([]);
    }));

  it.each(['forbidden', 'missing'] as const)('%s (403/404): the run goes on with one info line; the line arrives in its project’s turn', (eventFeed) =>
    withSimulator({ readings: { ...readings, eventFeed } }, async (sim, config) => {
      const base = await sync(sim, config);
      expect(base.info).toHaveLength(1);
      expect(base.state.events).toBeUndefined();
      const { line, projectId } = newLine(sim);
      const next = await sync(sim, config, base.state);
      expect(next.info).toHaveLength(1);
      expect(hasLine(next, line)).toBe(turnOf(projectId, base, next));
    }),
  );

  it('a position below a raised epoch (410): resumed at the epoch, and every project is read again this run', () =>
    withSimulator({ readings: { ...readings, changesTouchList: false } }, async (sim, config) => {
      const base = await sync(sim, config);
      const group = (sim.expectedRecords('todolist_groups') as Rec[]).find((g) => g.status === 'active')!;
      sim.update('todolist_groups', group.id); // no signal but a full refresh brings it
      const { line } = newLine(sim); // its event falls below the raised epoch: the feed never serves it
      sim.feed.raiseEpoch();
      const next = await sync(sim, config, base.state);
      expect(next.info.some((l) => /410 Gone.*read again this run/.test(l))).toBe(true);
      expect(hasLine(next, line)).toBe(true);
      expect(recordsOf(next.messages, 'todolist_groups').find((g) => g.id === group.id)).toEqual(
        (sim.expectedRecords('todolist_groups') as Rec[]).find((g) => g.id === group.id),
      );
      expectReplica(sim, [...base.messages, ...next.messages]);
    }));

  it('a position the feed no longer recognises (400 invalid_position): re-entered from the last event id, nothing lost', () =>
    withSimulator({ readings }, async (sim, config) => {
      const base = await sync(sim, config);
      const first = newLine(sim);
      const mid = await sync(sim, config, base.state);
      expect(hasLine(mid, first.line)).toBe(true);
      const { line } = newLine(sim);
      const broken = { ...mid.state, events: { ...mid.state.events, position: `${mid.state.events.position}x` } };
      const next = await sync(sim, config, broken);
      expect(hasLine(next, line)).toBe(true);
    }));
});

describe('the events stream: the feed’s events as records', () => {
  it('a full sync writes the served history; the next run exactly the new events, an archived project’s too; nothing twice', () =>
    withSimulator({}, async (sim, config) => {
      const active = (sim.expectedRecords('projects') as Rec[]).find((p) => p.status === 'active')!;
      const archived = (sim.expectedRecords('projects') as Rec[]).find((p) => p.status === 'archived')!;
      const todoIn = (projectId: number) => (sim.expectedRecords('todos') as Rec[]).find((t) => t.project_id === projectId)!;
      // History before the first sync: the first run replays it (since=0).
      sim.create('comments', { parentId: todoIn(active.id).id, projectId: active.id });
      sim.update('todos', todoIn(active.id).id);
      const base = await sync(sim, config);
      expect(recordsOf(base.messages, 'events')).toEqual(sim.expectedRecords('events'));
      expect(recordsOf(base.messages, 'events').length).toBeGreaterThanOrEqual(2);
      const before = sim.expectedRecords('events').length;
      sim.create('comments', { parentId: todoIn(archived.id).id, projectId: archived.id });
      newLine(sim);
      const next = await sync(sim, config, base.state);
      const fresh = (sim.expectedRecords('events') as Rec[]).slice(before);
      expect(recordsOf(next.messages, 'events')).toEqual(fresh);
      expect(fresh.some((e) => e.bucket_id === archived.id)).toBe(true);
      expectReplica(sim, [...base.messages, ...next.messages], ['events']);
    }));

  it.each(['forbidden', 'missing'] as const)('%s (403/404): the stream is empty and the run goes on', (eventFeed) =>
    withSimulator({ readings: { eventFeed } }, async (sim, config) => {
      const todo = (sim.expectedRecords('todos') as Rec[])[0]!;
      sim.update('todos', todo.id);
      const base = await sync(sim, config);
      expect(recordsOf(base.messages, 'events')).toEqual([]);
      expect(base.messages.some((m) => m.type === 'SCHEMA' && m.stream === 'events')).toBe(true);
    }),
  );

  it('with full_refresh_hours 0 the feed is still read for the events stream, and not at all without it', () =>
    withSimulator({}, async (sim) => {
      const todo = (sim.expectedRecords('todos') as Rec[])[0]!;
      sim.update('todos', todo.id);
      const every = writeJson(dir, `config-0-${Math.random()}.json`, sim.config({ max_requests_per_10s: 100000, full_refresh_hours: 0 }));
      const base = await sync(sim, every);
      expect(recordsOf(base.messages, 'events')).toEqual(sim.expectedRecords('events'));
      const catalog = JSON.parse((await runTap(['--config', every, '--discover'])).stdout) as { streams: Rec[] };
      for (const s of catalog.streams) if (s.stream === 'events') s.metadata.find((m: Rec) => m.breadcrumb.length === 0).metadata.selected = false;
      sim.resetRequests();
      const without = await runTap(['--config', every, '--catalog', writeJson(dir, `catalog-${Math.random()}.json`, catalog)]);
      expect(without.code).toBe(0);
      expect(sim.requests.filter((r) => r.path.includes('/events.json'))).toEqual([]);
    }));
});
