/**
 * Every stream's name, in catalog order: the one list that src and the tests import (the simulator
 * states its own list, and a test holds the two side by side). A name here is public interface
 * (catalog, STATE, target tables).
 */
export const STREAM_NAMES = [
  'account',
  'projects',
  'people',
  'project_people',
  'templates',
  'campfires',
  'campfire_lines',
  'timeline_events',
  'timesheet_entries',
  'gauge_needles',
  'lineup_markers',
  'message_boards',
  'message_types',
  'messages',
  'todosets',
  'todolists',
  'todolist_groups',
  'todos',
  'schedules',
  'schedule_entries',
  'vaults',
  'documents',
  'uploads',
  'comments',
  'questionnaires',
  'questions',
  'question_answers',
  'inboxes',
  'inbox_forwards',
  'inbox_replies',
  'client_approvals',
  'client_correspondences',
  'client_replies',
  'card_tables',
  'card_table_columns',
  'card_table_cards',
  'card_table_steps',
  'attachments',
  'todo_steps',
  'external_links',
  'google_documents',
  'cloud_files',
  'upload_versions',
  'hill_charts',
  'events',
  'recording_events',
  'boosts',
] as const;

export type StreamName = (typeof STREAM_NAMES)[number];

/** Basecamp 2 ("bcx") streams, in catalog order. Several share a name with a Basecamp 3 stream. */
export const BCX_STREAM_NAMES = [
  'projects',
  'people',
  'groups',
  'accesses',
  'topics',
  'messages',
  'comments',
  'todolists',
  'todos',
  'documents',
  'attachments',
  'uploads',
  'calendars',
  'calendar_events',
  'forwards',
  'events',
] as const;

export type BcxStreamName = (typeof BCX_STREAM_NAMES)[number];
/** A stream of either product. */
export type AnyStreamName = StreamName | BcxStreamName;

export function isStreamName(name: string): name is StreamName {
  return (STREAM_NAMES as readonly string[]).includes(name);
}
