/**
 * `npm run bench -- --changes N`: the benchmark runs the built tap three times (full sync, no-change
 * run, run after N changes) and reports each run, the changes and the replica check, in its
 * report and in --json. Replica differences fail it only under an explicit --verify.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cleanEnv, ROOT, runCommand } from '../helpers/tap';

const BENCH = path.join(ROOT, 'scripts', 'bench', 'bench.ts');
const TS_NODE = require.resolve('ts-node/dist/bin.js');

/** The bench's answer; the files it leaves for a look (logs, copies of stdout) are removed. */
async function bench(...args: string[]) {
  const done = await runCommand(
    process.execPath,
    [TS_NODE, '--transpile-only', BENCH, '--records', '1500', '--mode', 'unlimited', '--json', ...args],
    cleanEnv(),
  );
  const dir = /files in (\S+)/.exec(done.stderr)?.[1];
  if (dir?.includes('tap-basecamp-bench-')) fs.rmSync(dir, { recursive: true, force: true });
  return done;
}

describe('the benchmark with --changes', () => {
  it('reports the three runs, the changes made and the replica; differences alone do not fail it', async () => {
    const done = await bench('--changes', '12', '--seed', '7');
    expect(done.code).toBe(0);
    const r = JSON.parse(done.stdout);
    expect(r.runs.map((x: any) => x.run)).toEqual(['full sync', 'no-change run', 'after changes']);
    expect(r.runs[0]).toEqual({ run: 'full sync', requests: r.requests, requestsPerFullSync: 1, records: r.records });
    expect(r.runs[1].requests).toBe(r.incremental.requests);
    expect(r.runs[2]).toMatchObject({ requests: r.changes.requests, records: r.changes.records });
    expect(r.requestsPerChange).toBeCloseTo((r.changes.requests - r.incremental.requests) / 12, 2);
    expect(r.changes).toMatchObject({ requested: 12, made: 12, refused: [], requestsPerChange: r.requestsPerChange, tapExitCode: 0 });
    const counted = Object.values(r.changes.byStream as Record<string, Record<string, number>>).flatMap((ops) => Object.values(ops));
    expect(counted.reduce((a, b) => a + b, 0)).toBe(12);
    // The replica holds every record the account has, equal or not.
    expect(r.changes.replica.expected).toBeGreaterThan(1000);
    expect(Array.isArray(r.changes.replica.mismatches)).toBe(true);
    // Under --json the report goes to stderr.
    expect(done.stderr).toMatch(/^run after 12 changes/m);
    expect(done.stderr).toMatch(/^ {2}changed [a-z_]+: \d+ (edited|created|completed|archived|trashed)/m);
    expect(done.stderr).toMatch(/requests per changed record, \(after changes - no-change run\) \/ 12: /);
    expect(done.stderr).toMatch(/^(replica after the changes run: .* every stream equal|!!! REPLICA DIFFERS FROM THE SIMULATOR)/m);
  });

  it('fails under --verify exactly when the replica differs from the account', async () => {
    const done = await bench('--changes', '12', '--seed', '7', '--verify');
    const r = JSON.parse(done.stdout);
    expect(done.code).toBe(r.changes.replica.mismatches.length ? 1 : 0);
  });

  it('refuses --changes for Basecamp 2 with one line and the usage', async () => {
    const done = await bench('--product', 'bcx', '--changes', '5');
    expect(done.code).toBe(2);
    expect(done.stdout).toBe('');
    expect(done.stderr).toMatch(/^bench: --changes needs --product bc3\nusage: /);
  });
});
