/** Small pure pieces of the bc3 payloads: dates, sgids, hours, excerpts and child counts. */
import { Rec } from './model';
import { hash32, hexDigest } from './rng';

export type Obj = Record<string, unknown>;

/**
 * Ids of files embedded in rich text, in ranges of their own: an embedding recording's first file
 * in one, its second (where it has two) in the other.
 */
export const ATTACHMENT_ID_BASE = 1_046_000_000;
export const SECOND_ATTACHMENT_ID_BASE = 1_010_000_000;
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

/** One file embedded in rich text, key for key as the docs' content_attachments items (GET_comments.json). */
function embeddedFile(id: number, h: number, base: string): Obj {
  const sg = sgid('Attachment', id, 'attachable');
  const key = hexDigest(id);
  const filename = `screenshot-${1 + (h % 40)}.png`;
  const blob = `${base}/blobs/${key}`;
  return {
    id,
    attachable_sgid: sg,
    sgid: sg,
    status_url: `${base}/attachments/${sg}.json`,
    caption: null,
    byte_size: 2_000 + (h % 500_000),
    content_type: 'image/png',
    width: 320 + (h % 1280),
    height: 240 + ((h >>> 12) % 960),
    key,
    filename,
    download_url: `${blob}/download/${filename}`,
    previewable: true,
    preview_url: `${blob}/previews/full`,
    thumbnail_url: `${blob}/previews/card`,
  };
}

/**
 * The files a recording's rich text embeds: none for five in six, else one, or two for a third
 * of those (the docs' message example embeds two). `offset`: the recording's id less the base.
 */
export function embeddedFiles(seed: number, offset: number, base: string): Obj[] {
  if (hash32(seed, 121) % 6 !== 0) return [];
  const files = [embeddedFile(ATTACHMENT_ID_BASE + offset, hash32(seed, 122), base)];
  if (hash32(seed, 125) % 3 === 0) files.push(embeddedFile(SECOND_ATTACHMENT_ID_BASE + offset, hash32(seed, 126), base));
  return files;
}
