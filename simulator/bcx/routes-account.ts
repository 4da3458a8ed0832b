/**
 * The account's routes below /{accountId}/api/v1 (see routes.ts): projects and stars, people,
 * groups and accesses, topics and messages. Each function adds its routes in the order they are
 * tried.
 */
import { BGroup, BPerson, BProject, BRec } from './model';
import { badDueSince, BcxResult, BcxRouteKit, byId, byPos, dateParam, NOT_FOUND, PAGE_SIZE } from './routes-kit';
import * as V from './views';

/** Projects and stars. */
export function defineProjects(k: BcxRouteKit): void {
  const { st, r } = k;
  /** pageSize null: the whole list on every page. */
  const all = null;
  const projects = (ok: (p: BProject) => boolean) => () => st.projects.filter(ok).sort(byId);
  k.on('projects.json', () =>
    k.list(
      projects((p) => p.kind === 'project' && p.state === 'active'),
      (p) => r.projectItem(p),
      all,
    ),
  );
  k.on('projects/archived.json', () =>
    k.list(
      projects((p) => p.kind === 'project' && p.state === 'archived'),
      (p) => r.projectItem(p),
      PAGE_SIZE,
    ),
  );
  k.on('projects/drafts.json', () =>
    k.list(
      projects((p) => p.kind === 'draft' && p.state !== 'trashed'),
      (p) => r.projectItem(p),
      k.unknown,
    ),
  );
  k.on('project_templates.json', () =>
    k.list(
      projects((p) => p.kind === 'template' && p.state !== 'trashed'),
      (p) => r.projectItem(p),
      k.unknown,
    ),
  );
  k.on('projects/:id.json', (p) => {
    const pr = p.id === undefined ? undefined : st.project(p.id);
    return pr ? { obj: r.project(pr) } : NOT_FOUND;
  });
  k.on('stars.json', () =>
    k.list(
      projects((p) => p.starred && p.state === 'active'),
      (p) => r.star(p),
      k.unknown,
    ),
  );
}

/** People, their projects, events and assigned to-dos. */
export function definePeople(k: BcxRouteKit): void {
  const { st, r } = k;
  /** pageSize null: the whole list on every page. */
  const all = null;
  k.on('people.json', () =>
    k.list(
      () => st.people.filter((x) => !x.trashed),
      (x) => r.personItem(x),
      all,
    ),
  );
  k.on('people/trashed.json', () =>
    k.list(
      () => st.people.filter((x) => x.trashed),
      (x) => r.personItem(x),
      k.unknown,
    ),
  );
  k.on('people/:id.json', (p) => {
    const person = k.person(p.id);
    return person ? { obj: r.person(person) } : NOT_FOUND;
  });
  k.on('people/:id/projects.json', (p) => {
    const person = k.person(p.id);
    if (!person) return NOT_FOUND;
    return k.list(
      () => st.projects.filter((x) => x.hasAccess(person)).sort(byId),
      (x) => r.projectItem(x, false),
      k.unknown,
    );
  });
  k.on('people/:id/events.json', (p, q) => {
    const person = k.person(p.id);
    return person ? k.events(q, (e) => e.creator === person && st.listed(e.bucket), 'person') : NOT_FOUND;
  });
  k.on('people/:id/assigned_todos.json', (p, q) => {
    const person = k.person(p.id);
    return person ? assignedTodos(k, person, q) : NOT_FOUND;
  });
}

/** /people/ID/assigned_todos.json: the person's open to-dos (due since due_since), by list. */
function assignedTodos(k: BcxRouteKit, person: BPerson, q: URLSearchParams): BcxResult {
  const since = dateParam(q.get('due_since'));
  if (since === undefined) return badDueSince();
  return k.list(
    () => {
      const byList = new Map<BRec, BRec[]>();
      for (const t of V.assignedOpenTodos(k.st, person)) {
        if (since !== null && (t.t2 === 0 || t.t2 < since)) continue;
        const l = t.parent as BRec;
        let ts = byList.get(l);
        if (!ts) byList.set(l, (ts = []));
        ts.push(t);
      }
      return [...byList.entries()].sort((a, b) => byId(a[0], b[0])).map(([l, ts]) => [l, ts.sort(byPos)] as const);
    },
    ([l, ts]) => k.r.assignedList(l, [...ts]),
    k.unknown,
  );
}

/** Groups, subgroups and the accesses of projects and calendars. */
export function defineGroups(k: BcxRouteKit): void {
  const { st, r } = k;
  k.on('groups.json', () =>
    k.list(
      () => st.groups,
      (g) => r.groupItem(g),
      k.unknown,
    ),
  );
  k.on('groups/:id.json', (p) => {
    const g = p.id === undefined ? undefined : st.group(p.id);
    return g && !g.parent ? { obj: r.group(g) } : NOT_FOUND;
  });
  k.on('groups/:gid/subgroups/:id.json', (p) => {
    const g = p.id === undefined ? undefined : st.group(p.id);
    return g && g.parent && g.parent.id === p.gid ? { obj: r.subgroup(g as BGroup) } : NOT_FOUND;
  });
  k.on('projects/:pid/accesses.json', (p) => {
    const pr = k.open(p.pid);
    return pr
      ? k.list(
          () => V.accessList(pr),
          (x) => r.accessItem(x),
          PAGE_SIZE,
        )
      : NOT_FOUND;
  });
  k.on('calendars/:cid/accesses.json', (p) => {
    const c = k.cal(p.cid);
    return c
      ? k.list(
          () => V.accessList(c),
          (x) => r.accessItem(x),
          PAGE_SIZE,
        )
      : NOT_FOUND;
  });
}

/** Topics (a project's and the account's, active and archived) and messages. */
export function defineTopics(k: BcxRouteKit): void {
  const r = k.r;
  const topicSort = (q: URLSearchParams, rows: BRec[]) => (q.get('sort') === 'oldest' ? rows.reverse() : rows);
  for (const archived of [false, true]) {
    const suffix = archived ? '/archived' : '';
    k.on(`projects/:pid/topics${suffix}.json`, (p, q) => {
      const pr = k.open(p.pid);
      return pr
        ? k.list(
            () => topicSort(q, V.topicables(pr, archived)),
            (x) => r.topic(x),
            PAGE_SIZE,
          )
        : NOT_FOUND;
    });
    k.on(`topics${suffix}.json`, (_p, q) =>
      k.list(
        () => {
          const rows = k.activeProjects().flatMap((pr) => V.topicables(pr, archived));
          rows.sort((a, b) => V.topicUpdated(b) - V.topicUpdated(a) || b.topicId - a.topicId);
          return topicSort(q, rows);
        },
        (x) => r.topic(x, true),
        PAGE_SIZE,
      ),
    );
  }
  k.on('projects/:pid/messages/:id.json', (p) => k.one(k.open(p.pid), p.id, 'message', (x) => r.message(x)));
}
