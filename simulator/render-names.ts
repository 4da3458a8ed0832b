/**
 * What names a bc3 recording, per kind: its API path below the account, its type and its title
 * (as shown in the record and in its children's parent stubs).
 */
import { COLUMN_TYPES, Kind, Rec, toolTitles } from './model';
import * as T from './text';
import { doorService } from './doors';

const TYPE: Record<Kind, string> = {
  message_board: 'Message::Board',
  todoset: 'Todoset',
  vault: 'Vault',
  chat: 'Chat::Transcript',
  schedule: 'Schedule',
  questionnaire: 'Questionnaire',
  inbox: 'Inbox',
  kanban_board: 'Kanban::Board',
  message: 'Message',
  todolist: 'Todolist',
  group: 'Todolist',
  todo: 'Todo',
  schedule_entry: 'Schedule::Entry',
  document: 'Document',
  upload: 'Upload',
  comment: 'Comment',
  question: 'Question',
  answer: 'Question::Answer',
  forward: 'Inbox::Forward',
  inbox_reply: 'Inbox::Reply',
  client_board: 'Client::Board',
  approval: 'Client::Approval',
  correspondence: 'Client::Correspondence',
  client_reply: 'Client::Reply',
  card: 'Kanban::Card',
  step: 'Kanban::Step',
  gauge: 'Gauge',
  needle: 'Gauge::Needle',
  timesheet_entry: 'Timesheet::Entry',
  line: 'Chat::Lines::RichText',
  door: 'Door',
  google_document: 'GoogleDocument',
  cloud_file: 'CloudFile',
  // A column's type depends on what kind of column it is (see recordingType).
  column: '',
};

export function recordingType(r: Rec): string {
  return r.kind === 'column' ? (COLUMN_TYPES[r.extra] as string) : TYPE[r.kind];
}

/** `buckets/:project/{segment}/:id` */
function inBucket(segment: string): (r: Rec) => string {
  return (r) => `buckets/${r.project.id}/${segment}/${r.id}`;
}

const PATH: Record<Kind, (r: Rec) => string> = {
  message_board: inBucket('message_boards'),
  todoset: inBucket('todosets'),
  vault: inBucket('vaults'),
  chat: inBucket('chats'),
  schedule: inBucket('schedules'),
  questionnaire: inBucket('questionnaires'),
  inbox: inBucket('inboxes'),
  kanban_board: inBucket('card_tables'),
  message: inBucket('messages'),
  todolist: inBucket('todolists'),
  group: inBucket('todolists'),
  todo: inBucket('todos'),
  schedule_entry: inBucket('schedule_entries'),
  document: inBucket('documents'),
  upload: inBucket('uploads'),
  comment: inBucket('comments'),
  question: inBucket('questions'),
  answer: inBucket('question_answers'),
  forward: inBucket('inbox_forwards'),
  inbox_reply: inBucket('inbox_replies'),
  client_board: (r) => `buckets/${r.project.id}/client/board`,
  approval: inBucket('client/approvals'),
  correspondence: inBucket('client/correspondences'),
  client_reply: inBucket('client/replies'),
  column: inBucket('card_tables/columns'),
  card: inBucket('card_tables/cards'),
  step: inBucket('card_tables/steps'),
  gauge: (r) => `projects/${r.project.id}/gauge`,
  needle: (r) => `projects/${r.project.id}/gauge/needles/${r.id}`,
  timesheet_entry: (r) => `projects/${r.project.id}/timesheet/entries/${r.id}`,
  line: (r) => `buckets/${r.project.id}/chats/${String(r.parent?.id)}/lines/${r.id}`,
  // A door's app_url; its `url` is the external link (see render-work.ts).
  door: (r) => `buckets/${r.project.id}/dock/doors/${r.id}`,
  google_document: inBucket('google_documents'),
  cloud_file: inBucket('cloud_files'),
};

/** API path of a recording below the account, without ".json". */
export function recordingPath(r: Rec): string {
  return PATH[r.kind](r);
}

/** A tool's title: a nested vault's own, else the dock's, marked once edited (a campfire's never is). */
function toolTitle(r: Rec): string {
  const t = r.parent ? T.vaultTitle(r.seed, r.rev) : (toolTitles.get(r) ?? 'Tool');
  return r.parent || r.rev === 0 || r.kind === 'chat' ? t : `${t} (edit ${r.rev})`;
}

function replyTitle(r: Rec): string {
  return `Re: ${r.parent ? recordingTitle(r.parent) : ''}`;
}

const FIXED_COLUMN_TITLES: Record<number, string> = { 0: 'Triage', 1: 'Not now', 3: 'Done' };

const TITLE: Record<Kind, (r: Rec) => string> = {
  message_board: toolTitle,
  todoset: toolTitle,
  vault: toolTitle,
  chat: toolTitle,
  schedule: toolTitle,
  questionnaire: toolTitle,
  inbox: toolTitle,
  kanban_board: toolTitle,
  message: (r) => T.subject(r.seed, 0),
  todolist: (r) => T.listTitle(r.seed, 0),
  group: (r) => T.groupTitle(r.seed, 0),
  todo: (r) => T.taskTitle(r.seed, 0),
  schedule_entry: (r) => T.scheduleTitle(r.seed, 0),
  document: (r) => T.docTitle(r.seed, 0),
  upload: (r) => T.file(r.seed)[0],
  comment: replyTitle,
  inbox_reply: replyTitle,
  client_reply: replyTitle,
  question: (r) => T.questionTitle(r.seed, r.rev),
  answer: (r) => `Answer to “${r.parent ? recordingTitle(r.parent) : ''}”`,
  forward: (r) => T.forwardSubject(r.seed, 0),
  client_board: () => 'The Clientside',
  approval: (r) => T.subject(r.seed, 0),
  correspondence: (r) => T.subject(r.seed, 0),
  column: (r) => FIXED_COLUMN_TITLES[r.extra] ?? T.columnTitle(r.seed, 0),
  card: (r) => T.cardTitle(r.seed, 0),
  step: (r) => T.stepTitle(r.seed, r.rev),
  gauge: () => 'How far along are we?',
  needle: (r) => T.needleText(r.seed, 0),
  timesheet_entry: () => 'Timesheet entry',
  line: (r) => T.plainLine(r.seed, r.rev),
  door: (r) => doorService(r.seed).title + (r.rev ? ` (edit ${r.rev})` : ''),
  google_document: (r) => `${T.docTitle(r.seed, 0)} (Google)`,
  cloud_file: (r) => T.file(r.seed)[0],
};

/** Title as shown in the record and in its children's parent stubs. */
export function recordingTitle(r: Rec): string {
  return TITLE[r.kind](r);
}
