/**
 * The content routes below /{accountId}/api/v1 (see routes.ts): to-do lists and to-dos,
 * documents, attachments and uploads, forwards. Each function adds its routes in the order they
 * are tried.
 */
import { BProject, BRec } from './model';
import { BcxRenderer } from './render';
import { badDueSince, BcxResult, BcxRouteKit, byPos, dateParam, NOT_FOUND, PAGE_SIZE } from './routes-kit';
import * as V from './views';

/** To-do lists: a project's and the account's, active, completed and trashed; one list. */
export function defineTodolists(k: BcxRouteKit): void {
  const r = k.r;
  const lists = (pr: BProject, state: V.ListState) => pr.recs.filter((x) => x.kind === 'todolist' && V.listState(x) === state).sort(byPos);
  for (const state of ['active', 'completed', 'trashed'] as const) {
    const suffix = state === 'active' ? '' : `/${state}`;
    k.on(`projects/:pid/todolists${suffix}.json`, (p) => {
      const pr = k.open(p.pid);
      return pr
        ? k.list(
            () => lists(pr, state),
            (x) => r.todolistItem(x),
            k.unknown,
          )
        : NOT_FOUND;
    });
    k.on(`todolists${suffix}.json`, () =>
      k.list(
        () => k.activeProjects().flatMap((pr) => lists(pr, state)),
        (x) => r.todolistItem(x, true),
        k.unknown,
      ),
    );
  }
  k.on('projects/:pid/todolists/:id.json', (p, q) =>
    k.one(k.open(p.pid), p.id, 'todolist', (x) => r.todolist(x, q.get('exclude_todos') === 'true' ? false : undefined)),
  );
}

/** The to-dos of a list and of a project (all, remaining, completed; a list's trashed ones), and one to-do. */
export function defineTodos(k: BcxRouteKit): void {
  const r = k.r;
  const todoLists: Record<string, (l: BRec) => BRec[]> = {
    todos: (l) => {
      const t = V.listTodos(l);
      return [...t.remaining, ...t.completed];
    },
    'todos/remaining': (l) => V.listTodos(l).remaining,
    'todos/completed': (l) => V.listTodos(l).completed,
    'todos/trashed': (l) => V.listTodos(l).trashed,
  };
  for (const [path, pick] of Object.entries(todoLists)) {
    k.on(`projects/:pid/todolists/:id/${path}.json`, (p) => {
      const l = k.recIn(k.open(p.pid), p.id, 'todolist');
      return l
        ? k.list(
            () => pick(l),
            (x) => r.todoItem(x),
            k.unknown,
          )
        : NOT_FOUND;
    });
    if (path === 'todos/trashed') continue;
    k.on(`projects/:pid/${path}.json`, (p, q) => {
      const pr = k.open(p.pid);
      return pr ? projectTodos(k, pr, pick, q) : NOT_FOUND;
    });
  }
  k.on('projects/:pid/todos/:id.json', (p) => k.one(k.open(p.pid), p.id, 'todo', (x) => r.todo(x)));
}

/** /projects/P/todos.json (and remaining, completed): the picked to-dos of its lists, due since due_since. */
function projectTodos(k: BcxRouteKit, pr: BProject, pick: (l: BRec) => BRec[], q: URLSearchParams): BcxResult {
  const since = dateParam(q.get('due_since'));
  if (since === undefined) return badDueSince();
  return k.list(
    () => {
      const out: BRec[] = [];
      for (const l of pr.recs) if (l.kind === 'todolist' && !l.trashed) out.push(...pick(l));
      return since === null ? out : out.filter((t) => t.t2 !== 0 && t.t2 >= since);
    },
    (x) => k.r.todoItem(x),
    k.unknown,
  );
}

/** The order a sort= parameter asks of documents and forwards (newest first by default). */
function docSort(q: URLSearchParams, r: BcxRenderer): (a: BRec, b: BRec) => number {
  const s = q.get('sort');
  if (s === 'oldest') return (a: BRec, b: BRec) => a.updated - b.updated || a.id - b.id;
  if (s === 'az' || s === 'za') return (a: BRec, b: BRec) => (s === 'az' ? 1 : -1) * (r.title(a).localeCompare(r.title(b)) || a.id - b.id);
  return (a: BRec, b: BRec) => b.updated - a.updated || b.id - a.id;
}

/** Documents or forwards (kind): a project's list, the account's list, one. */
export function defineDocumentsOrForwards(k: BcxRouteKit, kind: 'document' | 'forward'): void {
  const r = k.r;
  const item = kind === 'document' ? (x: BRec, wide?: boolean) => r.documentItem(x, wide) : (x: BRec, wide?: boolean) => r.forwardItem(x, wide);
  k.on(`projects/:pid/${kind}s.json`, (p, q) => {
    const pr = k.open(p.pid);
    return pr
      ? k.list(
          () => V.rows(pr, kind).sort(docSort(q, r)),
          (x) => item(x),
          k.unknown,
        )
      : NOT_FOUND;
  });
  k.on(`${kind}s.json`, (_p, q) =>
    k.list(
      () =>
        k
          .activeProjects()
          .flatMap((pr) => V.rows(pr, kind))
          .sort(docSort(q, r)),
      (x) => item(x, true),
      k.unknown,
    ),
  );
  k.on(`projects/:pid/${kind}s/:id.json`, (p) => k.one(k.open(p.pid), p.id, kind, (x) => (kind === 'document' ? r.document(x) : r.forward(x))));
}

/** Attachments (a project's, the account's, one) and uploads. */
export function defineAttachments(k: BcxRouteKit): void {
  const { st, r } = k;
  k.on('projects/:pid/attachments.json', (p, q) => {
    const pr = k.open(p.pid);
    return pr
      ? k.list(
          () => sortAttachments(V.attachments(pr), q, r),
          (a) => r.attachment(a),
          PAGE_SIZE,
        )
      : NOT_FOUND;
  });
  k.on('attachments.json', (_p, q) =>
    k.list(
      () =>
        sortAttachments(
          k.activeProjects().flatMap((pr) => V.attachments(pr)),
          q,
          r,
        ),
      (a) => r.attachment(a),
      PAGE_SIZE,
    ),
  );
  k.on('projects/:pid/attachments/:id.json', (p) => {
    const pr = k.open(p.pid);
    const a = p.id === undefined ? undefined : st.attachment(p.id);
    return pr && a && a.project === pr ? { obj: r.attachment(a) } : NOT_FOUND;
  });
  k.on('projects/:pid/uploads/:id.json', (p) => k.one(k.open(p.pid), p.id, 'upload', (x) => r.upload(x)));
}

function sortAttachments<T extends { id: number; created: number; linked: boolean; seed: number }>(rows: T[], q: URLSearchParams, r: BcxRenderer): T[] {
  const s = q.get('sort');
  const name = (a: T) => String(r.attachment(a as never).name);
  const size = (a: T) => Number(r.attachment(a as never).byte_size);
  if (s === 'oldest') return rows.sort((a, b) => a.created - b.created || a.id - b.id);
  if (s === 'az' || s === 'za') return rows.sort((a, b) => (s === 'az' ? 1 : -1) * (name(a).localeCompare(name(b)) || a.id - b.id));
  if (s === 'biggest' || s === 'smallest') return rows.sort((a, b) => (s === 'smallest' ? 1 : -1) * (size(a) - size(b) || a.id - b.id));
  return rows.sort((a, b) => b.created - a.created || b.id - a.id);
}
