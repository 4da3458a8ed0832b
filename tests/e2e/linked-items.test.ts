/**
 * google_documents and cloud_files: nothing lists them, so they are read from the timeline
 * events that announce them (by the event's `url`, whatever its kind) and again when a new
 * comment names one as its parent. Under both readings of which kinds announce them, a full sync
 * equals the oracle, archived projects included; a new one arrives next run, an edited one with
 * the comment that moved it; a run with no change reads none of them again.
 */
import { Simulator } from '../../simulator';
import { SimulatedRun, simulatorRunner, syncAgainst } from '../helpers/with-simulator';
import { expectReplica, recordsOf, tmpDir } from '../helpers/tap';

type Rec = Record<string, any>;
const dir = tmpDir();
const HOUR = 3_600_000;
const STREAMS = ['timeline_events', 'google_documents', 'cloud_files', 'comments'];
const READINGS = [
  ['their own kinds', { linkedItemEvents: 'own' as const }],
  ['the kinds of documents and uploads', { linkedItemEvents: 'generic' as const }],
] as const;

const withSimulator = simulatorRunner(dir, 7);

type Run = SimulatedRun;

const sync = (sim: Simulator, config: string, state?: unknown) => syncAgainst(sim, dir, ['--config', config], state);

const projectsBy = (sim: Simulator, status: string) => new Set((sim.expectedRecords('projects') as Rec[]).filter((p) => p.status === status).map((p) => p.id));
const showsRead = (run: Run) => run.paths.filter((p) => /\/(google_documents|cloud_files)\/\d+\.json/.test(p));
const ids = (records: Rec[]) => records.map((r) => r.id as number).sort((a, b) => a - b);

describe.each(READINGS)('google_documents and cloud_files, announced by %s', (_name, readings) => {
  it('a full sync equals the oracle, archived projects included, one show each', () =>
    withSimulator({ readings }, async (sim, config) => {
      const run = await sync(sim, config());
      expectReplica(sim, run.messages, STREAMS);
      const archived = projectsBy(sim, 'archived');
      const docs = recordsOf(run.messages, 'google_documents');
      const files = recordsOf(run.messages, 'cloud_files');
      expect(docs.length).toBeGreaterThan(1);
      expect(files.length).toBeGreaterThan(1);
      expect([...docs, ...files].some((r) => archived.has(r.project_id))).toBe(true);
      expect(showsRead(run)).toHaveLength(docs.length + files.length);
      // The reading is the one asked for: the events that announce them have its kinds.
      const kinds = new Set(
        recordsOf(run.messages, 'timeline_events')
          .filter((e) => /\/(google_documents|cloud_files)\//.test(e.url ?? ''))
          .map((e) => e.kind),
      );
      expect([...kinds].sort()).toEqual(
        readings.linkedItemEvents === 'own' ? ['cloud_file_created', 'google_document_created'] : ['document_created', 'upload_created'],
      );
    }));

  it('new ones arrive next run, in active and archived projects; a run with no change reads none', () =>
    withSimulator({ readings }, async (sim, config) => {
      const file = config({ full_refresh_hours: 24 });
      const base = await sync(sim, file);
      const [active] = [...projectsBy(sim, 'active')];
      const [archived] = [...projectsBy(sim, 'archived')];
      const doc = sim.create('google_documents', { projectId: active });
      const cloud = sim.create('cloud_files', { projectId: archived });
      sim.advanceClock(HOUR);
      const next = await sync(sim, file, base.state);
      expect(ids(recordsOf(next.messages, 'google_documents'))).toEqual([doc]);
      expect(ids(recordsOf(next.messages, 'cloud_files'))).toEqual([cloud]);
      expect(recordsOf(next.messages, 'cloud_files')[0]).toEqual((sim.expectedRecords('cloud_files') as Rec[]).find((f) => f.id === cloud));
      expectReplica(sim, [...base.messages, ...next.messages], STREAMS);

      sim.advanceClock(HOUR);
      const quiet = await sync(sim, file, next.state);
      // Only an event sitting on the bookmark (cursors are inclusive) is written again, with what it announces.
      expect(showsRead(quiet).length).toBeLessThanOrEqual(1);
    }));

  it('an edited one arrives with the comment that moved its count (full_refresh_hours > 0)', () =>
    withSimulator({ readings }, async (sim, config) => {
      const file = config({ full_refresh_hours: 24 });
      const base = await sync(sim, file);
      const active = projectsBy(sim, 'active');
      const doc = (sim.expectedRecords('google_documents') as Rec[]).find((d) => active.has(d.project_id))!;
      sim.update('google_documents', doc.id);
      const comment = sim.create('comments', { parentId: doc.id });
      sim.advanceClock(HOUR);
      const next = await sync(sim, file, base.state);
      const got = recordsOf(next.messages, 'google_documents').find((d) => d.id === doc.id);
      expect(got).toEqual((sim.expectedRecords('google_documents') as Rec[]).find((d) => d.id === doc.id));
      expect(got?.comments_count).toBe(doc.comments_count + 1);
      expect(got?.updated_at).not.toBe(doc.updated_at);
      expect(recordsOf(next.messages, 'comments').map((c) => c.id)).toContain(comment);
      expectReplica(sim, [...base.messages, ...next.messages], STREAMS);
    }));
});
