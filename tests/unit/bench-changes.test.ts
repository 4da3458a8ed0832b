/**
 * The bench's --changes run: the changes it makes through the simulator, the replica check after
 * it, the figures it reports, and the tap config --full-refresh-hours writes.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startSimulator, Simulator } from '../../simulator';
import { parseArgs } from '../../scripts/bench/args';
import { CHANGE_MIX, ChangeMade, Changer, describeChanges, leftToWindow, makeChanges } from '../../scripts/bench/changes';
import { comparison, Figures } from '../../scripts/bench/output';
import { beyondWindow, compareReplica, mergeRuns } from '../../scripts/bench/replica';
import { tapConfigFor } from '../../scripts/bench/tap-config';

type Json = Record<string, any>;

describe('the tap config the bench writes', () => {
  it.each([
    [['--mode', 'unlimited'], 1000, { max_requests_per_10s: 1000 }],
    [['--mode', 'unlimited', '--full-refresh-hours', '0'], 1000, { max_requests_per_10s: 1000, full_refresh_hours: 0 }],
    [['--full-refresh-hours', '24', '--concurrency', '2'], undefined, { max_concurrency: 2, full_refresh_hours: 24 }],
    [['--changes', '50'], undefined, {}],
  ])('%j (schema maximum %j) gives %j', (argv, max, config) => {
    expect(tapConfigFor(parseArgs(argv), parseArgs(argv).mode === 'limited', [], max)).toEqual(config);
  });
});

describe('requests per run against the full sync', () => {
  const fig = (requests: number, records: number) => ({ requests, records }) as Figures;

  it('divides each run by the full sync, and the changes run beyond the no-change one by the changes', () => {
    expect(comparison({ full: fig(2000, 16000), second: fig(100, 20), third: fig(250, 90) }, 50)).toEqual({
      runs: [
        { run: 'full sync', requests: 2000, requestsPerFullSync: 1, records: 16000 },
        { run: 'no-change run', requests: 100, requestsPerFullSync: 0.05, records: 20 },
        { run: 'after changes', requests: 250, requestsPerFullSync: 0.125, records: 90 },
      ],
      requestsPerChange: 3,
    });
  });

  it.each([
    [{ full: fig(2000, 1), second: fig(100, 1) }, undefined],
    [{ full: fig(2000, 1), second: fig(100, 1), third: fig(90, 1) }, 0],
  ])('gives no per-change figure without a changes run or changes (%#)', (figs, made) => {
    expect(comparison(figs, made).requestsPerChange).toBeUndefined();
  });
});

describe('the replica after the runs', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-replica-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const run = (name: string, messages: object[]) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, messages.map((m) => JSON.stringify(m) + '\n').join(''));
    return file;
  };
  const schema = (stream: string, key_properties: string[]) => ({ type: 'SCHEMA', stream, schema: {}, key_properties });
  const record = (stream: string, rec: Json) => ({ type: 'RECORD', stream, record: rec });
  const account = (streams: Record<string, Json[]>) => ({ streamNames: () => Object.keys(streams), expectedRecords: (s: string) => streams[s]! });

  it('upserts on each stream key, later runs winning, and finds equal records equal whatever their key order', async () => {
    const full = run('full', [
      schema('todos', ['id']),
      record('todos', { id: 1, title: 'a', n: { x: 1, y: 2 } }),
      record('todos', { id: 2, title: 'b' }),
      schema('project_people', ['project_id', 'person_id']),
      record('project_people', { project_id: 7, person_id: 1, name: 'P' }),
      { type: 'STATE', value: {} },
    ]);
    const later = run('later', [schema('todos', ['id']), record('todos', { title: 'B', id: 2 })]);
    const replica = await mergeRuns([full, later]);
    const check = compareReplica(
      replica,
      account({
        todos: [
          { id: 1, n: { y: 2, x: 1 }, title: 'a' },
          { id: 2, title: 'B' },
        ],
        project_people: [{ person_id: 1, project_id: 7, name: 'P' }],
      }),
    );
    expect(check).toEqual({ expected: 3, held: 3, mismatches: [] });
  });

  it('counts missing, stale and extra records per stream', async () => {
    const file = run('one', [schema('todos', ['id']), record('todos', { id: 1, t: 'old' }), record('todos', { id: 3, t: 'gone' }), record('odd', { id: 9 })]);
    const check = compareReplica(
      await mergeRuns([file]),
      account({
        todos: [
          { id: 1, t: 'new' },
          { id: 2, t: 'x' },
        ],
        people: [],
      }),
    );
    expect(check.expected).toBe(2);
    expect(check.held).toBe(3);
    expect(check.mismatches).toEqual([
      { stream: 'todos', expected: 2, held: 2, missing: 1, stale: 1, extra: 1, sample: ['stale 1', 'missing 2', 'extra 3'], staleKeys: ['1'] },
      { stream: 'odd', expected: 0, held: 1, missing: 0, stale: 0, extra: 1, sample: ['extra 9'], staleKeys: [] },
    ]);
  });

  it('tells records a change left to the window from losses', async () => {
    const file = run('two', [schema('client_approvals', ['id']), record('client_approvals', { id: 1, t: 'old' }), record('todos', { id: 2, t: 'old' })]);
    const check = compareReplica(await mergeRuns([file]), account({ client_approvals: [{ id: 1, t: 'new' }], todos: [{ id: 2, t: 'new' }] }));
    const window = new Map([['client_approvals', new Set(['1'])]]);
    expect(beyondWindow(check, window).map((m) => m.stream)).toEqual(['todos']);
    expect(beyondWindow(check, new Map([...window, ['todos', new Set(['2'])]]))).toEqual([]);
    expect(beyondWindow(check, new Map()).map((m) => m.stream)).toEqual(['client_approvals', 'todos']);
  });
});

describe('leftToWindow: the changes only a project’s updated_at shows, where that does not reach the tap', () => {
  const kind = (stream: string) => CHANGE_MIX.find((k) => k.stream === stream && k.op === 'edit')!;
  const change = (stream: string, id: number, projectId: number): ChangeMade => ({ kind: kind(stream), id, projectId });
  const log = [change('client_approvals', 1, 10), change('todos', 2, 10), change('inbox_forwards', 3, 10), change('client_correspondences', 4, 20)];
  it('changes move their project: those a later change the walks show follows in the same project', () => {
    expect(leftToWindow(log, false)).toEqual(new Map([['client_approvals', new Set(['1'])]]));
  });
  it('changes do not move their project: every one of them', () => {
    expect(leftToWindow(log, true)).toEqual(
      new Map([
        ['client_approvals', new Set(['1'])],
        ['inbox_forwards', new Set(['3'])],
        ['client_correspondences', new Set(['4'])],
      ]),
    );
  });
});

describe('the changes --changes makes', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ records: 1500, seed: 5 });
  });
  afterAll(async () => {
    await sim?.stop();
  });

  const counts = (stream: string) => sim.expectedRecords(stream).length;

  it('makes N changes of many kinds over many projects, each seen in the expected records', () => {
    const projectOf = new Map<number, number>();
    for (const s of new Set(CHANGE_MIX.flatMap((k) => [k.stream, ...(k.parents ?? [])])))
      for (const r of sim.expectedRecords(s) as Json[]) projectOf.set(r.id, r.project_id);
    const touched = new Set<number>();
    const spy = <F extends (...a: any[]) => any>(fn: F): F =>
      ((...a: any[]) => {
        touched.add(projectOf.get(typeof a[1] === 'number' ? a[1] : a[1].parentId)!);
        return fn(...a);
      }) as F;
    const before = { lines: counts('campfire_lines'), comments: counts('comments'), todos: counts('todos'), clock: sim.now().getTime() };
    const changer: Changer = {
      expectedRecords: sim.expectedRecords,
      update: spy(sim.update),
      create: spy(sim.create),
      setStatus: spy(sim.setStatus),
      complete: spy(sim.complete),
    };
    const made = makeChanges(changer, 60, 42);
    expect(made.made).toBe(60);
    expect(made.refused).toEqual([]);
    const total = Object.values(made.byStream).reduce((n, ops) => n + Object.values(ops).reduce((a, b) => a + b!, 0), 0);
    expect(total).toBe(60);
    expect(Object.keys(made.byStream).length).toBeGreaterThanOrEqual(6);
    expect(made.byStream.todos?.edit).toBeGreaterThan(0);
    expect(touched.size).toBeGreaterThanOrEqual(5);
    // New records are listed; every change moved the clock.
    expect(counts('campfire_lines') - before.lines).toBe(made.byStream.campfire_lines?.create ?? 0);
    expect(counts('comments') - before.comments).toBe(made.byStream.comments?.create ?? 0);
    expect(counts('todos') - before.todos).toBe(made.byStream.todos?.create ?? 0);
    expect(sim.now().getTime() - before.clock).toBe(60_000);
    expect(describeChanges(made.byStream).every((l) => /^[a-z_]+: \d+ (edited|created|completed|archived|trashed)(, \d+ [a-z]+)*$/.test(l))).toBe(true);
  });

  it('makes the same changes from the same seed', async () => {
    const a = await startSimulator({ records: 1500, seed: 9 });
    const b = await startSimulator({ records: 1500, seed: 9 });
    try {
      expect(makeChanges(a, 30, 3)).toEqual(makeChanges(b, 30, 3));
      // The same records, but for each server's own port in the URLs.
      const text = (sim: Simulator, stream: string) => JSON.stringify(sim.expectedRecords(stream)).split(sim.baseUrl).join('');
      for (const stream of ['todos', 'comments', 'campfire_lines', 'messages']) expect(text(a, stream)).toBe(text(b, stream));
    } finally {
      await a.stop();
      await b.stop();
    }
  });

  it('marks a to-do done: completed, with its completion, out of the ordering, updated now', () => {
    const todo = (sim.expectedRecords('todos') as Json[]).find((t) => t.status === 'active' && !t.completed)!;
    const person = (sim.expectedRecords('people') as Json[])[3]!;
    sim.complete('todos', todo.id, person.id);
    const after = (sim.expectedRecords('todos') as Json[]).find((t) => t.id === todo.id)!;
    expect(after.completed).toBe(true);
    expect(after.completion).toMatchObject({ created_at: sim.now().toISOString(), creator: { id: person.id } });
    expect(after.position).toBeUndefined();
    expect(after.updated_at).toBe(sim.now().toISOString());
    expect(() => sim.complete('messages', todo.id)).toThrow('only to-dos can be completed');
  });
});
