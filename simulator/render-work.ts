/**
 * The bodies of planned work: to-do lists and groups, to-dos, schedule entries, check-in
 * questions and answers, card-table columns, cards and steps, gauge needles and timesheet
 * entries, after the head every recording shares; keys in the order of the documented examples.
 */
import { F, Rec } from './model';
import type { RecordingBody, Renderer } from './render';
import { social } from './render-posts';
import { COLUMN_COLORS, countActive, DAY, hours, iso, isoDate, Obj, TODO_COLORS } from './render-util';
import { hash32, hexDigest, pickH } from './rng';
import * as T from './text';
import { doorService } from './doors';

function todolist(x: Renderer, o: Obj, r: Rec): void {
  const root = `${x.base}/buckets/${r.project.id}/todolists`;
  social(x, o, r);
  o.position = r.pos || null;
  x.tail(o, r);
  x.richDescription(o, r, x.richOrEmpty(r, 51, r.rev));
  const [done, total] = x.ratio(r);
  o.completed = total > 0 && done === total;
  o.completed_ratio = `${done}/${total}`;
  o.name = o.title;
  o.color = r.extra > 0 ? TODO_COLORS[(r.extra - 1) % TODO_COLORS.length] : null;
  if (r.kind === 'todolist') o.groups_url = `${root}/${r.id}/groups.json`;
  else o.group_position_url = `${root}/groups/${r.id}/position.json`;
  o.todos_url = `${root}/${r.id}/todos.json`;
  o.app_todos_url = `${root}/${r.id}/todos`;
  o.comments_app_url = `${x.base}/buckets/${r.project.id}/recordings/${r.id}/comments`;
}

function todo(x: Renderer, o: Obj, r: Rec): void {
  const completed = r.has(F.completed);
  social(x, o, r);
  if (!completed) o.position = r.pos || null; // a completed to-do has left the ordering
  x.tail(o, r);
  x.richDescription(o, r, x.richOrEmpty(r, 54, r.rev));
  o.completed = completed;
  if (completed) o.completion = { created_at: iso(r.extra2), creator: x.person(x.st.people[r.extra] ?? r.creator) };
  o.content = o.title;
  const due = x.dueOn(r);
  o.starts_on = due && r.has(F.hasStart) ? isoDate(Date.parse(due) - (1 + (hash32(r.seed, 55) % 5)) * DAY) : null;
  o.due_on = due;
  o.assignees = x.people(r, 56, 2);
  o.completion_subscribers = x.people(r, 60, 1);
  o.completion_url = `${x.base}/todos/${r.id}/completion.json`;
  o.steps = (r.children ?? []).filter((c) => c.kind === 'step').map((c) => x.rec(c));
}

/** A recurring schedule entry's recurrence_schedule. */
function recurrence(r: Rec): Obj {
  const h = hash32(r.seed, 59);
  const frequency = pickH(['every_day', 'every_week', 'every_month', 'every_year'], r.seed, 63);
  return {
    frequency,
    days: frequency === 'every_week' ? [1 + (h % 5)] : frequency === 'every_month' ? [1 + (h % 28)] : [],
    hour: new Date(r.extra2).getUTCHours(),
    minute: new Date(r.extra2).getUTCMinutes(),
    week_instance: frequency === 'every_month' && h % 2 === 0 ? 1 + (h % 4) : null,
    start_date: isoDate(r.extra2),
    end_date: h % 3 === 0 ? null : isoDate(r.extra2 + (30 + (h % 200)) * DAY),
  };
}

function scheduleEntry(x: Renderer, o: Obj, r: Rec): void {
  social(x, o, r);
  x.tail(o, r);
  x.richDescription(o, r, x.richOrEmpty(r, 57, r.rev));
  o.summary = o.title;
  const allDay = r.has(F.allDay);
  o.all_day = allDay;
  o.highlighted = hash32(r.seed, 123) % 5 === 0;
  o.starts_at = iso(r.extra2);
  o.ends_at = iso(allDay ? r.extra2 + (hash32(r.seed, 58) % 3) * DAY + DAY - 1000 : r.extra2 + (1 + (hash32(r.seed, 58) % 4)) * 3_600_000);
  o.join_url = !allDay && hash32(r.seed, 124) % 4 === 0 ? `https://meet.example.com/${hexDigest(r.id).slice(0, 12)}` : null;
  o.participants = x.people(r, 62, 3);
  if (r.has(F.recurring)) o.recurrence_schedule = recurrence(r);
}

function question(x: Renderer, o: Obj, r: Rec): void {
  x.subscription(o, r);
  x.tail(o, r);
  o.paused = r.has(F.paused);
  const weekly = hash32(r.seed, 66) % 3 === 0;
  o.schedule = {
    frequency: weekly ? 'every_week' : 'every_day',
    days: weekly ? [1 + (hash32(r.seed, 67) % 5)] : [1, 2, 3, 4, 5],
    hour: 9 + (hash32(r.seed, 68) % 8),
    minute: hash32(r.seed, 69) % 2 === 0 ? 0 : 30,
    week_instance: null,
    week_interval: null,
    month_interval: null,
    start_date: isoDate(r.created),
    duration: null,
    end_date: null,
  };
  o.answers_count = countActive(r.children, 'answer');
  o.answers_url = `${x.base}/questions/${r.id}/answers.json`;
}

function answer(x: Renderer, o: Obj, r: Rec): void {
  social(x, o, r);
  x.tail(o, r);
  x.richContent(o, r, T.richText(r.seed, r.rev));
  o.group_on = isoDate(r.created);
}

function column(x: Renderer, o: Obj, r: Rec): void {
  x.subscription(o, r);
  if (r.extra === 2) o.position = r.pos;
  x.tail(o, r);
  o.description = r.rev > 0 ? T.richText(r.seed, r.rev) : null;
  o.subscribers = [x.person(r.creator)];
  o.color = r.extra === 2 ? (COLUMN_COLORS[hash32(r.seed, 73) % COLUMN_COLORS.length] as string) : null;
  o.cards_count = countActive(r.children, 'card');
  o.comment_count = 0;
  o.cards_url = `${x.base}/buckets/${r.project.id}/card_tables/lists/${r.id}/cards.json`;
}

/** @param olderListItem a card-list item as the older docs showed it: no steps, boosts or description_attachments. */
function card(x: Renderer, o: Obj, r: Rec, olderListItem: boolean): void {
  x.subscription(o, r);
  x.comments(o, r);
  if (!olderListItem) x.boosts(o, r);
  const done = r.has(F.completed);
  if (!done) o.position = r.pos || null; // a completed card has left the ordering
  x.tail(o, r);
  const html = hash32(r.seed, 74) % 4 === 0 && r.rev === 0 ? '' : T.richText(r.seed + 3, r.rev);
  x.richDescription(o, r, html);
  const text = o.description;
  // The older card lists showed the description without its attachments array.
  if (olderListItem) delete o.description_attachments;
  o.completed = done;
  if (done) o.completion = { created_at: iso(r.extra2 || r.updated), creator: x.person(r.creator) };
  o.content = text;
  o.due_on = x.dueOn(r);
  o.assignees = x.people(r, 75, 2);
  o.completion_subscribers = x.people(r, 80, 1);
  o.completion_url = `${x.base}/buckets/${r.project.id}/todos/${r.id}/completion.json`;
  o.comment_count = o.comments_count;
  if (!olderListItem) o.steps = (r.children ?? []).filter((c) => c.kind === 'step').map((c) => x.rec(c));
}

function step(x: Renderer, o: Obj, r: Rec): void {
  o.position = r.pos || null;
  x.tail(o, r);
  o.completed = r.has(F.completed);
  o.due_on = x.dueOn(r);
  o.assignees = x.people(r, 85, 1);
  o.completion_url = `/${x.accountId}/buckets/${r.project.id}/card_tables/steps/${r.id}/completions.json`;
}

/** A project link ("door"): its `url` is the external link; a trashed one says `deleted` (the docs' external_links). */
function door(x: Renderer, o: Obj, r: Rec): void {
  const s = doorService(r.seed);
  if (r.status === 'trashed') o.status = 'deleted';
  o.url = `${s.link}/${hexDigest(r.seed).slice(0, 10)}`;
  x.subscription(o, r);
  o.position = r.pos || null;
  x.tail(o, r);
  o.service = { name: s.name, example_url: s.example, code: s.code, valid_patterns: [s.pattern], supporting_text: s.supporting };
  o.description = hash32(r.seed, 91) % 3 === 0 ? null : `<div>${T.sentence(r.seed, 92)}${r.rev ? ` (edit ${r.rev})` : ''}</div>`;
}

function needle(x: Renderer, o: Obj, r: Rec): void {
  social(x, o, r);
  x.tail(o, r);
  o.description = `${T.sentence(r.seed, 86)}${r.rev ? ` (edit ${r.rev})` : ''}`;
  o.description_attachments = [];
  o.color = pickH(['green', 'yellow', 'red'], r.seed, 87);
  o.position = r.extra;
  o.comment_count = o.comments_count;
}

function timesheetEntry(x: Renderer, o: Obj, r: Rec): void {
  x.tail(o, r);
  o.date = isoDate(r.created - (hash32(r.seed, 88) % 3) * DAY);
  o.description = T.timesheetText(r.seed, r.rev);
  o.hours = hours(r.extra);
  o.person = x.person(x.st.people[r.extra2] ?? r.creator);
}

export const WORK_BODIES = {
  todolist,
  group: todolist,
  todo,
  schedule_entry: scheduleEntry,
  question,
  answer,
  column,
  card,
  step,
  needle,
  timesheet_entry: timesheetEntry,
  door,
} satisfies Record<string, RecordingBody>;
