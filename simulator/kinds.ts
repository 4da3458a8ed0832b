/**
 * The simulator's tables of recording kinds: which kind each stream's records are, where a new
 * record goes when only its project is named, and which kinds keep a position among siblings.
 */
import type { FeedEventType } from './feed';
import type { Kind } from './model';

/** Stream name -> recording kind, for the streams whose records are recordings. */
export const STREAM_KIND: Record<string, Kind> = {
  message_boards: 'message_board',
  messages: 'message',
  todosets: 'todoset',
  todolists: 'todolist',
  todolist_groups: 'group',
  todos: 'todo',
  schedules: 'schedule',
  schedule_entries: 'schedule_entry',
  vaults: 'vault',
  documents: 'document',
  uploads: 'upload',
  comments: 'comment',
  questionnaires: 'questionnaire',
  questions: 'question',
  question_answers: 'answer',
  inboxes: 'inbox',
  inbox_forwards: 'forward',
  inbox_replies: 'inbox_reply',
  client_approvals: 'approval',
  client_correspondences: 'correspondence',
  client_replies: 'client_reply',
  card_tables: 'kanban_board',
  card_table_columns: 'column',
  card_table_cards: 'card',
  card_table_steps: 'step',
  campfires: 'chat',
  campfire_lines: 'line',
  gauge_needles: 'needle',
  timesheet_entries: 'timesheet_entry',
  todo_steps: 'step',
  external_links: 'door',
  google_documents: 'google_document',
  cloud_files: 'cloud_file',
};

/** Where a new record of a stream goes when only a project is named, where its kind's default does not say (a to-do's step). */
export const STREAM_PARENT: Partial<Record<string, Kind[]>> = { todo_steps: ['todo'] };

/** Where a new record of each kind goes when only a project is named. */
export const DEFAULT_PARENT: Partial<Record<Kind, Kind[]>> = {
  message: ['message_board'],
  todolist: ['todoset'],
  group: ['todolist'],
  todo: ['todolist', 'group', 'todoset'],
  schedule_entry: ['schedule'],
  vault: ['vault'],
  document: ['vault'],
  upload: ['vault'],
  google_document: ['vault'],
  cloud_file: ['vault'],
  question: ['questionnaire'],
  answer: ['question'],
  forward: ['inbox'],
  inbox_reply: ['forward'],
  client_reply: ['approval', 'correspondence'],
  column: ['kanban_board'],
  card: ['column'],
  step: ['card'],
  line: ['chat'],
  comment: ['message', 'todo', 'document'],
  approval: ['client_board'],
  correspondence: ['client_board'],
  needle: ['gauge'],
  timesheet_entry: ['todo', 'message', 'card'],
};

/**
 * The event feed's types for a new recording and for an edit of one (its content or body). Kinds
 * not named here record no event: the feed's catalog does not cover them (documents, uploads,
 * schedule entries, forwards, client replies, groups and lists, ...).
 */
export const CREATED_EVENT: Partial<Record<Kind, FeedEventType>> = {
  message: 'message.created',
  comment: 'comment.created',
  todo: 'todo.created',
  card: 'card.created',
  line: 'chat.line.created',
  question: 'question.created',
  answer: 'question.answer.created',
};
export const EDITED_EVENT: Partial<Record<Kind, FeedEventType>> = {
  message: 'message.content_changed',
  comment: 'comment.content_changed',
  todo: 'todo.content_changed',
  card: 'card.content_changed',
};
/** What a to-do or a card can be moved under, within its project. */
export const MOVES_UNDER: Partial<Record<Kind, Kind[]>> = { todo: ['todolist', 'group'], card: ['column'] };

/** Kinds whose records carry a position among their siblings. */
export const POSITIONED = new Set<Kind>([
  'todo',
  'todolist',
  'group',
  'document',
  'upload',
  'vault',
  'card',
  'step',
  'question',
  'column',
  'google_document',
  'cloud_file',
]);
