/**
 * Strict JSON Schema validation for the tap's stream schemas.
 *
 * `date-time` and `date` are checked as strictly as target-postgres parses them:
 * - date-time: a full RFC 3339 timestamp, `YYYY-MM-DDTHH:MM:SS[.fraction]` followed by `Z` or a
 *   `+HH:MM` / `-HH:MM` offset. No missing time zone, no bare date, no empty string.
 * - date: exactly `YYYY-MM-DD` (a full timestamp fails), and a real calendar day.
 */
import * as fs from 'fs';
import * as path from 'path';
import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

const SCHEMAS_DIR = path.join(__dirname, '../../schemas');

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME_RE = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function isCalendarDay(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** `YYYY-MM-DD`, nothing more, and a day that exists. */
export function isStrictDate(value: string): boolean {
  const m = DATE_RE.exec(value);
  if (!m) return false;
  return isCalendarDay(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** Full RFC 3339 timestamp with a time zone (`Z` or `±HH:MM`). */
export function isStrictDateTime(value: string): boolean {
  const m = DATE_TIME_RE.exec(value);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  if (!isCalendarDay(year, month, day)) return false;
  if (hour > 23 || minute > 59 || second > 60) return false;
  if (m[7] !== undefined) {
    const offsetHours = Number(m[8]);
    const offsetMinutes = Number(m[9]);
    if (offsetHours > 23 || offsetMinutes > 59) return false;
  }
  return true;
}

/** ajv 8 + ajv-formats with strict `date-time` and `date` formats. */
export function makeStrictAjv(): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  // Replace the ajv-formats versions (which accept a space separator, "+0100" offsets, ...).
  ajv.addFormat('date-time', { type: 'string', validate: isStrictDateTime });
  ajv.addFormat('date', { type: 'string', validate: isStrictDate });
  return ajv;
}

/** Parsed /schemas/<stream>.json. */
export function loadStreamSchema(stream: string): object {
  const file = path.join(SCHEMAS_DIR, `${stream}.json`);
  return JSON.parse(fs.readFileSync(file, 'utf8')) as object;
}

let sharedAjv: Ajv | undefined;
const validators = new Map<string, ValidateFunction>();

/** Compiled validator for a stream's schema (compiled once, then cached). */
export function validatorFor(stream: string): ValidateFunction {
  let validate = validators.get(stream);
  if (!validate) {
    if (!sharedAjv) sharedAjv = makeStrictAjv();
    validate = sharedAjv.compile(loadStreamSchema(stream));
    validators.set(stream, validate);
  }
  return validate;
}

/** Keys anywhere in a JSON value that the schema does not declare (array items through `items`), as paths. */
export function undeclaredFields(schema: Record<string, unknown>, value: unknown, where: string, out: string[]): void {
  if (Array.isArray(value)) {
    const items = schema.items as Record<string, unknown> | undefined;
    if (!items) {
      if (value.length > 0) out.push(`${where}[] (array items not described)`);
      return;
    }
    value.forEach((v) => undeclaredFields(items, v, `${where}[]`, out));
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const props = schema.properties as Record<string, Record<string, unknown>> | undefined;
  for (const [key, v] of Object.entries(value)) {
    if (!props || !(key in props)) {
      out.push(`${where}.${key}`);
      continue;
    }
    undeclaredFields(props[key]!, v, `${where}.${key}`, out);
  }
}
