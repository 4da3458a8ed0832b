/** What an event says its creator did (`posted a message`, `archived the project`), as Basecamp 2 words it. */
import { BCalendar, BEvent, BRec, EventAction, ProjectState, RecKind } from './model';

/** A row as the wording names it. */
const NOUN: Record<RecKind, string> = {
  message: 'a message',
  todolist: 'a to-do list',
  todo: 'a to-do',
  document: 'a document',
  upload: 'a file',
  calendar_event: 'an event',
  forward: 'a forward',
  comment: 'a comment',
};
/** Kinds whose creation has its own verb; others are `created` (`created a document`). */
const CREATED: Partial<Record<RecKind, string>> = {
  message: 'posted a message',
  upload: 'uploaded a file',
  todo: 'added a to-do',
  calendar_event: 'added an event',
  forward: 'forwarded an email',
};
/** Actions on a row; any other (an update) is `edited` the row. */
const ON_ROW: Partial<Record<EventAction, (kind: RecKind) => string>> = {
  comment: () => 'commented on',
  edit_comment: () => 'edited a comment on',
  create: (kind) => CREATED[kind] ?? `created ${NOUN[kind]}`,
  complete: () => 'completed a to-do',
  trash: (kind) => `deleted ${NOUN[kind]}`,
};
/** The state a project moved to. */
const PROJECT_STATE: Record<ProjectState, string> = {
  active: 'activated the project',
  archived: 'archived the project',
  trashed: 'deleted the project',
};

/** An event about the bucket itself: an edit of it, or a project's move to another state (none given: activated). */
function bucketVerb(e: BEvent): string {
  if (e.action === 'project_update') return e.bucket instanceof BCalendar ? 'edited the calendar' : 'edited the project';
  return PROJECT_STATE[e.state ?? 'active'];
}

function rowVerb(e: BEvent, r: BRec): string {
  if (e.action === 'trash' && e.comment) return 'deleted a comment on';
  const verb = ON_ROW[e.action];
  return verb ? verb(r.kind) : `edited ${NOUN[r.kind]}`;
}

export function eventVerb(e: BEvent): string {
  return e.eventable ? rowVerb(e, e.eventable) : bucketVerb(e);
}
