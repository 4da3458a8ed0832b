/**
 * Every stream the tap extracts. Each is a handful of declarative fields over the shared
 * engine; see stream.ts for what each field means. Parent links form the tree the engine
 * walks: projects -> their dock tools -> the tools' contents.
 */
import { Bc3Stream } from '../products/bc3';
import { attachmentsOf } from '../sync/attachments';
import { ALL_STATUSES, Json, Parents, PathsFrom, Stream, dock, dockPaths, unlessEmpty } from './stream';
import { STREAM_NAMES, StreamName } from './names';
import { Boosts, CloudFiles, Events, GoogleDocuments, HillCharts, RecordingEvents, UploadVersions } from './basecamp5';

export { HISTORY_CARRIERS, announcedAt } from './basecamp5';

/** Children are read for active and archived projects; a trashed project yields only itself. */
function live(paths: (project: Json) => string[]): PathsFrom {
  return (project) => (project.status === 'trashed' ? [] : paths(project));
}
/** Only archived projects: active ones are covered by an account-wide endpoint. */
function archivedOnly(paths: PathsFrom): PathsFrom {
  return (project) => (project.status === 'archived' ? paths(project) : []);
}
/** An archived project's comments, read per commentable recording that counts any. */
const commentsOf = unlessEmpty('comments_count', (r) =>
  r.comments_count === undefined && r.comments_url === undefined ? [] : [`/recordings/${r.id}/comments.json`],
);

// ---- account level -------------------------------------------------------------------------

export class Account extends Bc3Stream {
  readonly name = 'account';
  readonly projectScoped = false;
  readonly singleObject = true;
  readonly rootPaths = ['/account.json'];
}

export class Projects extends Bc3Stream {
  readonly name = 'projects';
  readonly projectScoped = false;
  readonly replicationKey = 'updated_at' as const;
  // Basecamp lists active projects unless asked for another status.
  readonly rootPaths = ['/projects.json', '/projects.json?status=archived', '/projects.json?status=trashed'];
  readonly opensProject = true;
  readonly rememberSubtrees = true;
}

export class People extends Bc3Stream {
  readonly name = 'people';
  readonly projectScoped = false;
  readonly replicationKey = 'updated_at' as const;
  readonly rootPaths = ['/people.json'];
}

export class Templates extends Bc3Stream {
  readonly name = 'templates';
  readonly projectScoped = false;
  readonly replicationKey = 'updated_at' as const;
  readonly rootPaths = ['/templates.json', '/templates.json?status=archived', '/templates.json?status=trashed'];
}

export class LineupMarkers extends Bc3Stream {
  readonly name = 'lineup_markers';
  readonly projectScoped = false;
  readonly rootPaths = ['/lineup/markers.json'];
}

export class TimelineEvents extends Bc3Stream {
  readonly name = 'timeline_events';
  readonly projectScoped = false;
  readonly replicationKey = 'created_at' as const;
  readonly newestFirst = true;
  readonly rootPaths = ['/reports/progress.json'];
}

export class Campfires extends Bc3Stream {
  readonly name = 'campfires';
  // /chats.json lists the campfires of active projects; an archived project's is read from its
  // dock. Should /chats.json list archived projects' campfires too, each is still written once,
  // and its lines keep one cursor however it is reached (see JobFacts.cursorPerParent).
  readonly rootPaths = ['/chats.json'];
  readonly oncePerRun = true;
  readonly parents: Parents = { projects: archivedOnly((p) => dock(p, 'chat').map((t) => `/chats/${t.id}.json`)) };
}

export class CampfireLines extends Bc3Stream {
  readonly name = 'campfire_lines';
  readonly replicationKey = 'created_at' as const;
  readonly newestFirst = true;
  readonly cursorPerParent = true;
  readonly followsProject = true;
  readonly parents: Parents = { campfires: (c: Json) => [`/chats/${c.id}/lines.json?sort=created_at&direction=desc`] };
}

// ---- project level -------------------------------------------------------------------------

export class ProjectPeople extends Bc3Stream {
  readonly name = 'project_people';
  // A person's edits do not touch the projects they belong to: read memberships every run.
  readonly changesTouchProject = false;
  readonly signalledBy = {
    people: () => true as const,
    timeline_events: (e: Json) => (e.kind === 'project_access_changed' ? (e.bucket?.id as number | undefined) : undefined),
  };
  readonly keyProperties = ['project_id', 'person_id'];
  readonly parents: Parents = { projects: live((p) => [`/projects/${p.id}/people.json`]) };
  decorate(record: Json): void {
    record.person_id = record.id;
  }
}

export class TimesheetEntries extends Bc3Stream {
  readonly name = 'timesheet_entries';
  readonly parents: Parents = { projects: live((p) => (p.timesheet_enabled ? [`/projects/${p.id}/timesheet.json`] : [])) };
}

export class GaugeNeedles extends Bc3Stream {
  readonly name = 'gauge_needles';
  readonly parents: Parents = { projects: live((p) => [`/projects/${p.id}/gauge/needles.json`]) };
}

export class MessageTypes extends Bc3Stream {
  readonly name = 'message_types';
  readonly keyProperties = ['project_id', 'id'];
  readonly parents: Parents = { projects: live((p) => [`/buckets/${p.id}/categories.json`]) };
}

export class ClientApprovals extends Bc3Stream {
  readonly name = 'client_approvals';
  readonly parents: Parents = { projects: live((p) => (p.clientside ? [`/buckets/${p.id}/client/approvals.json`] : [])) };
}

export class ClientCorrespondences extends Bc3Stream {
  readonly name = 'client_correspondences';
  readonly parents: Parents = { projects: live((p) => (p.clientside ? [`/buckets/${p.id}/client/correspondences.json`] : [])) };
}

const clientReplies = unlessEmpty('replies_count', (r) => [`/buckets/${r.bucket.id}/client/recordings/${r.id}/replies.json`]);
export class ClientReplies extends Bc3Stream {
  readonly name = 'client_replies';
  readonly parents: Parents = { client_approvals: clientReplies, client_correspondences: clientReplies };
}

// ---- message board -------------------------------------------------------------------------

export class MessageBoards extends Bc3Stream {
  readonly name = 'message_boards';
  readonly recordTypes = ['Message::Board'];
  readonly parents: Parents = { projects: live(dockPaths('message_board', 'message_boards')) };
}

export class Messages extends Bc3Stream {
  readonly name = 'messages';
  readonly recordingType = 'Message';
  readonly replicationKey = 'updated_at' as const;
  readonly parents: Parents = { message_boards: unlessEmpty('messages_count', (b) => [`/message_boards/${b.id}/messages.json`]) };
}

// ---- to-dos ----------------------------------------------------------------------------------

export class Todosets extends Bc3Stream {
  readonly name = 'todosets';
  readonly recordTypes = ['Todoset'];
  readonly parents: Parents = { projects: live(dockPaths('todoset', 'todosets')) };
}

export class Todolists extends Bc3Stream {
  readonly name = 'todolists';
  readonly recordingType = 'Todolist';
  readonly replicationKey = 'updated_at' as const;
  readonly variants = ALL_STATUSES;
  readonly parents: Parents = { todosets: (t: Json) => [`/todosets/${t.id}/todolists.json`] };
  // The walk stops at its bookmark where reads follow signals: an unchanged list's groups are
  // reached from its to-do set in the project's turn.
  readonly readInTurnBelow = 'todosets' as const;
  // Every run reads every list's groups (a full-table stream): a resumed run skips lists done.
  readonly rememberSubtrees = true;
}

export class TodolistGroups extends Bc3Stream {
  readonly name = 'todolist_groups';
  readonly variants = ALL_STATUSES;
  readonly parents: Parents = { todolists: (l: Json) => [`/todolists/${l.id}/groups.json`] };
  // A group is a Todolist recording whose parent is a to-do list: the Todolist walk may list it.
  readonly alsoInWalk = { walk: 'todolists' as const, is: (r: Json) => r.parent?.type === 'Todolist', from: 'todolists' as const };
  // Basecamp moves a list for each to-do changed in it: the to-dos the walk shows account for that.
  readonly readUnlessChildMoved = true;
}

const todosOf: PathsFrom = (l) => [`/todolists/${l.id}/todos.json`];
export class Todos extends Bc3Stream {
  readonly name = 'todos';
  readonly recordingType = 'Todo';
  readonly replicationKey = 'updated_at' as const;
  // A to-do list answers active, not-completed to-dos unless asked for the others.
  readonly variants = ['', 'completed=true', 'status=archived', 'status=trashed'];
  readonly parents: Parents = { todolists: todosOf, todolist_groups: todosOf };
}

// ---- schedule ----------------------------------------------------------------------------------

export class Schedules extends Bc3Stream {
  readonly name = 'schedules';
  readonly recordTypes = ['Schedule'];
  readonly parents: Parents = { projects: live(dockPaths('schedule', 'schedules')) };
}

export class ScheduleEntries extends Bc3Stream {
  readonly name = 'schedule_entries';
  readonly recordingType = 'Schedule::Entry';
  readonly replicationKey = 'updated_at' as const;
  readonly variants = ALL_STATUSES;
  readonly parents: Parents = { schedules: (s: Json) => [`/schedules/${s.id}/entries.json`] };
}

// ---- docs & files --------------------------------------------------------------------------

/** What a vault holds, read per vault; a vault counts what it holds, so an empty kind costs no request. */
function vaultContents(kind: string): Parents {
  return { vaults: unlessEmpty(`${kind}_count`, (v) => [`/vaults/${v.id}/${kind}.json`]) };
}

export class Vaults extends Bc3Stream {
  readonly name = 'vaults';
  readonly recordingType = 'Vault';
  readonly replicationKey = 'updated_at' as const;
  // The dock's root vault is a Vault recording like its folders (it has no parent).
  readonly parents: Parents = { projects: live(dockPaths('vault', 'vaults')), ...vaultContents('vaults') };
  readonly alsoInWalk = { walk: 'vaults' as const, is: (r: Json) => r.parent === undefined || r.parent === null, from: 'projects' as const };
}

export class Documents extends Bc3Stream {
  readonly name = 'documents';
  readonly recordingType = 'Document';
  readonly replicationKey = 'updated_at' as const;
  readonly parents = vaultContents('documents');
}

export class Uploads extends Bc3Stream {
  readonly name = 'uploads';
  readonly recordingType = 'Upload';
  readonly replicationKey = 'updated_at' as const;
  readonly parents = vaultContents('uploads');
}

// ---- check-ins ---------------------------------------------------------------------------------

export class Questionnaires extends Bc3Stream {
  readonly name = 'questionnaires';
  readonly recordTypes = ['Questionnaire'];
  readonly parents: Parents = { projects: live(dockPaths('questionnaire', 'questionnaires')) };
}

export class Questions extends Bc3Stream {
  readonly name = 'questions';
  readonly recordTypes = ['Question'];
  readonly parents: Parents = { questionnaires: unlessEmpty('questions_count', (q) => [`/questionnaires/${q.id}/questions.json`]) };
}

export class QuestionAnswers extends Bc3Stream {
  readonly name = 'question_answers';
  readonly recordingType = 'Question::Answer';
  readonly replicationKey = 'updated_at' as const;
  readonly parents: Parents = { questions: unlessEmpty('answers_count', (q) => [`/questions/${q.id}/answers.json`]) };
}

// ---- email forwards --------------------------------------------------------------------------

export class Inboxes extends Bc3Stream {
  readonly name = 'inboxes';
  readonly parents: Parents = { projects: live(dockPaths('inbox', 'inboxes')) };
}

export class InboxForwards extends Bc3Stream {
  readonly name = 'inbox_forwards';
  readonly parents: Parents = { inboxes: unlessEmpty('forwards_count', (i) => [`/inboxes/${i.id}/inbox_forwards.json`]) };
}

export class InboxReplies extends Bc3Stream {
  readonly name = 'inbox_replies';
  readonly parents: Parents = { inbox_forwards: unlessEmpty('replies_count', (f) => [`/inbox_forwards/${f.id}/replies.json`]) };
}

// ---- card tables -----------------------------------------------------------------------------

export class CardTables extends Bc3Stream {
  readonly name = 'card_tables';
  readonly recordTypes = ['Kanban::Board'];
  readonly parents: Parents = { projects: live(dockPaths('kanban_board', 'card_tables')) };
}

export class CardTableColumns extends Bc3Stream {
  readonly name = 'card_table_columns';
  readonly recordTypes = ['Kanban::Triage', 'Kanban::Column', 'Kanban::NotNowColumn', 'Kanban::DoneColumn'];
  readonly embeddedIn = [{ stream: 'card_tables' as const, field: 'lists' }];
}

export class CardTableCards extends Bc3Stream {
  readonly name = 'card_table_cards';
  readonly recordingType = 'Kanban::Card';
  readonly replicationKey = 'updated_at' as const;
  readonly parents: Parents = { card_table_columns: unlessEmpty('cards_count', (c) => [`/card_tables/lists/${c.id}/cards.json`]) };
  // Card lists carry steps since the Basecamp 5 docs; before, only the card itself did.
  readonly incompleteWithout = { field: 'steps', show: (card: Json) => `/card_tables/cards/${card.id}.json` };
}

/**
 * A card's steps. The Kanban::Step walk lists to-do steps too (a step whose parent is a Todo):
 * those belong to todo_steps.
 */
export class CardTableSteps extends Bc3Stream {
  readonly name = 'card_table_steps';
  readonly recordingType = 'Kanban::Step';
  readonly replicationKey = 'updated_at' as const;
  readonly embeddedIn = [{ stream: 'card_table_cards' as const, field: 'steps' }];
}

/**
 * A to-do's steps (subtasks): in active projects, the Kanban::Step walk's records whose parent is
 * a Todo; in an archived project, the `steps` of each to-do its walk reads.
 */
export class TodoSteps extends Bc3Stream {
  readonly name = 'todo_steps';
  readonly replicationKey = 'updated_at' as const;
  readonly embeddedIn = [{ stream: 'todos' as const, field: 'steps' }];
  readonly alsoInWalk = { walk: 'card_table_steps' as const, is: (r: Json) => r.parent?.type === 'Todo' };
}

// ---- external links ------------------------------------------------------------------------

/**
 * The Door walk scoped to one archived project, newest first, in each status. Whether `bucket`
 * may name an archived project the docs leave open ("bucket scopes to projects and then also
 * covers archived ones" in one place, "all active projects" by default in another): where it may
 * not, Basecamp answers 404 and the project's links are not read (Stream.notFoundIsEmpty).
 */
const doorsOf = archivedOnly((p) => [`/projects/recordings.json?type=Door&bucket=${p.id}&sort=updated_at&direction=desc`]);

/** A project's links ("doors"), left out of its dock: only the Door recordings walk has them. A trashed one says `deleted`. */
export class ExternalLinks extends Bc3Stream {
  readonly name = 'external_links';
  readonly recordingType = 'Door';
  readonly replicationKey = 'updated_at' as const;
  readonly variants = ['status=active', 'status=archived', 'status=trashed'];
  readonly parents: Parents = { projects: doorsOf };
  readonly notFoundIsEmpty = true;
}

// ---- comments ----------------------------------------------------------------------------------

/** Streams whose records can carry comments. */
export const COMMENTABLE: StreamName[] = [
  'messages',
  'todolists',
  'todolist_groups',
  'todos',
  'schedule_entries',
  'documents',
  'uploads',
  'question_answers',
  'card_table_cards',
  'gauge_needles',
  'google_documents',
  'cloud_files',
];

export class Comments extends Bc3Stream {
  readonly name = 'comments';
  readonly countedByParentOnly = true;
  readonly recordingType = 'Comment';
  readonly replicationKey = 'updated_at' as const;
  // In an archived project, comments are read per commentable recording (see commentsOf).
  readonly parents: Parents = Object.fromEntries(COMMENTABLE.map((p) => [p, commentsOf]));
}

// ---- derived -----------------------------------------------------------------------------------

/**
 * Streams whose records carry `content_attachments` or `description_attachments` (their schemas
 * say so; a unit test holds the two together).
 */
export const ATTACHMENT_CARRIERS: StreamName[] = [
  'gauge_needles',
  'messages',
  'todolists',
  'todolist_groups',
  'todos',
  'schedule_entries',
  'documents',
  'uploads',
  'comments',
  'question_answers',
  'inbox_forwards',
  'inbox_replies',
  'client_approvals',
  'client_correspondences',
  'client_replies',
  'card_table_cards',
  'google_documents',
  'cloud_files',
];

export class Attachments extends Bc3Stream {
  readonly name = 'attachments';
  // Written with the record they hang from, from its payload: no request, no cursor of its own.
  readonly derived = { from: ATTACHMENT_CARRIERS, records: attachmentsOf };
}

/** All streams, in the order they appear in the catalog. */
export const STREAMS: Stream[] = [
  new Account(),
  new Projects(),
  new People(),
  new ProjectPeople(),
  new Templates(),
  new Campfires(),
  new CampfireLines(),
  new TimelineEvents(),
  new TimesheetEntries(),
  new GaugeNeedles(),
  new LineupMarkers(),
  new MessageBoards(),
  new MessageTypes(),
  new Messages(),
  new Todosets(),
  new Todolists(),
  new TodolistGroups(),
  new Todos(),
  new Schedules(),
  new ScheduleEntries(),
  new Vaults(),
  new Documents(),
  new Uploads(),
  new Comments(),
  new Questionnaires(),
  new Questions(),
  new QuestionAnswers(),
  new Inboxes(),
  new InboxForwards(),
  new InboxReplies(),
  new ClientApprovals(),
  new ClientCorrespondences(),
  new ClientReplies(),
  new CardTables(),
  new CardTableColumns(),
  new CardTableCards(),
  new CardTableSteps(),
  new Attachments(),
  new TodoSteps(),
  new ExternalLinks(),
  new GoogleDocuments(),
  new CloudFiles(),
  new UploadVersions(),
  new HillCharts(),
  new Events(),
  new RecordingEvents(),
  new Boosts(),
];

export const STREAMS_BY_NAME = new Map<string, Stream>(STREAMS.map((s) => [s.name, s]));

// The list of names and the list of streams agree, in the same order.
if (STREAMS.map((s) => s.name).join() !== STREAM_NAMES.join()) throw new Error('src/streams: STREAMS and STREAM_NAMES disagree');

export { STREAM_NAMES };
export type { StreamName };
