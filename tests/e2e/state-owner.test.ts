/**
 * A state is applied only to the account and product it was written for (issue 17, item 3): every
 * STATE names them, and a run given a Basecamp 2 state for a Basecamp 3 account (or the reverse),
 * or another account's state, stops in one line before writing anything. A state without them,
 * as earlier versions wrote it, is still taken.
 */
import { Simulator, startSimulator } from '../../simulator';
import { Message, logLines, recordsOf, runTap, tmpDir, writeJson } from '../helpers/tap';

const dir = tmpDir('tap-basecamp-owner-');
let n = 0;
let sim: Simulator;
/** A second Basecamp 3 account, the same data under another id (another customer of one app). */
let other: Simulator;

beforeAll(async () => {
  sim = await startSimulator({ records: 200, bcx: { records: 150 } });
  other = await startSimulator({ records: 200, accountId: 999_999_011 });
});
afterAll(async () => {
  await sim?.stop();
  await other?.stop();
});

/** A catalog selecting these streams only (a full sync of a stream or two is enough to get a state). */
function catalog(streams: string[]): string {
  const entries = streams.map((s) => ({ tap_stream_id: s, stream: s, metadata: [{ breadcrumb: [], metadata: { selected: true } }] }));
  return writeJson(dir, `catalog-${++n}.json`, { streams: entries });
}
const bc3Config = (s: Simulator, extra: object = {}) => writeJson(dir, `bc3-${++n}.json`, s.config({ max_requests_per_10s: 100000, ...extra }));
const bcxConfig = (extra: object = {}) => writeJson(dir, `bcx-${++n}.json`, sim.bcx.config({ max_requests_per_10s: 100000, ...extra }));
const states = (messages: Message[]) => messages.filter((m) => m.type === 'STATE').map((m) => m.value);

async function stateOf(config: string, streams: string[]): Promise<Record<string, unknown>> {
  const run = await runTap(['--config', config, '--catalog', catalog(streams)]);
  expect({ code: run.code, errors: logLines(run.stderr).filter((l) => / ERROR /.test(l)) }).toEqual({ code: 0, errors: [] });
  return states(run.messages).pop();
}

/** The run stopped in one ERROR line matching `pattern`, exit 1, and wrote nothing at all. */
async function expectRefused(args: string[], pattern: RegExp): Promise<void> {
  const run = await runTap(args);
  expect(run.code).toBe(1);
  expect(logLines(run.stderr).filter((l) => !/ INFO /.test(l))).toEqual([expect.stringMatching(pattern)]);
  expect(run.stdout).toBe('');
}

describe('every STATE names its account and product', () => {
  it('a Basecamp 3 run (product from Launchpad) and a Basecamp 2 run (product set) write them in every STATE', async () => {
    const bc3 = await runTap(['--config', bc3Config(sim), '--catalog', catalog(['projects', 'todos'])]);
    expect(bc3.code).toBe(0);
    expect(states(bc3.messages).length).toBeGreaterThan(1);
    for (const value of states(bc3.messages)) expect(value).toMatchObject({ account_id: 999999001, basecamp_product: 'bc3' });
    const bcx = await runTap(['--config', bcxConfig({ basecamp_product: 'bcx' }), '--catalog', catalog(['projects', 'topics'])]);
    expect(bcx.code).toBe(0);
    for (const value of states(bcx.messages)) expect(value).toMatchObject({ account_id: 999999002, basecamp_product: 'bcx' });
  });
});

describe('a state of another account or product is refused', () => {
  const what =
    /: pass the state that this account's runs wrote, or drop the state \(run without --state for a full sync; under Meltano, check state_id or `meltano state clear` it\)$/;

  it('a Basecamp 2 state given to a Basecamp 3 run (product from Launchpad): one line, exit 1, nothing on stdout', async () => {
    const state = writeJson(dir, 'bcx-state.json', await stateOf(bcxConfig(), ['projects', 'topics']));
    await expectRefused(
      ['--config', bc3Config(sim), '--state', state],
      new RegExp(`ERROR state \\S*bcx-state\\.json is of account 999999002, product bcx; the config is of account 999999001, product bc3${what.source}`),
    );
  });

  it('a Basecamp 3 state given to a Basecamp 2 run (product set in the config), as Meltano passes it: refused the same way', async () => {
    const value = await stateOf(bc3Config(sim), ['projects', 'todos']);
    const state = writeJson(dir, 'bc3-state.json', { type: 'STATE', value });
    await expectRefused(
      ['--config', bcxConfig({ basecamp_product: 'bcx' }), '--catalog', catalog(['projects', 'topics', 'todos']), '--state', state],
      new RegExp(`ERROR state \\S*bc3-state\\.json is of account 999999001, product bc3; the config is of account 999999002, product bcx${what.source}`),
    );
  });

  it("another Basecamp 3 account's state: refused, naming both accounts", async () => {
    const state = writeJson(dir, 'other-state.json', await stateOf(bc3Config(sim), ['projects']));
    await expectRefused(
      ['--config', bc3Config(other), '--state', state],
      new RegExp(`ERROR state \\S*other-state\\.json is of account 999999001, product bc3; the config is of account 999999011, product bc3${what.source}`),
    );
  });

  it('the right state is taken: the resumed run is incremental, and names its owner again', async () => {
    const config = bc3Config(sim);
    const full = await runTap(['--config', config, '--catalog', catalog(['projects', 'todos'])]);
    const state = writeJson(dir, 'own-state.json', states(full.messages).pop());
    const again = await runTap(['--config', config, '--catalog', catalog(['projects', 'todos']), '--state', state]);
    expect(again.code).toBe(0);
    expect(recordsOf(again.messages, 'todos').length).toBeLessThan(recordsOf(full.messages, 'todos').length);
    expect(states(again.messages).pop()).toMatchObject({ account_id: 999999001, basecamp_product: 'bc3' });
  });

  it('a state without account_id and basecamp_product (written by earlier versions) is still taken, and the next STATE carries them', async () => {
    const config = bc3Config(sim);
    const full = await runTap(['--config', config, '--catalog', catalog(['projects', 'todos'])]);
    const { account_id: _a, basecamp_product: _p, ...older } = states(full.messages).pop();
    expect(Object.keys(older)).toContain('bookmarks');
    const again = await runTap(['--config', config, '--catalog', catalog(['projects', 'todos']), '--state', writeJson(dir, 'older-state.json', older)]);
    expect(again.code).toBe(0);
    expect(recordsOf(again.messages, 'todos').length).toBeLessThan(recordsOf(full.messages, 'todos').length);
    expect(states(again.messages).pop()).toMatchObject({ account_id: 999999001, basecamp_product: 'bc3' });
  });
});
