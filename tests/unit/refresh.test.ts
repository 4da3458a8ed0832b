/**
 * The read decisions of incremental runs (src/sync/refresh.ts): whose turn comes in a run, and
 * how much below a project is read.
 */
import {
  due,
  gates,
  HeldFacts,
  heldRead,
  moveExplained,
  phaseOf,
  projectKey,
  projectRead,
  ProjectRead,
  RefreshWindow,
  TOUCH_SLACK_MS,
} from '../../src/sync/refresh';

const H = 3_600_000;
const T0 = Date.parse('2026-11-01T00:00:00.000Z');
const at = (hours: number) => new Date(T0 + hours * H).toISOString();

describe('phaseOf', () => {
  it('is stable, in [0, 1), and spreads keys', () => {
    expect(phaseOf('project 1')).toBe(phaseOf('project 1'));
    const phases = Array.from({ length: 2400 }, (_, i) => phaseOf(projectKey(2085000000 + i)));
    for (const p of phases) expect(p >= 0 && p < 1).toBe(true);
    // 24 buckets of 100 expected each: none empty, none above twice its share.
    const buckets = new Array(24).fill(0);
    for (const p of phases) buckets[Math.floor(p * 24)]++;
    expect(Math.min(...buckets)).toBeGreaterThan(50);
    expect(Math.max(...buckets)).toBeLessThan(200);
  });
});

describe('due', () => {
  const w = (hours: number, since: number | undefined, now: number, all = false): RefreshWindow => ({
    hours,
    since: since === undefined ? undefined : at(since),
    now: at(now),
    all,
  });
  it.each<[string, RefreshWindow, boolean]>([
    ['no completed run: everything', w(24, undefined, 5), true],
    ['full_refresh_hours 0: everything', w(0, 4, 5), true],
    ['a full refresh asked for: everything', w(24, 4, 5, true), true],
    ['a whole window since the last run: everything', w(24, 0, 24), true],
    ['the same instant: nothing', w(24, 5, 5), false],
  ])('%s', (_name, window, expected) => {
    expect(due('project 7', window)).toBe(expected);
  });

  it('hourly runs over a window: every key exactly once, about a 24th of the keys each run', () => {
    const keys = Array.from({ length: 480 }, (_, i) => projectKey(i));
    const turns = new Map<string, number>();
    const perRun: number[] = [];
    for (let run = 1; run <= 24; run++) {
      const dueNow = keys.filter((k) => due(k, w(24, run - 1, run)));
      perRun.push(dueNow.length);
      for (const k of dueNow) turns.set(k, (turns.get(k) ?? 0) + 1);
    }
    expect(keys.every((k) => turns.get(k) === 1)).toBe(true);
    expect(Math.max(...perRun)).toBeLessThan(60); // 20 on average
  });

  it('a run that failed does not move the start: the next one reads what it left out', () => {
    const keys = Array.from({ length: 200 }, (_, i) => projectKey(i));
    const run2 = keys.filter((k) => due(k, w(24, 1, 2)));
    const run3 = keys.filter((k) => due(k, w(24, 2, 3)));
    // Run 2 failed: run 3 goes on from run 1's start and takes both runs' turns.
    expect(keys.filter((k) => due(k, w(24, 1, 3))).sort()).toEqual([...run2, ...run3].sort());
  });
});

describe('projectRead', () => {
  it.each<[string, boolean, { due: boolean; moved: boolean; named: boolean }, ProjectRead]>([
    ['reads do not follow signals: all', false, { due: false, moved: false, named: false }, 'all'],
    ['its turn', true, { due: true, moved: false, named: false }, 'turn'],
    ['its turn, moved too', true, { due: true, moved: true, named: false }, 'turn'],
    ['moved', true, { due: false, moved: true, named: false }, 'moved'],
    ['the change feed names it', true, { due: false, moved: false, named: true }, 'changed'],
    ['moved and named by the feed', true, { due: false, moved: true, named: true }, 'changed'],
    ['nothing', true, { due: false, moved: false, named: false }, 'quiet'],
  ])('%s', (_name, gated, signals, expected) => {
    expect(projectRead(gated, signals)).toBe(expected);
  });
});

describe('moveExplained', () => {
  const t = Date.parse('2026-12-06T10:00:00.000Z');
  it.each<[string, number | undefined, boolean]>([
    ['nothing seen in the project', undefined, false],
    ['the change stamped with the project', t, true],
    ['a later change (the project stamped first)', t + 2_000, true],
    ['the project stamped a few ms after the change', t - 3, true],
    ['at the slack', t - TOUCH_SLACK_MS, true],
    ['just past the slack', t - TOUCH_SLACK_MS - 1, false],
    ['a change a second earlier: something unseen came after it', t - 1_000, false],
  ])('%s', (_name, seen, expected) => {
    expect(moveExplained(t, seen)).toBe(expected);
  });
});

describe('heldRead', () => {
  const base: HeldFacts = { explained: false, followsProject: false, feedServed: true, feedNamed: false, signalled: false };
  it.each<[string, Partial<HeldFacts>, boolean]>([
    ['a project unknown to the run', { read: undefined }, true],
    ['all', { read: 'all' }, true],
    ['a turn', { read: 'turn' }, true],
    ['named by the feed', { read: 'changed' }, true],
    ['moved, unaccounted for', { read: 'moved' }, true],
    ['moved, unaccounted for: lines too', { read: 'moved', followsProject: true }, true],
    ['moved, accounted for: a tool is not read', { read: 'moved', explained: true }, false],
    ['moved, accounted for: memberships a person names', { read: 'moved', explained: true, signalled: true }, true],
    ['moved, accounted for: lines the feed names', { read: 'moved', explained: true, followsProject: true, feedNamed: true }, true],
    ['moved, accounted for: lines the feed does not name', { read: 'moved', explained: true, followsProject: true }, false],
    ['moved, accounted for, no feed served: lines', { read: 'moved', explained: true, followsProject: true, feedServed: false }, true],
    ['moved, accounted for, no feed served: a tool', { read: 'moved', explained: true, feedServed: false }, false],
    ['quiet: a tool', { read: 'quiet' }, false],
    ['quiet: lines the feed names', { read: 'quiet', followsProject: true, feedNamed: true }, true],
    ['quiet: lines, no feed', { read: 'quiet', followsProject: true, feedServed: false }, false],
    ['quiet: memberships a timeline event names', { read: 'quiet', signalled: true }, true],
  ])('%s', (_name, facts, expected) => {
    expect(heldRead({ ...base, ...facts })).toBe(expected);
  });
});

describe('gates', () => {
  it.each<[string, RefreshWindow | undefined, boolean]>([
    ['no window', undefined, false],
    ['hours 0', { hours: 0, since: at(0), now: at(1) }, false],
    ['no completed run', { hours: 24, now: at(1) }, false],
    ['a full refresh', { hours: 24, since: at(0), now: at(1), all: true }, false],
    ['a window and a completed run', { hours: 24, since: at(0), now: at(1) }, true],
  ])('%s', (_name, window, expected) => {
    expect(gates(window)).toBe(expected);
  });
});
