/**
 * Basecamp 5's upload_versions (an upload's file history, read for every upload a run writes)
 * and hill_charts (each to-do set's chart, read with its to-do set): a full sync equals the
 * simulator's oracle, archived projects included; an incremental run brings a replaced file and
 * a hill chart a completed to-do moved; a run with no change reads no history again.
 */
import { Simulator } from '../../simulator';
import { SimulatedRun, simulatorRunner, syncAgainst } from '../helpers/with-simulator';
import { expectReplica, recordsOf, tmpDir } from '../helpers/tap';

type Rec = Record<string, any>;
const dir = tmpDir();
const HOUR = 3_600_000;
const STREAMS = ['uploads', 'upload_versions', 'todosets', 'hill_charts'];

const withSimulator = simulatorRunner(dir, 7);

type Run = SimulatedRun;

const sync = (sim: Simulator, config: string, state?: unknown) => syncAgainst(sim, dir, ['--config', config], state);

const projectsBy = (sim: Simulator, status: string) => new Set((sim.expectedRecords('projects') as Rec[]).filter((p) => p.status === status).map((p) => p.id));
/** The uploads whose histories a run read (one request each). */
const historiesRead = (run: Run) =>
  run.paths
    .map((p) => /\/uploads\/(\d+)\/versions\.json/.exec(p)?.[1])
    .filter((id): id is string => id !== undefined)
    .map(Number);
const uploadsWritten = (run: Run) => recordsOf(run.messages, 'uploads').map((u) => u.id as number);
const sorted = (ids: number[]) => [...ids].sort((a, b) => a - b);

/** An active upload of a project of `status` (the oracle's, so reachable). */
function uploadIn(sim: Simulator, status: string): Rec {
  const projects = projectsBy(sim, status);
  return (sim.expectedRecords('uploads') as Rec[]).find((u) => projects.has(u.project_id) && u.status === 'active')!;
}

/** A hill chart of an active project tracking a list with an open to-do, and that to-do. */
function trackedTodo(sim: Simulator): { chart: Rec; todo: Rec } {
  const active = projectsBy(sim, 'active');
  const todos = sim.expectedRecords('todos') as Rec[];
  for (const chart of sim.expectedRecords('hill_charts') as Rec[]) {
    if (!active.has(chart.project_id)) continue;
    const todo = todos.find((t) => chart.dots.some((d: Rec) => d.id === t.parent.id) && !t.completed && t.status === 'active');
    if (todo) return { chart, todo };
  }
  throw new Error('no hill chart tracks a list with an open to-do');
}

describe('upload_versions and hill_charts: a full sync', () => {
  it('equals the oracle, archived projects included; one request a history and a chart', () =>
    withSimulator({}, async (sim, config) => {
      const run = await sync(sim, config());
      expectReplica(sim, run.messages, STREAMS);
      const archived = projectsBy(sim, 'archived');
      const versions = recordsOf(run.messages, 'upload_versions');
      const charts = recordsOf(run.messages, 'hill_charts');
      // The account holds what the streams exist for: replaced files, removed ones, tracked lists.
      expect(versions.some((v) => v.action === 'blob_changed')).toBe(true);
      expect(versions.some((v) => v.upload === undefined)).toBe(true);
      expect(charts.some((h) => h.dots.length > 0)).toBe(true);
      expect(versions.some((v) => archived.has(v.project_id))).toBe(true);
      expect(charts.some((h) => archived.has(h.project_id))).toBe(true);
      // Every upload written has its history read once; every to-do set its chart.
      expect(sorted(historiesRead(run))).toEqual(sorted(uploadsWritten(run)));
      const chartReads = run.paths.filter((p) => /\/todosets\/\d+\/hill\.json/.test(p));
      expect(chartReads).toHaveLength(recordsOf(run.messages, 'todosets').length);
    }));
});

describe('upload_versions and hill_charts: incremental runs', () => {
  it.each([
    ['changes touch the project, the feed is served', {}],
    ['changes do not touch the project, no event feed', { changesTouchProject: false, eventFeed: 'missing' as const }],
  ])('a replaced file arrives next run, a hill chart a completed to-do moved next run too (%s)', (_name, readings) =>
    withSimulator({ readings }, async (sim, config) => {
      const hours = 24;
      const file = config({ full_refresh_hours: hours });
      const base = await sync(sim, file);
      const upload = uploadIn(sim, 'active');
      const versionId = sim.create('upload_versions', { parentId: upload.id });
      const { chart, todo } = trackedTodo(sim);
      sim.complete('todos', todo.id);
      sim.advanceClock(HOUR);
      const next = await sync(sim, file, base.state);

      // The upload is written again, and its whole history with it (the old current file is current no more).
      const want = (sim.expectedRecords('upload_versions') as Rec[]).filter((v) => v.recording_id === upload.id);
      expect(want.find((v) => v.id === versionId)?.upload.current).toBe(true);
      expect(
        sorted(
          recordsOf(next.messages, 'upload_versions')
            .filter((v) => v.recording_id === upload.id)
            .map((v) => v.id),
        ),
      ).toEqual(sorted(want.map((v) => v.id)));
      // Histories are read for the uploads the run writes, and only those.
      expect(sorted(historiesRead(next))).toEqual(sorted(uploadsWritten(next)));
      expect(historiesRead(next)).toContain(upload.id);

      // The completed to-do names its list, the list its to-do set, and the set's chart is read with it:
      // next run under every reading, whether or not the project moved.
      const moved = recordsOf(next.messages, 'hill_charts').find((h) => h.todoset_id === chart.todoset_id);
      expect(moved).toEqual((sim.expectedRecords('hill_charts') as Rec[]).find((h) => h.todoset_id === chart.todoset_id));
      expect(moved!.updated_at).not.toBe(chart.updated_at);
      expectReplica(sim, [...base.messages, ...next.messages], STREAMS);
    }),
  );

  it.each([0, 24])('a run with no change reads no history again, and the Upload walk stops at its bookmark (full_refresh_hours %s)', (hours) =>
    withSimulator({}, async (sim, config) => {
      const file = config({ full_refresh_hours: hours });
      const base = await sync(sim, file);
      sim.advanceClock(HOUR);
      const next = await sync(sim, file, base.state);
      // Only an upload sitting on a bookmark (cursors are inclusive) is written again, with its history.
      expect(sorted(historiesRead(next))).toEqual(sorted(uploadsWritten(next)));
      expect(historiesRead(next).length).toBeLessThanOrEqual(3);
      expect(next.paths.filter((p) => p.includes('type=Upload'))).toHaveLength(3);
      expectReplica(sim, [...base.messages, ...next.messages], STREAMS);
    }),
  );

  it('an archived project’s replaced file arrives next run', () =>
    withSimulator({}, async (sim, config) => {
      const file = config({ full_refresh_hours: 24 });
      const base = await sync(sim, file);
      const upload = uploadIn(sim, 'archived');
      const versionId = sim.create('upload_versions', { parentId: upload.id });
      sim.advanceClock(HOUR);
      const next = await sync(sim, file, base.state);
      const got = recordsOf(next.messages, 'upload_versions').find((v) => v.id === versionId);
      expect(got).toEqual((sim.expectedRecords('upload_versions') as Rec[]).find((v) => v.id === versionId));
      expect(got?.project_id).toBe(upload.project_id);
      expectReplica(sim, [...base.messages, ...next.messages], STREAMS);
    }));
});
