/** Basecamp 2's clock: whole seconds, and the account's time zone (-05:00). */
export const DAY = 86_400_000;
export const HOUR = 3_600_000;
/** The account's time zone: every timestamp renders at -05:00. */
export const OFFSET_MS = 5 * HOUR;

/** Whole seconds: Basecamp 2 stores timestamps to the second (hence the `.000` where milliseconds show). */
export function sec(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}
/** Midnight (-05:00) of the local day holding `ms`. */
export function localMidnight(ms: number): number {
  const local = ms - OFFSET_MS;
  return local - (((local % DAY) + DAY) % DAY) + OFFSET_MS;
}
