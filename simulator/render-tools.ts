/**
 * The bodies of a project's tools (its dock: message board, to-do set, docs & files, campfire,
 * schedule, check-ins, email forwards, card table) and of its clientside board and gauge, after
 * the head every recording shares; keys in the order of the documented examples.
 */
import { F, Rec } from './model';
import type { RecordingBody, Renderer } from './render';
import { active, countActive, Obj } from './render-util';
import { hash32 } from './rng';

/** `${base}/buckets/${project}/${tool}/${id}`: the root of a tool's own urls. */
function toolRoot(x: Renderer, r: Rec, tool: string): string {
  return `${x.base}/buckets/${r.project.id}/${tool}/${r.id}`;
}

/** A tool's position on the dock, then the parent/bucket/creator tail. */
function positioned(x: Renderer, o: Obj, r: Rec): void {
  o.position = r.pos || null;
  x.tail(o, r);
}

function messageBoard(x: Renderer, o: Obj, r: Rec): void {
  positioned(x, o, r);
  o.messages_count = countActive(r.children, 'message');
  o.messages_url = `${toolRoot(x, r, 'message_boards')}/messages.json`;
  o.app_messages_url = `${toolRoot(x, r, 'message_boards')}/messages`;
}

/** A to-do list as the to-do set embeds it. */
function todolistSummary(x: Renderer, l: Rec): Obj {
  const [d, t] = x.ratio(l);
  const desc = x.richOrEmpty(l, 51, l.rev);
  return {
    id: l.id,
    title: x.title(l),
    description: desc || null,
    completed: t > 0 && d === t,
    completed_ratio: `${d}/${t}`,
    url: x.url(l),
    app_url: x.appUrl(l),
  };
}

function todoset(x: Renderer, o: Obj, r: Rec): void {
  x.subscription(o, r);
  positioned(x, o, r);
  const [done, total] = x.ratio(r);
  o.completed = total > 0 && done === total;
  o.completed_ratio = `${done}/${total}`;
  o.name = o.title;
  const lists = active(r.children, 'todolist');
  // Loose to-dos: filed straight under the set, outside any list.
  const loose = active(r.children, 'todo');
  o.todos_count = loose.length;
  o.todolists_count = lists.length;
  o.completed_loose_todos_count = loose.filter((t) => t.has(F.completed)).length;
  o.todolists = lists.map((l) => todolistSummary(x, l));
  const root = toolRoot(x, r, 'todosets');
  o.todos_url = `${root}/todos.json`;
  o.app_todos_url = `${root}/todos`;
  o.hill_chart_url = `${root}/hill.json`;
  o.todolists_url = `${root}/todolists.json`;
  o.app_todoslists_url = `${root}/todolists`;
}

function vault(x: Renderer, o: Obj, r: Rec): void {
  positioned(x, o, r);
  o.documents_count = countActive(r.children, 'document');
  o.documents_url = `${x.base}/vaults/${r.id}/documents.json`;
  o.uploads_count = countActive(r.children, 'upload');
  o.uploads_url = `${x.base}/vaults/${r.id}/uploads.json`;
  o.vaults_count = countActive(r.children, 'vault');
  o.vaults_url = `${x.base}/vaults/${r.id}/vaults.json`;
}

function chat(x: Renderer, o: Obj, r: Rec): void {
  x.subscription(o, r);
  positioned(x, o, r);
  o.topic = r.rev ? `${o.title as string} — topic ${r.rev}` : o.title;
  o.lines_url = `${toolRoot(x, r, 'chats')}/lines.json`;
  o.files_url = `${toolRoot(x, r, 'chats')}/uploads.json`;
}

function schedule(x: Renderer, o: Obj, r: Rec): void {
  positioned(x, o, r);
  o.include_due_assignments = hash32(r.seed, 52) % 4 !== 0;
  o.entries_count = countActive(r.children, 'schedule_entry');
  o.entries_url = `${x.base}/schedules/${r.id}/entries.json`;
}

function questionnaire(x: Renderer, o: Obj, r: Rec): void {
  positioned(x, o, r);
  o.name = o.title;
  o.questions_count = countActive(r.children, 'question');
  o.questions_url = `${x.base}/questionnaires/${r.id}/questions.json`;
}

function inbox(x: Renderer, o: Obj, r: Rec): void {
  positioned(x, o, r);
  o.forwards_count = countActive(r.children, 'forward');
  o.forwards_url = `${toolRoot(x, r, 'inboxes')}/forwards.json`;
}

function kanbanBoard(x: Renderer, o: Obj, r: Rec): void {
  x.subscription(o, r);
  positioned(x, o, r);
  o.subscribers = x.people(r, 53, 2, r.creator);
  o.public_link_url = `${x.rurl(r, 'publication')}`;
  o.lists = (r.children ?? []).filter((c) => c.kind === 'column').map((c) => x.rec(c));
  o.wormholes = []; // links to other card tables: the generated account has none
}

function gauge(x: Renderer, o: Obj, r: Rec): void {
  x.tail(o, r);
  const n = x.needles(r.project);
  o.description = '';
  o.enabled = true;
  o.last_needle_color = n.lastColor;
  o.last_needle_position = n.last;
  o.previous_needle_position = n.previous;
}

export const TOOL_BODIES = {
  message_board: messageBoard,
  todoset,
  vault,
  chat,
  schedule,
  questionnaire,
  inbox,
  kanban_board: kanbanBoard,
  client_board: (x, o, r) => x.tail(o, r),
  gauge,
} satisfies Record<string, RecordingBody>;
