/**
 * The engine against nock'd HTTP: what a 404 or 403 does where, and that the tree is walked as
 * declared (dock tools only when enabled, children of archived projects through their tools).
 */
import nock from 'nock';
import { BasecampClient } from '../../src/client';
import { defaultSelection } from '../../src/catalog';
import { SyncEngine } from '../../src/engine';
import { Logger } from '../../src/log';
import { SingerWriter } from '../../src/messages';
import { BookmarkManager } from '../../src/state';
import { API_URL, ACCOUNT_ID, TOKEN_ORIGIN, TOKEN_PATH, makeConfig } from '../helpers/client-fixtures';

const BASE = `/${ACCOUNT_ID}`;
const T = '2026-01-01T00:00:00.000Z';

function project(id: number, status: string, dock: Array<[string, number, boolean]>) {
  return { id, status, updated_at: T, name: `p${id}`, dock: dock.map(([name, toolId, enabled]) => ({ id: toolId, name, enabled })) };
}

function harness(selected: string[]) {
  const logs: string[] = [];
  const out: string[] = [];
  const log = new Logger('info', (l) => logs.push(l));
  const client = new BasecampClient(makeConfig({ max_retries: 0 }), log, { backoffBaseMs: 1 });
  const writer = new SingerWriter(log, (l) => void out.push(l));
  const all = defaultSelection();
  const selection = new Map([...all].filter(([name]) => selected.includes(name)));
  const bookmarks = new BookmarkManager({ bookmarks: {} });
  const engine = new SyncEngine(selection, client, writer, bookmarks, log, { maxConcurrency: 2 });
  const records = () => out.map((l) => JSON.parse(l)).filter((m) => m.type === 'RECORD');
  return { engine, logs, records, bookmarks };
}

beforeEach(() => {
  nock.disableNetConnect();
  nock(TOKEN_ORIGIN).post(TOKEN_PATH).reply(200, { access_token: 'at-1', expires_in: 3600 }).persist();
});
afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});
afterAll(() => nock.restore()); // unpatch node:http, which later test files in this worker share

function projectsReply(active: object[], archived: object[] = []) {
  nock(API_URL).get(`${BASE}/projects.json`).reply(200, active);
  nock(API_URL).get(`${BASE}/projects.json`).query({ status: 'archived' }).reply(200, archived);
  nock(API_URL).get(`${BASE}/projects.json`).query({ status: 'trashed' }).reply(200, []);
}

it('a 404 on one child collection is a warning; the run goes on, and disabled tools cost no request', async () => {
  projectsReply([
    project(1, 'active', [
      ['todoset', 10, true],
      ['schedule', 20, true],
      ['inbox', 30, false],
    ]),
  ]);
  nock(API_URL).get(`${BASE}/todosets/10.json`).reply(404, { error: 'Not Found' });
  nock(API_URL)
    .get(`${BASE}/schedules/20.json`)
    .reply(200, { id: 20, bucket: { id: 1 } });
  const h = harness(['todosets', 'schedules', 'inboxes']);
  await h.engine.run();
  expect(h.records().map((m) => [m.stream, m.record.id, m.record.project_id])).toEqual([['schedules', 20, 1]]);
  expect(h.logs.filter((l) => / WARN /.test(l))).toEqual([expect.stringMatching(/skipping todosets at \/123\/todosets\/10.json: HTTP 404/)]);
  expect(nock.pendingMocks()).toEqual([]); // every mocked URL was asked for, and nock would throw on an unmocked one (inboxes/30)
});

it('a 403 on a child collection is a warning too', async () => {
  projectsReply([project(1, 'active', [])]);
  nock(API_URL).get(`${BASE}/projects/1/people.json`).reply(403, {});
  const h = harness(['project_people']);
  await h.engine.run();
  expect(h.logs.filter((l) => / WARN /.test(l))).toEqual([expect.stringMatching(/skipping project_people .*HTTP 403/)]);
});

it('a 404 on an account-level collection means the account is wrong', async () => {
  nock(API_URL).get(`${BASE}/people.json`).reply(404, {});
  const h = harness(['people']);
  await expect(h.engine.run()).rejects.toThrow(/account 123 not found or not accessible with this token/);
});

it('an archived project is walked through its tools, and remembered only when its walk was clean', async () => {
  projectsReply(
    [],
    [
      project(2, 'archived', [
        ['schedule', 21, true],
        ['message_board', 22, true],
      ]),
    ],
  );
  nock(API_URL)
    .get(`${BASE}/schedules/21.json`)
    .reply(200, { id: 21, bucket: { id: 2 } });
  const entry = { id: 300, updated_at: T, comments_count: 0, bucket: { id: 2 } };
  nock(API_URL).get(`${BASE}/schedules/21/entries.json`).reply(200, [entry]);
  nock(API_URL).get(`${BASE}/schedules/21/entries.json`).query({ status: 'archived' }).reply(200, []);
  nock(API_URL).get(`${BASE}/schedules/21/entries.json`).query({ status: 'trashed' }).reply(404, {});
  for (const status of ['active', 'archived', 'trashed']) {
    nock(API_URL).get(`${BASE}/projects/recordings.json`).query({ type: 'Schedule::Entry', status, sort: 'updated_at', direction: 'desc' }).reply(200, []);
  }
  const h = harness(['schedule_entries']);
  await h.engine.run();
  expect(h.records().map((m) => m.record.id)).toEqual([300]);
  // The trashed list answered 404, so the walk was not clean: the project will be walked again.
  expect(h.bookmarks.archivedWalk('schedule_entries', 2)).toBeUndefined();
  // Only the tools that lead to a selected stream were read (not the message board).
  expect(nock.pendingMocks()).toEqual([]);
  expect(h.logs.filter((l) => / WARN /.test(l))).toEqual([expect.stringMatching(/skipping schedule_entries .*status=trashed: HTTP 404/)]);
});

describe('attachments: derived from the records written, at no request', () => {
  const file = (id: number) => ({ id, sgid: `sg${id}`, filename: `f${id}.png` });
  function needles() {
    projectsReply([project(1, 'active', [])]);
    nock(API_URL)
      .get(`${BASE}/projects/1/gauge/needles.json`)
      .reply(200, [
        { id: 5, type: 'Gauge::Needle', bucket: { id: 1 }, description_attachments: [file(50), file(51)] },
        { id: 6, type: 'Gauge::Needle', bucket: { id: 1 }, description_attachments: [] },
        { id: 7, type: 'Gauge::Needle', bucket: { id: 1 }, description_attachments: [file(70)] },
      ]);
  }

  it("writes each record's attachments right after it, with the record's id, type and project", async () => {
    needles();
    const h = harness(['gauge_needles', 'attachments']);
    await h.engine.run();
    expect(h.records().map((m) => [m.stream, m.record.id, m.record.recording_id, m.record.recording_type, m.record.project_id])).toEqual([
      ['gauge_needles', 5, undefined, undefined, 1],
      ['attachments', 50, 5, 'Gauge::Needle', 1],
      ['attachments', 51, 5, 'Gauge::Needle', 1],
      ['gauge_needles', 6, undefined, undefined, 1],
      ['gauge_needles', 7, undefined, undefined, 1],
      ['attachments', 70, 7, 'Gauge::Needle', 1],
    ]);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('writes none when attachments is not selected', async () => {
    needles();
    const h = harness(['gauge_needles']);
    await h.engine.run();
    expect(h.records().map((m) => m.stream)).toEqual(['gauge_needles', 'gauge_needles', 'gauge_needles']);
  });
});
