/** Small pure pieces of the bc3 payloads: dates, sgids, hours, excerpts and child counts. */
import { Rec } from './model';
import { hexDigest } from './rng';

export type Obj = Record<string, unknown>;

/** Ids of files embedded in rich text: one per embedding recording, in a range of their own. */
export const ATTACHMENT_ID_BASE = 1_046_000_000;
export const DAY = 86_400_000;
export const TODO_COLORS = ['white', 'red', 'orange', 'yellow', 'green', 'blue', 'aqua', 'purple', 'gray', 'pink', 'brown'];
export const COLUMN_COLORS = ['purple', 'orange', 'blue', 'green', 'red', 'yellow'];

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}
export function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
export function b64(s: string): string {
  return Buffer.from(s).toString('base64');
}
/** A signed global id in the style of Basecamp's bookmark and attachable sgids. */
export function sgid(model: string, id: number, purpose: string): string {
  return `${b64(`{"_rails":{"data":"gid://bc3/${model}/${id}","purpose":"${purpose}"}}`)}--${hexDigest(id)}`;
}
/** Hours as Basecamp writes them: a decimal string such as "2.0" or "0.25". */
export function hours(quarters: number): string {
  const h = quarters / 4;
  return Number.isInteger(h) ? h.toFixed(1) : String(h);
}
export function excerpt(html: string): string {
  const t = html
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return t.length > 100 ? `${t.slice(0, 99)}…` : t;
}
export function active(children: Rec[] | null, kind: string): Rec[] {
  const out: Rec[] = [];
  if (children) for (const c of children) if (c.kind === kind && c.status === 'active') out.push(c);
  return out;
}
export function countActive(children: Rec[] | null, kind: string): number {
  let n = 0;
  if (children) for (const c of children) if (c.kind === kind && c.status === 'active') n++;
  return n;
}
