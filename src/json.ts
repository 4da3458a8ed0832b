/**
 * JSON bodies as the API sends them, with one guard. JSON.parse reads every number as a double,
 * so an integer above 2^53 - 1 comes back rounded (9007199254740993 as 9007199254740992) and
 * would be written as another record's id, next to a `url` that still names the real one. Such
 * an answer is refused, naming the field and the digits as sent. (Basecamp's ids are far below
 * that today; the guard is for the day they are not.)
 *
 * Integer literals only: ids are written so, and loaders read them exactly (Python's json gives
 * an int of any size). A number written with a fraction or an exponent is a double to every
 * JSON reader, so it is passed on as JSON.parse reads it.
 *
 * The common path pays one scan of the text for a number of 16 digits or more: no integer of 15
 * digits or fewer can be unsafe. Only a body with one is looked at further, first cheaply (do the
 * parsed numbers hold an unsafe integer at all, or were the digits inside strings?), and only
 * then with lossless-json, which keeps each number's digits, to name where it was.
 */
import { isInteger, isSafeNumber, parse as parseLossless } from 'lossless-json';

/** A body held an integer the tap cannot write exactly. */
export class UnsafeInteger extends Error {
  constructor(
    /** Where it was in the body, as `[3].bucket.id` (a list's item 3), or `id`. */
    readonly field: string,
    /** The digits as sent. */
    readonly value: string,
  ) {
    super(`${field} = ${value} is above 2^53 - 1`);
    this.name = 'UnsafeInteger';
  }
}

/**
 * A number of 16 digits or more. JSON puts a value after `:`, `[` or `,` (or at the start), with
 * whitespace between, a minus sign before; so every such number token has one of those
 * characters, or whitespace, or `-`, just before its first 16 digits. Some strings match too
 * (`"at 1234567890123456"`): the second look lets them through. Written out as 16 `\d` rather
 * than `\d{16}`, the pattern has a fixed length, which V8 scans with a skip-ahead search: about
 * a tenth of JSON.parse's time on a page (scripts/bench/parse-json.ts), where `\d{16}` takes more
 * than JSON.parse itself, retrying inside every run of digits (ids, timestamps).
 */
const LONG_NUMBER = new RegExp(`[-:[,\\s]${'\\d'.repeat(16)}`);
const LONG_NUMBER_FIRST = /^\d{16}/;

/** Whether the text may hold an integer above 2^53 - 1: the one check every body pays. */
export function mayHoldUnsafeInteger(text: string): boolean {
  return LONG_NUMBER.test(text) || LONG_NUMBER_FIRST.test(text);
}

/** JSON.parse, refusing a body with an integer outside Number's exact range (UnsafeInteger). */
export function parseApiJson(text: string): unknown {
  const value: unknown = JSON.parse(text);
  if (!mayHoldUnsafeInteger(text) || !holdsUnsafeInteger(value)) return value;
  const unsafe = firstUnsafeInteger(text);
  if (unsafe) throw unsafe;
  return value; // a double such as 1e300 or 12345678901234567.5: not an integer literal
}

/** Whether a parsed value holds a number that is integral but outside the safe range. */
function holdsUnsafeInteger(node: unknown): boolean {
  if (typeof node === 'number') return node > Number.MAX_SAFE_INTEGER || node < Number.MIN_SAFE_INTEGER;
  if (node === null || typeof node !== 'object') return false;
  if (Array.isArray(node)) return node.some(holdsUnsafeInteger);
  for (const key in node) if (holdsUnsafeInteger((node as Record<string, unknown>)[key])) return true;
  return false;
}

/** The digits of an integer literal that does not fit, kept by the lossless parse. */
class Digits {
  constructor(readonly text: string) {}
}

/** The first integer literal of the text above 2^53 - 1 (or below its negative), with its place. */
export function firstUnsafeInteger(text: string): UnsafeInteger | undefined {
  const tree = parseLossless(text, null, (literal) => (isInteger(literal) && !isSafeNumber(literal) ? new Digits(literal) : 0));
  return findDigits(tree, '');
}

function findDigits(node: unknown, path: string): UnsafeInteger | undefined {
  if (node instanceof Digits) return new UnsafeInteger(path || 'the body', node.text);
  if (node === null || typeof node !== 'object') return undefined;
  const entries: Array<[string, unknown]> = Array.isArray(node)
    ? node.map((v, i) => [`${path}[${i}]`, v])
    : Object.entries(node).map(([k, v]) => [path ? `${path}.${k}` : k, v]);
  for (const [at, value] of entries) {
    const found = findDigits(value, at);
    if (found) return found;
  }
  return undefined;
}
