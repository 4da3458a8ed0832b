import { redact } from './errors';

/**
 * Logging goes to stderr only: stdout is reserved for Singer messages. Lines are plain text,
 * `<ISO time> <LEVEL> <message>`, plus Singer metric lines `METRIC: {...}`.
 */
export const LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type Level = (typeof LEVELS)[number];

export class Logger {
  private threshold: number;

  constructor(level: Level = 'info', private readonly sink: (line: string) => void = (l) => process.stderr.write(l)) {
    this.threshold = LEVELS.indexOf(level);
  }

  setLevel(level: Level): void {
    this.threshold = LEVELS.indexOf(level);
  }

  enabled(level: Level): boolean {
    return LEVELS.indexOf(level) >= this.threshold;
  }

  debug(message: string): void {
    this.write('debug', message);
  }
  info(message: string): void {
    this.write('info', message);
  }
  warn(message: string): void {
    this.write('warn', message);
  }
  error(message: string): void {
    this.write('error', message);
  }

  /** A Singer metric line (https://github.com/singer-io/getting-started/blob/master/docs/SYNC_MODE.md#metric-messages). */
  metric(level: Level, type: 'timer' | 'counter', metric: string, value: number, tags: Record<string, unknown>): void {
    if (!this.enabled(level)) return;
    this.sink(redact(`METRIC: ${JSON.stringify({ type, metric, value, tags })}`) + '\n');
  }

  private write(level: Level, message: string): void {
    if (!this.enabled(level)) return;
    const oneLine = message.replace(/\s*\n\s*/g, ' ');
    this.sink(`${new Date().toISOString()} ${level.toUpperCase()} ${redact(oneLine)}\n`);
  }
}

export function parseLevel(value: string | undefined): Level | undefined {
  if (!value) return undefined;
  const v = value.toLowerCase();
  if (v === 'warning') return 'warn';
  return (LEVELS as readonly string[]).includes(v) ? (v as Level) : undefined;
}
