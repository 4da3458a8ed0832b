import { redact } from './errors';

/**
 * Logging goes to stderr only: stdout is reserved for Singer messages. Two formats (log_format):
 * - text: `<ISO time> [account N] <LEVEL> <message>` (the prefix once the account is known), and
 *   Singer metric lines `METRIC: {...}` as Meltano SDK taps print them, unprefixed so that
 *   parsers looking for lines starting with `METRIC: ` find them;
 * - json: one JSON object a line, `{"time","level","message","account_id"[,"stream"]}`; a
 *   metric line also carries the point as `metric` (its message is the text form).
 * The account goes into every metric's tags too, once known.
 */
export const LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type Level = (typeof LEVELS)[number];
export const LOG_FORMATS = ['text', 'json'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** What a line is about, beside its message. */
export interface LineFields {
  stream?: string;
}

/** A Singer metric point, as the Meltano SDK prints it. */
export interface MetricPoint {
  type: 'timer' | 'counter';
  metric: string;
  value: number;
  tags: Record<string, unknown>;
}

/** Level names in json lines: Python's (and Meltano's), which log aggregators know. */
const JSON_LEVEL: Record<Level, string> = { debug: 'debug', info: 'info', warn: 'warning', error: 'error' };

export class Logger {
  private threshold: number;
  private accountId: number | null = null;

  constructor(
    level: Level = 'info',
    private readonly sink: (line: string) => void = (l) => process.stderr.write(l),
    private format: LogFormat = 'text',
  ) {
    this.threshold = LEVELS.indexOf(level);
  }

  setLevel(level: Level): void {
    this.threshold = LEVELS.indexOf(level);
  }

  setFormat(format: LogFormat): void {
    this.format = format;
  }

  /** From now on every line names this account. */
  setAccount(accountId: number): void {
    this.accountId = accountId;
  }

  enabled(level: Level): boolean {
    return LEVELS.indexOf(level) >= this.threshold;
  }

  debug(message: string, fields?: LineFields): void {
    this.write('debug', message, fields);
  }
  info(message: string, fields?: LineFields): void {
    this.write('info', message, fields);
  }
  warn(message: string, fields?: LineFields): void {
    this.write('warn', message, fields);
  }
  error(message: string, fields?: LineFields): void {
    this.write('error', message, fields);
  }

  /** A Singer metric line (https://hub.meltano.com/singer/spec#metrics). */
  metric(level: Level, type: MetricPoint['type'], metric: string, value: number, tags: Record<string, unknown>): void {
    if (!this.enabled(level)) return;
    const point: MetricPoint = { type, metric, value, tags: this.accountId === null ? tags : { ...tags, account_id: this.accountId } };
    this.sink(redact(metricLine(point, { format: this.format, accountId: this.accountId, time: new Date(), level })) + '\n');
  }

  private write(level: Level, message: string, fields: LineFields = {}): void {
    if (!this.enabled(level)) return;
    this.sink(formatLine(level, redact(message), fields, { format: this.format, accountId: this.accountId, time: new Date() }) + '\n');
  }
}

export interface LineContext {
  format: LogFormat;
  accountId: number | null;
  time: Date;
}

/** One log line (without its newline), in the format asked for. */
export function formatLine(level: Level, message: string, fields: LineFields, ctx: LineContext): string {
  const oneLine = message.replace(/\s*\n\s*/g, ' ');
  if (ctx.format === 'json') {
    const out: Record<string, unknown> = { time: ctx.time.toISOString(), level: JSON_LEVEL[level], message: oneLine, account_id: ctx.accountId };
    if (fields.stream !== undefined) out.stream = fields.stream;
    return JSON.stringify(out);
  }
  const account = ctx.accountId === null ? '' : `[account ${ctx.accountId}] `;
  return `${ctx.time.toISOString()} ${account}${level.toUpperCase()} ${oneLine}`;
}

/** A metric line: `METRIC: {...}` in text; in json, a log object carrying the point. */
export function metricLine(point: MetricPoint, ctx: LineContext & { level: Level }): string {
  const text = `METRIC: ${JSON.stringify(point)}`;
  if (ctx.format === 'text') return text;
  const out: Record<string, unknown> = { time: ctx.time.toISOString(), level: JSON_LEVEL[ctx.level], message: text, account_id: ctx.accountId, metric: point };
  if (typeof point.tags.stream === 'string') out.stream = point.tags.stream;
  return JSON.stringify(out);
}

export function parseLevel(value: string | undefined): Level | undefined {
  if (!value) return undefined;
  const v = value.toLowerCase();
  if (v === 'warning') return 'warn';
  return (LEVELS as readonly string[]).includes(v) ? (v as Level) : undefined;
}

export function parseFormat(value: string | undefined): LogFormat | undefined {
  const v = value?.toLowerCase();
  return (LOG_FORMATS as readonly string[]).includes(v ?? '') ? (v as LogFormat) : undefined;
}

/**
 * The environment variables that set the level, first found wins: the tap's own (as Meltano SDK
 * taps read <PLUGIN>_LOGLEVEL), then the generic ones. --log-level beats them all.
 */
export const LEVEL_VARIABLES = ['TAP_BASECAMP_LOGLEVEL', 'LOG_LEVEL', 'LOGLEVEL'] as const;

export interface LevelChoice {
  level: Level;
  /** A variable set to something that is not a level: the warning to print. */
  problem?: string;
}

/** The level the environment asks for (empty variables are unset). */
export function levelFromEnv(env: NodeJS.ProcessEnv): LevelChoice {
  for (const name of LEVEL_VARIABLES) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    const level = parseLevel(raw);
    if (level) return { level };
    return { level: 'info', problem: `${name} must be one of debug, info, warn, error (got "${raw}"); using info` };
  }
  return { level: 'info' };
}
