/**
 * The attachments stream (issue 20): one record per item of the content_attachments and
 * description_attachments of every record written, written right after that record and only
 * when it is written, at no request of its own. A full sync writes every one the simulator's
 * oracle states; an incremental run writes those of the records it writes; archived projects'
 * arrive; field selection, add_account_id and a selection without any source behave.
 */
import { Simulator, startSimulator } from '../../simulator';
import { Message, expectReplica, lastState, logLines, recordsOf, runTap, tmpDir, writeJson } from '../helpers/tap';

type Json = Record<string, any>;
const HOUR = 3_600_000;

let sim: Simulator;
let dir: string;
let full: { messages: Message[]; paths: string[]; state: unknown };

function config(extra: object = {}): string {
  return writeJson(dir, `config-${Math.random()}.json`, sim.config({ max_requests_per_10s: 100000, ...extra }));
}

/** A run that must succeed; `warned`: the WARN and ERROR lines it may print (any other fails the test). */
async function sync(args: string[], warned: RegExp[] = []): Promise<{ messages: Message[]; paths: string[]; warnings: string[] }> {
  sim.resetRequests();
  const run = await runTap(args, { timeoutMs: 120_000 });
  const warnings = logLines(run.stderr).filter((l) => / (ERROR|WARN) /.test(l));
  expect(warnings.filter((l) => !warned.some((w) => w.test(l)))).toEqual([]);
  expect(run.code).toBe(0);
  return { messages: run.messages, paths: sim.requests.map((r) => r.path), warnings };
}

/** The discovered catalog, with only `streams` selected, changed by `edit`. */
async function catalog(streams: string[], edit: (entries: Map<string, Json>) => void = () => undefined): Promise<string> {
  const discovered = await runTap(['--config', config(), '--discover']);
  const cat = JSON.parse(discovered.stdout) as { streams: Json[] };
  for (const s of cat.streams) s.metadata[0].metadata.selected = streams.includes(s.stream);
  edit(new Map(cat.streams.map((s) => [s.stream, s])));
  return writeJson(dir, `catalog-${Math.random()}.json`, cat);
}

const attachmentsOf = (messages: Message[]) => recordsOf(messages, 'attachments');
const expected = () => sim.expectedRecords('attachments') as Json[];
const byRecording = (files: Json[], ids: Set<number>) => files.filter((a) => ids.has(a.recording_id)).sort((a, b) => a.id - b.id);

beforeAll(async () => {
  sim = await startSimulator({ records: 1500, seed: 23 });
  dir = tmpDir('tap-basecamp-attachments-');
  const run = await sync(['--config', config()]);
  full = { messages: run.messages, paths: run.paths, state: lastState(run.messages) };
});
afterAll(async () => {
  await sim?.stop();
});

describe('a full sync', () => {
  test('writes every attachment the oracle states, equal record for record', () => {
    expect(expected().length).toBeGreaterThan(50);
    expectReplica(sim, full.messages, ['attachments']);
  });

  test('writes each record’s attachments right after it, and none twice', () => {
    const records = full.messages.filter((m) => m.type === 'RECORD');
    let owner: Json | undefined;
    for (const m of records) {
      if (m.stream !== 'attachments') {
        owner = m.record;
        continue;
      }
      expect({ id: m.record!.id, after: owner?.id }).toEqual({ id: m.record!.id, after: m.record!.recording_id });
      expect(m.record!.recording_type).toBe(owner!.type);
      expect(m.record!.project_id).toBe(owner!.project_id);
    }
    const ids = attachmentsOf(full.messages).map((a) => a.id);
    expect(ids.length).toBe(expected().length);
    expect(new Set(ids).size).toBe(ids.length);
  });

  test('costs no request: the same requests as a run without the stream', async () => {
    const all = full.messages.filter((m) => m.type === 'SCHEMA').map((m) => m.stream!);
    const without = await sync(['--config', config(), '--catalog', await catalog(all.filter((s) => s !== 'attachments'))]);
    expect(attachmentsOf(full.messages).length).toBeGreaterThan(0);
    expect(attachmentsOf(without.messages)).toEqual([]);
    expect(without.paths.length).toBe(full.paths.length);
    expect([...without.paths].sort()).toEqual([...full.paths].sort());
  });

  test("brings an archived project's attachments, from content and description alike", () => {
    const archived = new Set((sim.expectedRecords('projects') as Json[]).filter((p) => p.status === 'archived').map((p) => p.id));
    const theirs = expected().filter((a) => archived.has(a.project_id));
    expect(new Set(theirs.map((a) => a.recording_type)).size).toBeGreaterThan(2);
    const got = new Map(attachmentsOf(full.messages).map((a) => [a.id, a]));
    for (const a of theirs) expect(got.get(a.id)).toEqual(a);
  });
});

/** The records of other streams a run wrote, by id (ids are unique across a Basecamp account). */
function writtenRecords(messages: Message[]): Map<number, Json> {
  return new Map(messages.filter((m) => m.type === 'RECORD' && m.stream !== 'attachments').map((m) => [m.record!.id as number, m.record!]));
}

/** A run's attachments are exactly the oracle's attachments of the records it wrote: no more, no fewer. */
function expectFollows(messages: Message[]): void {
  const ids = new Set(writtenRecords(messages).keys());
  expect(attachmentsOf(messages).sort((a, b) => a.id - b.id)).toEqual(byRecording(expected(), ids));
}

/**
 * A run after no change writes no new attachment: only those of records it takes again as the
 * replica holds them already (every incremental run takes the record at each walk's bookmark
 * again, cursors being inclusive, and a project a change moved has its full-table lists read again).
 */
function expectOnlyRetaken(messages: Message[], replica: Map<number, Json>): void {
  expectFollows(messages);
  const written = writtenRecords(messages);
  for (const a of attachmentsOf(messages)) expect(written.get(a.recording_id)).toEqual(replica.get(a.recording_id));
}

/** The replica after loading a run's records (the last version of each wins). */
function load(replica: Map<number, Json>, messages: Message[]): Map<number, Json> {
  for (const [id, r] of writtenRecords(messages)) replica.set(id, r);
  return replica;
}

describe('incremental runs', () => {
  test('a change writes the attachments of the changed records; a run after no change writes none that is new', async () => {
    sim.advanceClock(HOUR);
    const quiet = await sync(['--config', config(), '--state', writeJson(dir, 'state-0.json', full.state)]);
    const replica = load(new Map(), full.messages);
    expectOnlyRetaken(quiet.messages, replica);
    load(replica, quiet.messages);
    expect(attachmentsOf(quiet.messages).length).toBeLessThan(expected().length / 10);

    // An active project's message and to-do, and an archived project's comment, each with files.
    const archived = new Set((sim.expectedRecords('projects') as Json[]).filter((p) => p.status === 'archived').map((p) => p.id));
    const retaken = new Set(attachmentsOf(quiet.messages).map((a) => a.recording_id));
    const withFiles = (type: string, inArchived: boolean) =>
      expected().find((a) => a.recording_type === type && archived.has(a.project_id) === inArchived && !retaken.has(a.recording_id))!;
    const changed = [withFiles('Message', false), withFiles('Todo', false), withFiles('Comment', true)];
    const streamOf: Record<string, string> = { Message: 'messages', Todo: 'todos', Comment: 'comments' };
    for (const a of changed) sim.update(streamOf[a.recording_type], a.recording_id);
    sim.advanceClock(HOUR);
    const ids = new Set(changed.map((a) => a.recording_id as number));
    const after = await sync(['--config', config(), '--state', writeJson(dir, 'state-1.json', lastState(quiet.messages))]);
    expect(byRecording(attachmentsOf(after.messages), ids)).toEqual(byRecording(expected(), ids));
    expect(byRecording(attachmentsOf(after.messages), ids).length).toBeGreaterThanOrEqual(3);
    expectFollows(after.messages);
    load(replica, after.messages);

    sim.advanceClock(HOUR);
    const again = await sync(['--config', config(), '--state', writeJson(dir, 'state-2.json', lastState(after.messages))]);
    expectOnlyRetaken(again.messages, replica);
  });
});

describe('selection', () => {
  test('fields deselected in attachments leave it; deselecting the array in its record does not take the attachments away', async () => {
    const cat = await catalog(['messages', 'attachments'], (entries) => {
      entries.get('attachments')!.metadata.push({ breadcrumb: ['properties', 'download_url'], metadata: { selected: false } });
      entries.get('messages')!.metadata.push({ breadcrumb: ['properties', 'content_attachments'], metadata: { selected: false } });
    });
    const run = await sync(['--config', config({ add_account_id: true }), '--catalog', cat]);
    const schema = run.messages.find((m) => m.type === 'SCHEMA' && m.stream === 'attachments')!;
    expect(schema.key_properties).toEqual(['account_id', 'id']);
    expect(Object.keys(schema.schema.properties)).not.toContain('download_url');
    expect(Object.keys(schema.schema.properties)).toContain('account_id');
    expect(recordsOf(run.messages, 'messages').every((m) => !('content_attachments' in m))).toBe(true);
    const fromMessages = expected()
      .filter((a) => a.recording_type === 'Message')
      .map(({ download_url: _, ...rest }) => ({ ...rest, account_id: sim.accountId }));
    expect(attachmentsOf(run.messages).sort((a, b) => a.id - b.id)).toEqual(fromMessages);
  });

  test('attachments without any stream they come from: one warning, no record', async () => {
    const run = await sync(['--config', config(), '--catalog', await catalog(['attachments', 'projects'])], [/WARN attachments follows the records of/]);
    expect(attachmentsOf(run.messages)).toEqual([]);
    expect(run.warnings).toEqual([
      expect.stringMatching(/WARN attachments follows the records of gauge_needles, messages, .*; none of them is selected, so it gets no record$/),
    ]);
    expect(run.messages.some((m) => m.type === 'SCHEMA' && m.stream === 'attachments')).toBe(true);
  });
});
