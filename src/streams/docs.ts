/**
 * What the stream tables of docs/streams.md say beyond a stream's declaration: where each stream
 * is read from (and, for Basecamp 3, its parent). Key and replication come from the declaration
 * itself; `tap-basecamp --about --format markdown` joins the two (src/about.ts), and a test holds
 * docs/streams.md to that output. Typed by the list of names, so a stream without a line here
 * does not compile.
 */
import { BcxStreamName, StreamName } from './names';

export interface StreamDoc {
  /** Said after the replication method: how the cursor is kept where it is not the plain case. */
  note?: string;
  /** The stream whose records lead to this one's collections (Basecamp 3's table only). */
  parent?: string;
  /** The endpoints, or the payload field, the records are read from. */
  from: string;
}

export const BC3_STREAM_DOCS: Record<StreamName, StreamDoc> = {
  account: { parent: '—', from: '/account.json' },
  projects: { note: 'client-side', parent: '—', from: '/projects.json, all three statuses' },
  people: { note: 'client-side', parent: '—', from: '/people.json' },
  project_people: { parent: 'projects', from: '/projects/:id/people.json' },
  templates: { note: 'client-side', parent: '—', from: '/templates.json, all three statuses' },
  campfires: { parent: 'projects (archived)', from: "/chats.json; an archived project's /chats/:id.json" },
  campfire_lines: { note: 'per campfire', parent: 'campfires', from: '/chats/:id/lines.json newest first' },
  timeline_events: { parent: '—', from: '/reports/progress.json (newest first)' },
  timesheet_entries: { parent: 'projects with `timesheet_enabled`', from: '/projects/:id/timesheet.json' },
  gauge_needles: { parent: 'projects', from: '/projects/:id/gauge/needles.json' },
  lineup_markers: { parent: '—', from: '/lineup/markers.json' },
  message_boards: { parent: 'projects', from: 'dock `message_board`' },
  message_types: { parent: 'projects', from: '/buckets/:id/categories.json' },
  messages: { parent: 'message_boards', from: 'recordings `Message`' },
  todosets: { parent: 'projects', from: 'dock `todoset`' },
  todolists: { parent: 'todosets', from: 'recordings `Todolist`' },
  todolist_groups: { parent: 'todolists', from: '/todolists/:id/groups.json, or recordings `Todolist` where it lists groups (`parent.type` Todolist)' },
  todos: { parent: 'todolists, todolist_groups', from: 'recordings `Todo`' },
  schedules: { parent: 'projects', from: 'dock `schedule`' },
  schedule_entries: { parent: 'schedules', from: 'recordings `Schedule::Entry`' },
  vaults: {
    parent: "projects (the dock's root `vault`), vaults",
    from: "recordings `Vault` (and the root vault's /vaults/:id.json where that does not list it)",
  },
  documents: { parent: 'vaults', from: 'recordings `Document`' },
  uploads: { parent: 'vaults', from: 'recordings `Upload`' },
  comments: { parent: 'any commentable recording', from: 'recordings `Comment`' },
  questionnaires: { parent: 'projects', from: 'dock `questionnaire`' },
  questions: { parent: 'questionnaires', from: '/questionnaires/:id/questions.json' },
  question_answers: { parent: 'questions', from: 'recordings `Question::Answer`' },
  inboxes: { parent: 'projects', from: 'dock `inbox`' },
  inbox_forwards: { parent: 'inboxes', from: '/inboxes/:id/inbox_forwards.json' },
  inbox_replies: { parent: 'inbox_forwards', from: '/inbox_forwards/:id/replies.json' },
  client_approvals: { parent: 'projects with `clientside`', from: '/buckets/:id/client/approvals.json' },
  client_correspondences: { parent: 'projects with `clientside`', from: '/buckets/:id/client/correspondences.json' },
  client_replies: { parent: 'client_approvals, client_correspondences', from: '/buckets/:b/client/recordings/:id/replies.json' },
  card_tables: { parent: 'projects', from: 'dock `kanban_board`' },
  card_table_columns: { parent: 'card_tables', from: "the card table's `lists` (no request)" },
  card_table_cards: { parent: 'card_table_columns', from: 'recordings `Kanban::Card`' },
  card_table_steps: {
    parent: 'card_table_cards',
    from: "recordings `Kanban::Step` whose parent is a card (in archived projects: the card's `steps`, from the card list or, where the list has none, /card_tables/cards/:id.json)",
  },
  todo_steps: {
    parent: 'todos',
    from: "recordings `Kanban::Step` whose parent is a to-do, from the same walk as card_table_steps (in archived projects: the to-do's `steps`)",
  },
  external_links: {
    parent: 'projects',
    from: 'recordings `Door`, every status (in archived projects: the same list with `bucket=ID`, where Basecamp serves it)',
  },
  attachments: {
    parent:
      'every stream whose records carry them (messages, comments, documents, uploads, to-dos, lists, cards, entries, answers, forwards, replies, client records, needles)',
    from: 'the items of `content_attachments` and `description_attachments` of each record written (no request); written exactly when that record is',
  },
  google_documents: {
    parent: 'timeline_events',
    from: '/google_documents/:id.json of each new timeline event whose `url` points at one (whatever its kind), and of each new or changed comment whose `parent` is one; nothing lists them',
  },
  cloud_files: {
    parent: 'timeline_events',
    from: '/cloud_files/:id.json of each new timeline event whose `url` points at one (whatever its kind), and of each new or changed comment whose `parent` is one; nothing lists them',
  },
  upload_versions: {
    parent: 'uploads',
    from: "/uploads/:id/versions.json (`recording_id` is the upload), read for every upload the run writes (new, or its `updated_at` moved): the whole history again, each version's `upload.current` having perhaps changed",
  },
  hill_charts: { parent: 'todosets', from: '/todosets/:id/hill.json, with `todoset_id` added' },
  events: {
    note: 'feed position',
    parent: '—',
    from: "Basecamp 5's event feed, /events.json: its served history on the first run, then on from the stored position (empty where the account answers 403 or 404)",
  },
  recording_events: {
    parent: 'messages, to-do lists, groups, to-dos, schedule entries, documents, uploads, questions, answers, cards, comments',
    from: 'opt-in (not selected by default): /recordings/:id/events.json, read for every such recording the run writes (new, or its `updated_at` moved): one request a recording',
  },
  boosts: {
    parent: 'the same recordings as recording_events',
    from: 'opt-in (not selected by default): /recordings/:id/boosts.json (`recording_id` added), read for every such recording the run writes whose `boosts_count` is above 0: all its boosts again',
  },
};

export const BCX_STREAM_DOCS: Record<BcxStreamName, StreamDoc> = {
  projects: {
    from: "/projects.json, /projects/archived.json, /projects/drafts.json, /project_templates.json, /people/me/projects.json (the only list of trashed projects); then each project's /projects/:id.json",
  },
  people: { from: '/people.json, /people/trashed.json (admins only; a 403 there is a warning); then each /people/:id.json' },
  groups: { from: '/groups.json, then each /groups/:id.json (with memberships)' },
  accesses: { from: '/projects/:id/accesses.json' },
  topics: { from: '/projects/:id/topics.json and /projects/:id/topics/archived.json' },
  messages: { from: '/projects/:id/messages/:id.json of each topic whose topicable is a Message' },
  comments: {
    from: 'the `comments` of each show of a message, to-do list, to-do, document, upload, calendar event or forward; with `commentable_id` and `commentable_type` added',
  },
  todolists: { from: "/projects/:id/todolists.json, …/completed.json, …/trashed.json; then each list's show" },
  todos: {
    from: "the `todos` (remaining, completed, trashed) of each list's show, or, where a show has none, /todolists/:id/todos/remaining.json, …/completed.json, …/trashed.json; then each /projects/:id/todos/:id.json",
  },
  documents: { from: '/projects/:id/documents.json, then each show' },
  attachments: { from: '/projects/:id/attachments.json' },
  uploads: { from: '/projects/:id/uploads/:id.json of each attachment whose attachable is an Upload (once each)' },
  calendars: { from: '/calendars.json, then each /calendars/:id.json' },
  calendar_events: {
    from: "upcoming and past events of each project and each calendar; then each show; `calendar_id` added for a calendar's events, `starts_on` and `ends_on` for every event (below)",
  },
  forwards: { from: '/projects/:id/forwards.json, then each show' },
  events: { from: '/events.json?since= (newest first)' },
};
