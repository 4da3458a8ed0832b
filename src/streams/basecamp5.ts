/**
 * What Basecamp 5 added that no list of the older API holds: items announced by the timeline
 * (Google documents, cloud files), an upload's file history, each to-do set's hill chart, the
 * account event feed, and the opt-in per-recording histories and boosts. Declared like the rest
 * (see stream.ts for each field); src/streams/index.ts lists them in catalog order.
 */
import { Bc3Stream } from '../products/bc3';
import { Json, Parents, PathsFrom } from './stream';
import { StreamName } from './names';

// ---- Basecamp 5 ------------------------------------------------------------------------------

/**
 * The account-relative show of a record of `route` (google_documents, cloud_files) that a timeline
 * event's API `url` points at, whatever the event's kind: the docs do not say which kinds announce
 * them, and nothing lists them. [] for any other event.
 */
export function announcedAt(route: string): PathsFrom {
  const at = new RegExp(`/${route}/(\\d+)\\.json$`);
  return (event: Json) => {
    const m = typeof event.url === 'string' ? at.exec(event.url) : null;
    return m ? [`/${route}/${m[1]}.json`] : [];
  };
}

/**
 * A vault item linking to an external service, which no list holds: read from the timeline events
 * that announce it (each new event once) and again when a new or changed comment names it as its
 * parent (src/sync/parents.ts). One edited without a new comment is not seen (see README).
 */
abstract class AnnouncedItem extends Bc3Stream {
  readonly replicationKey = 'updated_at' as const;
  readonly singleObject = true;
  readonly oncePerRun = true;
  readonly readWhenParentWritten = true;
}

export class GoogleDocuments extends AnnouncedItem {
  readonly name = 'google_documents';
  readonly recordTypes = ['GoogleDocument'];
  readonly parents: Parents = { timeline_events: announcedAt('google_documents') };
}

export class CloudFiles extends AnnouncedItem {
  readonly name = 'cloud_files';
  readonly recordTypes = ['CloudFile'];
  readonly parents: Parents = { timeline_events: announcedAt('cloud_files') };
}

export class UploadVersions extends Bc3Stream {
  readonly name = 'upload_versions';
  // A file replaced moves its upload's updated_at: the history is read again only then. Items
  // carry `recording_id` (the upload) and no time of their own that moves: an older version's
  // `upload.current` flips when a newer file replaces it, so every version is written again.
  readonly readWhenParentWritten = true;
  readonly parents: Parents = { uploads: (u: Json) => [`/uploads/${u.id}/versions.json`] };
}

export class HillCharts extends Bc3Stream {
  readonly name = 'hill_charts';
  // One chart a to-do set; the payload names neither the set nor an id of its own.
  readonly keyProperties = ['todoset_id'];
  readonly parentIdAs = 'todoset_id';
  readonly singleObject = true;
  readonly parents: Parents = { todosets: (t: Json) => [`/todosets/${t.id}/hill.json`] };
  // Its dots follow its lists' to-dos, which move the set's counts, not its updated_at.
  readonly readWithCountedParent = true;
}

export class Events extends Bc3Stream {
  readonly name = 'events';
  readonly projectScoped = false;
  // Declared for the catalog (the events' own time); what a run reads on from is the feed's
  // position, kept with its change hints (src/products/bc3-events.ts), not a cursor.
  readonly replicationKey = 'created_at' as const;
  // Read by the change feed's reader at the run's start, never by a job of the engine.
  readonly fromFeed = true;
}

// ---- opt-in: one request per recording -----------------------------------------------------

/** The recording streams whose records' own histories and boosts are read (each record one request). */
export const HISTORY_CARRIERS: StreamName[] = [
  'messages',
  'todolists',
  'todolist_groups',
  'todos',
  'schedule_entries',
  'documents',
  'uploads',
  'questions',
  'question_answers',
  'card_table_cards',
  'comments',
];

/** The same path below every recording stream of HISTORY_CARRIERS. */
function belowRecordings(paths: PathsFrom): Parents {
  return Object.fromEntries(HISTORY_CARRIERS.map((p) => [p, paths]));
}

export class RecordingEvents extends Bc3Stream {
  readonly name = 'recording_events';
  readonly optIn = true;
  // Events are appended, never edited: an incremental run writes only those created since the
  // last. Read again only below a recording written this run: every event moves its updated_at.
  readonly replicationKey = 'created_at' as const;
  readonly readWhenParentWritten = true;
  readonly parentIdAs = 'recording_id';
  readonly parents: Parents = belowRecordings((r: Json) => [`/recordings/${r.id}/events.json`]);
}

export class Boosts extends Bc3Stream {
  readonly name = 'boosts';
  readonly optIn = true;
  // A boost has no updated_at: a boosted recording's boosts are all written again when it is.
  readonly readWhenParentWritten = true;
  readonly parentIdAs = 'recording_id';
  readonly parents: Parents = belowRecordings((r: Json) =>
    typeof r.boosts_count === 'number' && r.boosts_count > 0 ? [`/recordings/${r.id}/boosts.json`] : [],
  );
}
