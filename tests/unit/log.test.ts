import { registerSecret } from '../../src/errors';
import { LineContext, Logger, formatLine, levelFromEnv, metricLine, parseFormat } from '../../src/log';

const TIME = new Date('2026-01-02T03:04:05.678Z');
const text = (accountId: number | null): LineContext => ({ format: 'text', accountId, time: TIME });
const json = (accountId: number | null): LineContext => ({ format: 'json', accountId, time: TIME });

describe('formatLine', () => {
  it.each([
    ['text, account unknown', 'info', {}, text(null), '2026-01-02T03:04:05.678Z INFO hello'],
    ['text, account known', 'warn', {}, text(999), '2026-01-02T03:04:05.678Z [account 999] WARN hello'],
    ['text, a stream is not printed (the message names it)', 'info', { stream: 'todos' }, text(999), '2026-01-02T03:04:05.678Z [account 999] INFO hello'],
    ['json, account unknown', 'error', {}, json(null), '{"time":"2026-01-02T03:04:05.678Z","level":"error","message":"hello","account_id":null}'],
    ['json, warn is "warning"', 'warn', {}, json(7), '{"time":"2026-01-02T03:04:05.678Z","level":"warning","message":"hello","account_id":7}'],
    [
      'json, with a stream',
      'debug',
      { stream: 'todos' },
      json(7),
      '{"time":"2026-01-02T03:04:05.678Z","level":"debug","message":"hello","account_id":7,"stream":"todos"}',
    ],
  ] as const)('%s', (_, level, fields, ctx, expected) => {
    expect(formatLine(level, 'hello', fields, ctx)).toBe(expected);
  });

  it('folds a multi-line message into one line, in both formats', () => {
    expect(formatLine('info', 'a\n  b', {}, text(1))).toMatch(/INFO a b$/);
    expect(JSON.parse(formatLine('info', 'a\n  b', {}, json(1))).message).toBe('a b');
    expect(formatLine('info', 'a\n  b', {}, json(1))).not.toContain('\n');
  });
});

describe('metricLine', () => {
  const point = { type: 'counter' as const, metric: 'record_count', value: 3, tags: { stream: 'todos' } };
  it('text: METRIC: and the point, as Meltano SDK taps print it', () => {
    expect(metricLine(point, { ...text(9), level: 'info' })).toBe('METRIC: {"type":"counter","metric":"record_count","value":3,"tags":{"stream":"todos"}}');
  });
  it('json: one object with the point inside, its stream and account', () => {
    const line = JSON.parse(metricLine(point, { ...json(9), level: 'info' }));
    expect(line).toEqual({
      time: TIME.toISOString(),
      level: 'info',
      message: `METRIC: ${JSON.stringify(point)}`,
      account_id: 9,
      stream: 'todos',
      metric: point,
    });
  });
});

describe('levelFromEnv: TAP_BASECAMP_LOGLEVEL, then LOG_LEVEL, then LOGLEVEL', () => {
  it.each([
    [{}, 'info', undefined],
    [{ LOGLEVEL: 'debug' }, 'debug', undefined],
    [{ LOG_LEVEL: 'error', LOGLEVEL: 'debug' }, 'error', undefined],
    [{ TAP_BASECAMP_LOGLEVEL: 'WARNING', LOG_LEVEL: 'error', LOGLEVEL: 'debug' }, 'warn', undefined],
    [{ TAP_BASECAMP_LOGLEVEL: '', LOGLEVEL: 'Debug' }, 'debug', undefined],
    [{ TAP_BASECAMP_LOGLEVEL: 'loud', LOGLEVEL: 'debug' }, 'info', 'TAP_BASECAMP_LOGLEVEL must be one of debug, info, warn, error (got "loud"); using info'],
  ])('%j -> %s', (env, level, problem) => {
    expect(levelFromEnv(env)).toEqual(problem ? { level, problem } : { level });
  });

  it('parseFormat knows text and json only', () => {
    expect([parseFormat('json'), parseFormat('TEXT'), parseFormat('yaml'), parseFormat(undefined)]).toEqual(['json', 'text', undefined, undefined]);
  });
});

describe('Logger', () => {
  it('names the account once known, in lines and in metric tags; redacts secrets in both formats', () => {
    registerSecret('s3cr3t-value-for-log-test');
    const lines: string[] = [];
    const log = new Logger('info', (l) => lines.push(l), 'json');
    log.info('before s3cr3t-value-for-log-test');
    log.setAccount(42);
    log.warn('skipping', { stream: 'todos' });
    log.metric('info', 'counter', 'record_count', 5, { stream: 'todos' });
    log.metric('debug', 'timer', 'http_request_duration', 0.1, {});
    log.setFormat('text');
    log.info('now text');
    log.metric('info', 'timer', 'sync_duration', 1.5, { status: 'succeeded' });
    expect(lines.every((l) => l.endsWith('\n'))).toBe(true);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'info', message: 'before [redacted]', account_id: null });
    expect(JSON.parse(lines[1]!)).toMatchObject({ level: 'warning', message: 'skipping', account_id: 42, stream: 'todos' });
    expect(JSON.parse(lines[2]!)).toMatchObject({
      account_id: 42,
      stream: 'todos',
      metric: { type: 'counter', metric: 'record_count', value: 5, tags: { stream: 'todos', account_id: 42 } },
    });
    expect(lines[3]).toMatch(/^\S+Z \[account 42\] INFO now text\n$/);
    expect(lines[4]).toBe('METRIC: {"type":"timer","metric":"sync_duration","value":1.5,"tags":{"status":"succeeded","account_id":42}}\n');
    expect(lines).toHaveLength(5);
  });
});
