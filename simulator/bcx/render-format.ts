/** How the Basecamp 2 account's payloads write times (at -05:00), days, slugs, edits and HTML. */
import { OFFSET_MS, sec } from './generate';

/** `2012-03-23T13:55:43-05:00`, or with `.000` milliseconds where the docs' example of the record shows them. */
export function ts(ms: number, millis = false): string {
  const s = new Date(sec(ms) - OFFSET_MS).toISOString();
  return `${millis ? s.slice(0, 23) : s.slice(0, 19)}-05:00`;
}
/** `2012-03-23`: the local (-05:00) day. */
export function day(ms: number): string {
  return new Date(ms - OFFSET_MS).toISOString().slice(0, 10);
}
/** The slug of an id-slug (`149087659-jason-fried`). */
export function slug(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}
export function edited(s: string, rev: number): string {
  return rev > 0 ? `${s} (edit ${rev})` : s;
}
export function plain(html: string): string {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
