/**
 * The simulator's readings: how it answers where Basecamp's docs leave a behaviour open. Each
 * switch picks one reading; the tap's tests run under each.
 */
import type { LinkedItemEvents } from './linked';

/**
 * Readings of behaviour the docs leave open; each switch picks one, and the tap must be right
 * under both.
 */
export interface Readings {
  /** /projects/recordings.json?type=Todolist lists to-do list groups too (they are Todolists). */
  groupsInRecordings: boolean;
  /** /projects/recordings.json?type=Vault lists each project's root vault (a Vault without parent). */
  rootVaultsInRecordings: boolean;
  /** /chats.json lists the campfires of archived projects as well as active ones. */
  chatsListArchived: boolean;
  /** A change to a to-do or group touches the to-do list(s) above it (their updated_at moves). */
  changesTouchList: boolean;
  /** Adding a person to a project or removing one moves the project's updated_at. */
  membershipTouchesProject: boolean;
  /** Adding a person to a project or removing one records a project_access_changed timeline event. */
  membershipInTimeline: boolean;
  /** A new (or changed) campfire line moves its campfire's updated_at. */
  linesTouchCampfire: boolean;
  /**
   * A change inside a project (a record created, edited, archived or trashed) moves the project's
   * updated_at. The docs do not say; false leaves the project's own edits as the only thing that does.
   */
  changesTouchProject: boolean;
  /**
   * How many ms after a change Basecamp stamps the project and the to-do lists it touches (a touch
   * is a second write in the same save; the docs do not say it shares the change's time). Kept
   * under the simulator's second between changes.
   */
  touchLagMs: number;
  /**
   * Whether the account serves Basecamp 5's event feed (/events.json): 'served', or refused
   * with 403 ('forbidden') or 404 ('missing'), as an account on an older Basecamp would.
   */
  eventFeed: 'served' | 'forbidden' | 'missing';
  /**
   * /projects/recordings.json?type=Door&bucket=ID serves an archived project's links too (the
   * docs: "bucket scopes to projects and then also covers archived ones"); false answers 404 for
   * an archived project there, as for every other type.
   */
  doorsBucketCoversArchived: boolean;
  /**
   * Which timeline event kinds announce a new Google document or cloud file: their own
   * (google_document_created, cloud_file_created) or those of the documents and uploads beside
   * them (document_created, upload_created). Either way the event's `url` is the item's.
   */
  linkedItemEvents: LinkedItemEvents;
}
export const DEFAULT_READINGS: Readings = {
  groupsInRecordings: false,
  rootVaultsInRecordings: true,
  chatsListArchived: false,
  changesTouchList: true,
  membershipTouchesProject: true,
  membershipInTimeline: true,
  linesTouchCampfire: false,
  changesTouchProject: true,
  touchLagMs: 0,
  eventFeed: 'served',
  doorsBucketCoversArchived: true,
  linkedItemEvents: 'own',
};
