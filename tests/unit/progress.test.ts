import { RatePoint, StreamActivity, duration, observedRate, progressInterval, progressLine, summaryLines, trimRatePoints } from '../../src/progress';

describe('progress', () => {
  it('prints at least every 30 s and never more often than every 5 s', () => {
    expect(progressInterval(undefined)).toBe(30_000);
    expect(progressInterval(1)).toBe(5_000);
    expect(progressInterval(12)).toBe(12_000);
    expect(progressInterval(600)).toBe(30_000);
  });

  it('durations in plain words', () => {
    expect(duration(35_400)).toBe('35 s');
    expect(duration(250_000)).toBe('4 min 10 s');
    expect(duration(3_900_000)).toBe('1 h 05 min');
  });

  it.each([
    [
      'no stream being read',
      [],
      5,
      'progress: 12,345 records, 300 requests (5.0/s) in 1 min 00 s; 120 of 340 collections read; at least 1 min 00 s left at 5.0 requests/s (300 requests known to be needed)',
    ],
    [
      'two streams, at the observed 2.5/s',
      ['projects', 'todos'],
      2.5,
      'progress: 12,345 records, 300 requests (5.0/s) in 1 min 00 s; 120 of 340 collections read; reading projects, todos; at least 2 min 00 s left at 2.5 requests/s (300 requests known to be needed)',
    ],
    [
      'six streams: four named',
      ['a', 'b', 'c', 'd', 'e', 'f'],
      0,
      'progress: 12,345 records, 300 requests (5.0/s) in 1 min 00 s; 120 of 340 collections read; reading a, b, c, d and 2 more',
    ],
  ])('a line with the rate, how far the walk is, what is read, the time left at the observed rate: %s', (_, reading, ratePerSecond, expected) => {
    const line = progressLine({
      elapsedMs: 60_000,
      records: 12_345,
      requests: 300,
      partitionsDone: 120,
      partitionsKnown: 340,
      pagesLeft: 80,
      ratePerSecond,
      reading,
    });
    expect(line).toBe(expected);
  });

  it('no estimate when nothing is known to be left', () => {
    const line = progressLine({ elapsedMs: 1000, records: 0, requests: 1, partitionsDone: 3, partitionsKnown: 3, pagesLeft: 0, ratePerSecond: 5 });
    expect(line).not.toMatch(/left/);
  });
});

describe('summary', () => {
  it('a line per stream, then the totals a script can parse', () => {
    const lines = summaryLines({
      records: [
        ['projects', 12],
        ['todos', 1234],
      ],
      requests: 40,
      retries: 2,
      rateLimited: 1,
      notModified: 5,
      rereads: 0,
      elapsedMs: 12_340,
      version: '1.2.3',
      outcome: 'failed',
    });
    expect(lines).toEqual([
      '  projects        12',
      '  todos        1,234',
      'sync failed: 1246 records, 40 requests (2 retries, 1 answered 429, 5 not modified, 0 pages read again after a list shrank) in 12.3 s; tap-basecamp 1.2.3',
    ]);
  });
});

describe('observed rate', () => {
  const pts = (...p: Array<[number, number]>): RatePoint[] => p.map(([s, requests]) => ({ elapsedMs: s * 1000, requests }));
  it.each([
    ['nothing sampled', pts(), 0],
    ['one point', pts([0, 0]), 0],
    ['since the start, a young run', pts([0, 0], [30, 150]), 5],
    // The limiter's first burst, then 429 pauses: the last five minutes say 2.5/s, the whole run more.
    ['the last five minutes only', pts([0, 0], [60, 600], [360, 1350], [660, 2100]), 2.5],
    ['a window of its own', [...pts([0, 0], [10, 100], [20, 120])], 2],
  ])('%s', (_, points, rate) => {
    expect(observedRate(points, _ === 'a window of its own' ? 10_000 : undefined)).toBeCloseTo(rate, 6);
  });

  it('the real case: at 5/s configured but 2.5/s got, 500 requests left are 3 min 20 s, not 1 min 40 s', () => {
    const rate = observedRate(pts([0, 0], [300, 750], [600, 1500]));
    expect(
      progressLine({ elapsedMs: 600_000, records: 0, requests: 1500, partitionsDone: 0, partitionsKnown: 500, pagesLeft: 0, ratePerSecond: rate }),
    ).toMatch(/at least 3 min 20 s left at 2\.5 requests\/s/);
  });

  it('trimRatePoints keeps the window and the point it starts from', () => {
    expect(trimRatePoints(pts([0, 0], [100, 1], [200, 2], [400, 3]), 250_000)).toEqual(pts([200, 2], [400, 3]));
    expect(trimRatePoints(pts([0, 0], [10, 1]))).toEqual(pts([0, 0], [10, 1]));
    expect(trimRatePoints([])).toEqual([]);
  });
});

describe('StreamActivity', () => {
  it('names the streams with a read in flight, in the order given, and times each from first start to last end', () => {
    let now = 0;
    const a = new StreamActivity(() => now);
    a.start('todos');
    a.start('projects');
    a.start('todos');
    expect(a.readingNow(['projects', 'people', 'todos'])).toEqual(['projects', 'todos']);
    now = 5;
    a.end('todos');
    a.end('projects');
    expect(a.readingNow(['projects', 'people', 'todos'])).toEqual(['todos']);
    now = 9;
    expect(a.durationMs('todos')).toBe(9); // still reading: up to now
    a.end('todos');
    now = 20;
    expect(a.readingNow(['projects', 'todos'])).toEqual([]);
    expect([a.durationMs('todos'), a.durationMs('projects'), a.durationMs('people')]).toEqual([9, 5, undefined]);
  });
});
