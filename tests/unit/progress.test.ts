import { duration, progressInterval, progressLine, summaryLines } from '../../src/progress';

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

  it('a line with the rate, how far the walk is, and the time left at the configured rate', () => {
    const line = progressLine({ elapsedMs: 60_000, records: 12_345, requests: 300, partitionsDone: 120, partitionsKnown: 340, pagesLeft: 80, ratePerSecond: 5 });
    expect(line).toBe('progress: 12,345 records, 300 requests (5.0/s) in 1 min 00 s; 120 of 340 collections read; at least 1 min 00 s left (300 requests known to be needed)');
  });

  it('no estimate when nothing is known to be left', () => {
    const line = progressLine({ elapsedMs: 1000, records: 0, requests: 1, partitionsDone: 3, partitionsKnown: 3, pagesLeft: 0, ratePerSecond: 5 });
    expect(line).not.toMatch(/left/);
  });
});

describe('summary', () => {
  it('a line per stream, then the totals a script can parse', () => {
    const lines = summaryLines({
      records: [['projects', 12], ['todos', 1234]],
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
