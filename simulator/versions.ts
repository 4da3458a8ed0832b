/**
 * Basecamp 5's upload versions (a file's replacement history, GET /uploads/:id/versions.json)
 * and hill charts (a to-do set's tracked lists, GET /todosets/:id/hill.json), built from the
 * rows like every payload, with the keys in the order of the documented examples.
 *
 * An upload nothing replaced has one version, its creation, kept nowhere. A replacement (at
 * generation, or sim.create('upload_versions')) stores the whole history in the Store: a new
 * `blob_changed` version whose file becomes the upload's, the upload's updated_at moving with it.
 *
 * A hill chart is derived, never stored: its dots are the active lists of the set that it tracks
 * (one in two, by the list's seed), each at its share of completed to-dos; it changed when any
 * of those lists or their to-dos last did. Real dots are dragged by hand; this reading lets a
 * completed to-do move its project's hill chart.
 */
import { Person, Rec } from './model';
import type { Renderer } from './render';
import { active, iso, Obj } from './render-util';
import { hash32 } from './rng';
import { ID_BASE, Store } from './store';
import * as T from './text';

/** Version ids: a range of their own, a few per upload (ids stay unique across the account). */
export const VERSION_ID_BASE = 1_055_000_000;
const PER_UPLOAD = 8;
const HILL_COLORS = ['blue', 'green', 'orange', 'purple', 'red', 'yellow', 'aqua', 'pink'];

export interface UploadVersion {
  /** Its place in the history, 0 the first file. */
  k: number;
  created: number;
  creator: Person;
  action: 'created' | 'blob_changed';
  /** Seeds the file's name, type and size. */
  fileSeed: number;
}

export function versionId(upload: Rec, k: number): number {
  return VERSION_ID_BASE + (upload.id - ID_BASE.recording) * PER_UPLOAD + k;
}

/** An upload's versions, oldest first. */
export function versionsOf(st: Store, upload: Rec): UploadVersion[] {
  return st.uploadVersions.get(upload.id) ?? [{ k: 0, created: upload.created, creator: upload.creator, action: 'created', fileSeed: upload.seed }];
}

/** The seed of the upload's file now (its newest version's). */
export function currentFile(st: Store, upload: Rec): number {
  const all = versionsOf(st, upload);
  return (all[all.length - 1] as UploadVersion).fileSeed;
}

/** A new file replaces the upload's at `now`: its id. The caller moves the upload's updated_at. */
export function replaceFile(st: Store, upload: Rec, now: number, by: Person): number {
  if (upload.kind !== 'upload') throw new Error(`simulator: recording ${upload.id} is a ${upload.kind}, not an upload`);
  const all = [...versionsOf(st, upload)];
  const k = all.length;
  if (k >= PER_UPLOAD) throw new Error(`simulator: upload ${upload.id} has ${PER_UPLOAD} versions already`);
  all.push({ k, created: now, creator: by, action: 'blob_changed', fileSeed: hash32(upload.seed, 100 + k) });
  st.uploadVersions.set(upload.id, all);
  return versionId(upload, k);
}

/**
 * At generation (no draw from the generator's PRNG, so the account stays the same): one in three
 * uploads edited after their creation had their file replaced then, at the edit's time.
 */
export function bornVersions(st: Store, upload: Rec): void {
  if (upload.updated > upload.created && hash32(upload.seed, 99) % 3 === 0) replaceFile(st, upload, upload.updated, upload.creator);
}

/** An older version whose file was removed: the docs leave its `upload` out (not null). */
function fileRemoved(upload: Rec, v: UploadVersion): boolean {
  return hash32(upload.seed, 120 + v.k) % 4 === 0;
}

/** The file fields of an upload (or a version) with this file seed. */
export function fileOf(fileSeed: number): { filename: string; contentType: string; byteSize: number; h: number } {
  const [filename, contentType] = T.file(fileSeed);
  const h = hash32(fileSeed, 64);
  return { filename, contentType, byteSize: 800 + (h % 4_000_000), h };
}

/** One version as the list answers it. */
export function renderVersion(x: Renderer, upload: Rec, v: UploadVersion, current: boolean): Obj {
  const id = versionId(upload, v.k);
  const o: Obj = { id, recording_id: upload.id, action: v.action, details: {}, created_at: iso(v.created), creator: x.person(v.creator) };
  if (current || !fileRemoved(upload, v)) {
    const f = fileOf(v.fileSeed);
    const url = `${x.base}/buckets/${upload.project.id}/uploads/${upload.id}/versions/${id}/download/${encodeURIComponent(f.filename)}`;
    o.upload = { content_type: f.contentType, byte_size: f.byteSize, filename: f.filename, download_url: url, app_download_url: url, current };
  }
  return o;
}

/** The list's rows, newest first, each knowing whether it is the upload's file now. */
export function versionRows(st: Store, upload: Rec): { upload: Rec; v: UploadVersion; current: boolean }[] {
  const all = versionsOf(st, upload);
  return all.map((v, i) => ({ upload, v, current: i === all.length - 1 })).reverse();
}

/** Every version of an upload, newest first. */
export function renderVersions(x: Renderer, upload: Rec): Obj[] {
  return versionRows(x.st, upload).map((row) => renderVersion(x, row.upload, row.v, row.current));
}

/** When a list or anything in it last changed. */
function lastChange(r: Rec): number {
  let at = r.updated;
  if (r.children) for (const c of r.children) if (c.kind === 'todo' || c.kind === 'group') at = Math.max(at, lastChange(c));
  return at;
}

/** The hill chart of a to-do set. */
export function renderHill(x: Renderer, set: Rec): Obj {
  let updated = set.created;
  const dots = active(set.children, 'todolist')
    .filter((l) => hash32(l.seed, 98) % 2 === 0)
    .map((l) => {
      updated = Math.max(updated, lastChange(l));
      const [done, total] = x.ratio(l);
      const color = HILL_COLORS[hash32(l.seed, 97) % HILL_COLORS.length] as string;
      return { id: l.id, label: x.title(l), color, position: total === 0 ? 0 : Math.round((100 * done) / total), url: x.url(l), app_url: x.appUrl(l) };
    });
  return { enabled: dots.length > 0, stale: false, updated_at: iso(updated), app_update_url: `${x.appUrl(set)}/hill/edit`, dots };
}
