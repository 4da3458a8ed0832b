/**
 * To-do steps and project links (Basecamp 5): `todo_steps` are the Kanban::Step recordings whose
 * parent is a to-do, read from the same walk as `card_table_steps` (which keeps the card ones)
 * and, in an archived project, from each to-do's `steps`; `external_links` are the Door
 * recordings in every status, an archived project's read with `bucket=ID` under the docs' reading
 * and missed (without a warning, and without walking the project again every run) where
 * Basecamp answers 404 there. A full sync, an incremental run after changes and an archived
 * project, under each reading.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Simulator } from '../../simulator';
import { simulatorRunner, syncAgainst } from '../helpers/with-simulator';
import { ROOT, expectReplica, logLines, recordsOf, tmpDir, writeJson } from '../helpers/tap';

type Rec = Record<string, any>;
const dir = tmpDir();
const HOUR = 3_600_000;
const STREAMS = ['todos', 'card_table_steps', 'todo_steps', 'external_links'];

const withSimulator = simulatorRunner(dir, 7);

const sync = (sim: Simulator, args: string[], state?: unknown) => syncAgainst(sim, dir, args, state);

/** A catalog selecting only `streams`. */
function catalogOf(streams: string[]): string {
  const catalog = JSON.parse(fs.readFileSync(path.join(ROOT, 'catalogs', 'catalog.json'), 'utf8'));
  for (const s of catalog.streams) s.metadata[0].metadata.selected = streams.includes(s.tap_stream_id);
  return writeJson(dir, `catalog-${streams.join('-')}.json`, catalog);
}

const projectsOf = (sim: Simulator, status: string) => (sim.expectedRecords('projects') as Rec[]).filter((p) => p.status === status);
const inStatus = (sim: Simulator, stream: string, status: string) =>
  (sim.expectedRecords(stream) as Rec[]).filter((r) => projectsOf(sim, status).some((p) => p.id === r.project_id));
const doorWalks = (paths: string[]) => paths.filter((p) => p.includes('type=Door'));

describe('todo_steps and card_table_steps: one Kanban::Step walk, each record to the stream its parent names', () => {
  it('a full sync writes every step to its stream, an archived project’s to-do steps from its to-dos', () =>
    withSimulator({}, async (sim, config) => {
      const run = await sync(sim, ['--config', config()]);
      expectReplica(sim, run.messages, STREAMS);
      expect(recordsOf(run.messages, 'card_table_steps').every((s) => s.parent.type === 'Kanban::Card')).toBe(true);
      expect(recordsOf(run.messages, 'todo_steps').every((s) => s.parent.type === 'Todo' && s.type === 'Kanban::Step')).toBe(true);
      // The account holds to-do steps in active and archived projects, in more than one status.
      expect(inStatus(sim, 'todo_steps', 'active').length).toBeGreaterThan(0);
      expect(inStatus(sim, 'todo_steps', 'archived').length).toBeGreaterThan(0);
      expect(new Set((sim.expectedRecords('todo_steps') as Rec[]).map((s) => s.status)).size).toBeGreaterThan(1);
      // One walk for both streams, once per status: no second Kanban::Step walk, no per-to-do read.
      const walks = run.paths.filter((p) => p.includes('type=Kanban%3A%3AStep'));
      expect(walks.filter((p) => !/[?&]page=/.test(p)).length).toBe(3);
      expect(run.paths.filter((p) => /\/todos\/\d+\.json/.test(p))).toEqual([]);
    }));

  it('an incremental run after changes brings new, edited and trashed steps of to-dos, in active and archived projects', () =>
    withSimulator({}, async (sim, config) => {
      const file = config({ full_refresh_hours: 24 * 365 });
      const base = await sync(sim, ['--config', file]);
      const activeSteps = inStatus(sim, 'todo_steps', 'active').filter((s) => s.status === 'active');
      const archivedTodo = inStatus(sim, 'todos', 'archived').find((t) => t.status === 'active')!;
      const activeTodo = inStatus(sim, 'todos', 'active').find((t) => t.status === 'active' && t.steps.length === 0)!;
      const created = sim.create('todo_steps', { parentId: activeTodo.id });
      const inArchived = sim.create('todo_steps', { parentId: archivedTodo.id });
      sim.update('todo_steps', activeSteps[0]!.id);
      sim.setStatus('todo_steps', activeSteps[1]!.id, 'trashed');
      sim.advanceClock(HOUR);
      const next = await sync(sim, ['--config', file], base.state);
      const written = new Set(recordsOf(next.messages, 'todo_steps').map((s) => s.id));
      expect([created, inArchived, activeSteps[0]!.id, activeSteps[1]!.id].filter((id) => !written.has(id))).toEqual([]);
      expect(recordsOf(next.messages, 'card_table_steps').filter((s) => s.parent.type !== 'Kanban::Card')).toEqual([]);
      expectReplica(sim, [...base.messages, ...next.messages], STREAMS);
      // Nothing changed since: the walk stops at its cursor (inclusive: at most the newest step of each status again).
      sim.advanceClock(HOUR);
      const quiet = await sync(sim, ['--config', file], next.state);
      expect(recordsOf(quiet.messages, 'todo_steps').length + recordsOf(quiet.messages, 'card_table_steps').length).toBeLessThanOrEqual(3);
    }));

  it('todo_steps selected alone: the step walk is read for it, from its own cursor, and no card step is written', () =>
    withSimulator({}, async (sim, config) => {
      const args = ['--config', config(), '--catalog', catalogOf(['todo_steps'])];
      const base = await sync(sim, args);
      expect(base.messages.filter((m) => m.type === 'RECORD' && m.stream !== 'todo_steps')).toEqual([]);
      expectReplica(sim, base.messages, ['todo_steps']);
      expect(Object.keys(base.state.bookmarks)).toContain('todo_steps');
      expect(Object.keys(base.state.bookmarks)).not.toContain('card_table_steps');
      const step = inStatus(sim, 'todo_steps', 'active')[0]!;
      sim.update('todo_steps', step.id);
      sim.advanceClock(HOUR);
      const next = await sync(sim, args, base.state);
      // Inclusive cursors may bring the newest step of each status again, nothing older.
      const ids = recordsOf(next.messages, 'todo_steps').map((s) => s.id);
      expect(ids).toContain(step.id);
      expect(ids.length).toBeLessThanOrEqual(1 + 3);
      expectReplica(sim, [...base.messages, ...next.messages], ['todo_steps']);
    }));

  it('todo_steps selected after card_table_steps was synced: its older steps still arrive (the walk starts at its missing cursor)', () =>
    withSimulator({}, async (sim, config) => {
      const file = config();
      const base = await sync(sim, ['--config', file, '--catalog', catalogOf(['card_table_steps'])]);
      expect(recordsOf(base.messages, 'todo_steps')).toEqual([]);
      const next = await sync(sim, ['--config', file, '--catalog', catalogOf(['card_table_steps', 'todo_steps'])], base.state);
      expectReplica(sim, next.messages, ['todo_steps']);
      expectReplica(sim, [...base.messages, ...next.messages], ['card_table_steps']);
    }));
});

describe('external_links: the Door recordings, every status, archived projects under each reading of `bucket`', () => {
  it.each([true, false])('doorsBucketCoversArchived %s: a full sync, an incremental run after changes, a quiet run', (covers) =>
    withSimulator({ readings: { doorsBucketCoversArchived: covers } }, async (sim, config) => {
      const file = config({ full_refresh_hours: 24 * 365 });
      const base = await sync(sim, ['--config', file]);
      expectReplica(sim, base.messages, ['external_links']);
      const links = recordsOf(base.messages, 'external_links');
      // Trashed links say `deleted`, as the docs show them.
      expect(links.some((l) => l.status === 'trashed')).toBe(false);
      const archived = projectsOf(sim, 'archived');
      const archivedLinks = links.filter((l) => archived.some((p) => p.id === l.project_id));
      if (covers) expect(archivedLinks.length).toBeGreaterThan(0);
      else expect(archivedLinks).toEqual([]);
      // Three account-wide walks, then three per archived project (one per status).
      expect(doorWalks(base.paths).length).toBe(3 + 3 * archived.length);
      expect(logLines(base.stderr).filter((l) => l.includes('answered 404')).length).toBe(covers ? 0 : 1);

      // Changes: a new link, an edited one, a trashed one in an active project; a new one in an archived project.
      const activeLinks = inStatus(sim, 'external_links', 'active').filter((l) => l.status === 'active');
      const project = projectsOf(sim, 'active')[0]!;
      const created = sim.create('external_links', { projectId: project.id });
      const inArchived = sim.create('external_links', { projectId: archived[0]!.id });
      sim.update('external_links', activeLinks[0]!.id);
      sim.setStatus('external_links', activeLinks[1]!.id, 'trashed');
      sim.advanceClock(HOUR);
      const next = await sync(sim, ['--config', file], base.state);
      const written = new Map(recordsOf(next.messages, 'external_links').map((l) => [l.id, l]));
      expect([created, activeLinks[0]!.id, activeLinks[1]!.id].filter((id) => !written.has(id))).toEqual([]);
      expect(written.get(activeLinks[1]!.id)!.status).toBe('deleted');
      expect(written.has(inArchived)).toBe(covers);
      expectReplica(sim, [...base.messages, ...next.messages], ['external_links']);
      // Only the changed archived project is walked again.
      expect(doorWalks(next.paths).length).toBe(3 + 3);

      // Nothing changed: the account-wide walks stop at once; no archived project is walked again.
      sim.advanceClock(HOUR);
      const quiet = await sync(sim, ['--config', file], next.state);
      expect(doorWalks(quiet.paths).length).toBe(3);
      expect(recordsOf(quiet.messages, 'external_links').length).toBeLessThanOrEqual(3);
    }),
  );
});
