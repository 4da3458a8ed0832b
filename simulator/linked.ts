/**
 * Google documents and cloud files: vault items no list holds, announced by timeline events
 * that carry their API `url`. Which event kinds announce them the docs do not say; the reading
 * `linkedItemEvents` picks one: their own kinds, or the kinds of the documents and uploads they
 * sit among.
 */
import { Kind, Rec, TimelineEvent } from './model';
import type { Store } from './store';

export type LinkedKind = 'google_document' | 'cloud_file';
export const LINKED_KINDS: readonly LinkedKind[] = ['google_document', 'cloud_file'];
/** Stream name -> kind. */
export const LINKED_STREAMS: Readonly<Record<string, LinkedKind>> = { google_documents: 'google_document', cloud_files: 'cloud_file' };

export type LinkedItemEvents = 'own' | 'generic';
const EVENT_KIND: Record<LinkedItemEvents, Record<LinkedKind, string>> = {
  own: { google_document: 'google_document_created', cloud_file: 'cloud_file_created' },
  generic: { google_document: 'document_created', cloud_file: 'upload_created' },
};

export function isLinked(kind: Kind): kind is LinkedKind {
  return (LINKED_KINDS as readonly Kind[]).includes(kind);
}

/** The timeline event that announces a new Google document or cloud file (its id handed out later when `id` is 0). */
export function announce(st: Store, r: Rec, reading: LinkedItemEvents, id = st.id('event')): void {
  if (!isLinked(r.kind)) return;
  st.addEvent(new TimelineEvent(id, r.project, EVENT_KIND[reading][r.kind], r.created, r.creator, r, null));
}

type Where = { projectId?: number; parentId?: number };
/** `create` that also announces a new Google document or cloud file, known only through its timeline event. */
export function announcing(create: (stream: string, where: Where) => number, st: Store, reading: LinkedItemEvents): (stream: string, where: Where) => number {
  return (stream, where) => {
    const id = create(stream, where);
    const r = stream in LINKED_STREAMS ? st.rec(id) : undefined;
    if (r) announce(st, r, reading);
    return id;
  };
}

/** What a generated account's announcements say under `reading` (the generator writes their own kinds). */
export function applyReading(st: Store, reading: LinkedItemEvents): void {
  if (reading === 'own') return;
  for (const e of st.events) if (e.target && isLinked(e.target.kind)) e.kind = EVENT_KIND[reading][e.target.kind];
}

/** The records of a kind some timeline event of a live project announces: what the tap can find. */
export function announced(st: Store, kind: LinkedKind): Rec[] {
  const found = new Set<Rec>();
  for (const e of st.events) if (e.project.status !== 'trashed' && e.target?.kind === kind) found.add(e.target);
  return [...found];
}
