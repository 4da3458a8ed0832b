import { parseArgs, UsageError } from '../../scripts/bench/args';

describe('bench command line', () => {
  it('defaults to a limited bc3 run of 10000 records', () => {
    expect(parseArgs([])).toEqual({
      product: 'bc3',
      records: 10_000,
      mode: 'limited',
      json: false,
      timeoutMin: 30,
      incremental: false,
      groupsInRecordings: false,
      projectsStay: false,
      select: [],
    });
  });

  it('--select adds a stream to the runs, repeatable; it needs a name', () => {
    expect(parseArgs(['--select', 'recording_events', '--select=boosts']).select).toEqual(['recording_events', 'boosts']);
    expect(() => parseArgs(['--select'])).toThrow('--select needs a stream name');
    expect(() => parseArgs(['--select', '--json'])).toThrow('--select needs a stream name');
  });

  it('leaves --changes and --full-refresh-hours out unless given (the tap gets no full_refresh_hours by default)', () => {
    const o = parseArgs(['--incremental']);
    expect('changes' in o).toBe(false);
    expect('fullRefreshHours' in o).toBe(false);
  });

  it.each([
    [['--product', 'bcx'], { product: 'bcx' }],
    [['--product=bcx'], { product: 'bcx' }],
    [['--records', '2500.4'], { records: 2500 }],
    [['--mode=unlimited', '--latency-ms', '0'], { mode: 'unlimited', latencyMs: 0 }],
    [['--concurrency', '3', '--max-rate', '400'], { concurrency: 3, maxRate: 400 }],
    [['--json', '--incremental', '--seed', '7'], { json: true, incremental: true, seed: 7 }],
    [['--timeout-min', '0.5', '--verify'], { timeoutMin: 0.5, verify: true }],
    [['--verify', '--no-verify'], { verify: false }],
    [['--projects', '20', '--groups-in-recordings'], { projects: 20, groupsInRecordings: true }],
    [['--projects-stay'], { projectsStay: true }],
    [['--changes', '50'], { changes: 50, incremental: true }],
    [['--changes=12.6', '--groups-in-recordings'], { changes: 13, incremental: true, groupsInRecordings: true }],
    [['--full-refresh-hours', '24'], { fullRefreshHours: 24, incremental: false }],
    [['--full-refresh-hours=0'], { fullRefreshHours: 0 }],
    [['--full-refresh-hours', '0.5', '--changes', '5', '--incremental'], { fullRefreshHours: 0.5, changes: 5, incremental: true }],
  ])('%j sets %j', (argv, set) => {
    expect(parseArgs(argv)).toMatchObject(set);
  });

  it.each([
    [['--product', 'bc2'], '--product must be bc3 or bcx'],
    [['--mode'], '--mode must be limited or unlimited'],
    [['--records'], '--records needs a number >= 1'],
    [['--records=0'], '--records needs a number >= 1'],
    [['--projects', '0'], '--projects needs a number >= 1'],
    [['--latency-ms', '-1'], '--latency-ms needs a number >= 0'],
    [['--timeout-min=abc'], '--timeout-min needs a number >= 0.01'],
    [['--changes'], '--changes needs a number >= 1'],
    [['--changes', '0'], '--changes needs a number >= 1'],
    [['--changes', 'many'], '--changes needs a number >= 1'],
    [['--changes', '5', '--product', 'bcx'], '--changes needs --product bc3'],
    [['--product=bcx', '--changes=5'], '--changes needs --product bc3'],
    [['--full-refresh-hours'], '--full-refresh-hours needs a number >= 0'],
    [['--full-refresh-hours', '-1'], '--full-refresh-hours needs a number >= 0'],
    [['--bogus'], 'unknown argument --bogus'],
    [['toString'], 'unknown argument toString'],
    [['__proto__'], 'unknown argument __proto__'],
    [['--help'], ''],
    [['-h'], ''],
  ])('%j is refused: %j', (argv, message) => {
    let err: unknown;
    try {
      parseArgs(argv);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toBe(message);
  });
});
