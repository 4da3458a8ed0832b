/** Retry warnings: said once per kind of fault and host, then a line a minute with a count. */
import { RepeatedFaults, Say, sayRetry } from '../../src/repeats';

describe('RepeatedFaults', () => {
  /** [what, retries as [key, seconds], what each retry says (undefined: nothing)] */
  const CASES: Array<[string, Array<[string, number]>, Array<Say | undefined>]> = [
    ['the first retry of a fault is said', [['ECONNREFUSED at h', 0]], [{ quiet: 0 }]],
    [
      'more of the same within a minute are counted, and the first after it says how many',
      [
        ['ECONNREFUSED at h', 0],
        ['ECONNREFUSED at h', 1],
        ['ECONNREFUSED at h', 30],
        ['ECONNREFUSED at h', 59.9],
        ['ECONNREFUSED at h', 61],
      ],
      [{ quiet: 0 }, undefined, undefined, undefined, { quiet: 3, sinceMs: 61_000 }],
    ],
    [
      'a minute is counted from the last line said, not the first',
      [
        ['HTTP 503 at h', 0],
        ['HTTP 503 at h', 60],
        ['HTTP 503 at h', 100],
        ['HTTP 503 at h', 121],
      ],
      [{ quiet: 0 }, { quiet: 0, sinceMs: 60_000 }, undefined, { quiet: 1, sinceMs: 61_000 }],
    ],
    [
      'another kind of fault, or another host, is news',
      [
        ['HTTP 503 at h', 0],
        ['HTTP 502 at h', 1],
        ['HTTP 503 at launchpad', 2],
        ['HTTP 503 at h', 3],
      ],
      [{ quiet: 0 }, { quiet: 0 }, { quiet: 0 }, undefined],
    ],
    [
      'a lone fault long after the last says no count',
      [
        ['ECONNRESET at h', 0],
        ['ECONNRESET at h', 3600],
      ],
      [{ quiet: 0 }, { quiet: 0, sinceMs: 3_600_000 }],
    ],
  ];

  test.each(CASES)('%s', (_what, retries, says) => {
    const repeats = new RepeatedFaults(60_000);
    expect(retries.map(([key, s]) => repeats.note(key, s * 1000))).toEqual(says);
  });

  test('an unreachable API at the defaults (8 requests x 8 retries over about two minutes): 3 lines, not 64', () => {
    const repeats = new RepeatedFaults();
    let said = 0;
    // Backoff 1, 2, 4, ... 60 s (jitter aside) for 8 requests in flight at once.
    let at = 0;
    for (let retry = 1; retry <= 8; retry++) {
      for (let request = 0; request < 8; request++) if (repeats.note('ECONNREFUSED at 3.basecampapi.com', at + request)) said++;
      at += Math.min(60, 2 ** (retry - 1)) * 1000;
    }
    expect(said).toBe(3);
  });
});

describe('sayRetry', () => {
  test.each<[Say, string]>([
    [{ quiet: 0 }, 'HTTP 503 on /1/a.json; retry 1/8 in 1.0 s (repeats of it at h: one line a minute)'],
    [{ quiet: 0, sinceMs: 3_600_000 }, 'HTTP 503 on /1/a.json; retry 1/8 in 1.0 s (repeats of it at h: one line a minute)'],
    [{ quiet: 23, sinceMs: 61_400 }, 'HTTP 503 on /1/a.json; retry 1/8 in 1.0 s; 23 more like it at h in the last 61 s'],
  ])('%p', (say, line) => {
    expect(sayRetry('HTTP 503 on /1/a.json; retry 1/8 in 1.0 s', 'h', say)).toBe(line);
  });
});
