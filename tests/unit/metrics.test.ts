import { Logger } from '../../src/log';
import { SyncMetrics, recordCountDeltas } from '../../src/metrics';
import { StreamActivity } from '../../src/progress';

describe('recordCountDeltas', () => {
  const streams = ['projects', 'people', 'todos'];
  it.each([
    [
      'a tick reports the streams that wrote since, with what they wrote since',
      { projects: 10, todos: 5 },
      { projects: 4 },
      false,
      [
        ['projects', 6],
        ['todos', 5],
      ],
    ],
    ['a tick with nothing new reports nothing', { projects: 4 }, { projects: 4 }, false, []],
    [
      'the final report names every stream, 0 included',
      { projects: 4, todos: 7 },
      { projects: 4, todos: 2 },
      true,
      [
        ['projects', 0],
        ['people', 0],
        ['todos', 5],
      ],
    ],
    ['streams not selected are ignored', { vaults: 3 }, {}, false, []],
  ] as const)('%s', (_, counts, reported, final, expected) => {
    expect(recordCountDeltas(new Map(Object.entries(counts)), new Map(Object.entries(reported)), streams, final)).toEqual(expected);
  });
});

describe('SyncMetrics', () => {
  it('record_count lines sum to what each stream wrote; sync_duration per stream and for the run', () => {
    const lines: string[] = [];
    const counts = new Map<string, number>();
    const metrics = new SyncMetrics(new Logger('info', (l) => lines.push(l)), counts, ['projects', 'todos']);
    counts.set('projects', 3);
    metrics.counters(false);
    counts.set('projects', 5);
    counts.set('todos', 2);
    metrics.counters(false);
    metrics.counters(true);
    let now = 1000;
    const activity = new StreamActivity(() => now);
    activity.start('projects');
    now = 3500;
    activity.end('projects');
    metrics.timers('succeeded', activity, 4000);
    const points = lines.map((l) => JSON.parse(l.replace(/^METRIC: /, '')));
    expect(points).toEqual([
      { type: 'counter', metric: 'record_count', value: 3, tags: { stream: 'projects' } },
      { type: 'counter', metric: 'record_count', value: 2, tags: { stream: 'projects' } },
      { type: 'counter', metric: 'record_count', value: 2, tags: { stream: 'todos' } },
      { type: 'counter', metric: 'record_count', value: 0, tags: { stream: 'projects' } },
      { type: 'counter', metric: 'record_count', value: 0, tags: { stream: 'todos' } },
      { type: 'timer', metric: 'sync_duration', value: 2.5, tags: { stream: 'projects', status: 'succeeded' } },
      { type: 'timer', metric: 'sync_duration', value: 0, tags: { stream: 'todos', status: 'succeeded' } },
      { type: 'timer', metric: 'sync_duration', value: 4, tags: { status: 'succeeded' } },
    ]);
  });
});
