/**
 * `npm run demo [-- --bcx]`: starts the bundled Basecamp simulator with its demo account (with
 * --bcx, its Basecamp 2 account), runs the built tap against it (discover, a full sync, then an
 * incremental re-run from the STATE it printed), and shows where the output went with a
 * per-stream record count.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startSimulator } from '../../simulator';

const ROOT = path.join(__dirname, '..', '..');
const BCX = process.argv.slice(2).includes('--bcx');
const OUT = path.join(ROOT, BCX ? 'demo-output-bcx' : 'demo-output');
const TAP = path.join(ROOT, 'bin', 'tap-basecamp');

function runTap(args: string[], stdoutFile: string, stderrFile: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const out = fs.openSync(stdoutFile, 'w');
    const err = fs.openSync(stderrFile, 'w');
    const child = spawn(process.execPath, [TAP, ...args], { stdio: ['ignore', out, err] });
    child.on('error', reject);
    child.on('exit', (code) => {
      fs.closeSync(out);
      fs.closeSync(err);
      resolve(code ?? 1);
    });
  });
}

function lastState(file: string): unknown {
  const lines = fs.readFileSync(file, 'utf8').trim().split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const m = JSON.parse(lines[i]) as { type: string; value?: unknown };
    if (m.type === 'STATE') return m.value;
  }
  return {};
}

function countRecords(file: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line.startsWith('{"record"')) continue;
    const stream = /"stream":"([^"]+)"/.exec(line)?.[1] ?? '?';
    counts.set(stream, (counts.get(stream) ?? 0) + 1);
  }
  return counts;
}

async function main(): Promise<void> {
  fs.mkdirSync(OUT, { recursive: true });
  const unknown = process.argv.slice(2).filter((a) => a !== '--bcx');
  if (unknown.length > 0) throw new Error(`unknown argument ${unknown[0]} (npm run demo [-- --bcx])`);
  const sim = await startSimulator(BCX ? { bcx: { records: 1500 } } : {});
  try {
    const configFile = path.join(OUT, 'config.json');
    // The simulator has no rate limit; against Basecamp keep the defaults (50 requests per 10 s,
    // 500 for Basecamp 2). The Basecamp 2 config names no product: the tap asks Launchpad.
    const config = BCX ? sim.bcx.config({ max_requests_per_10s: 2000 }) : sim.config({ max_requests_per_10s: 2000 });
    fs.writeFileSync(configFile, JSON.stringify(config, null, 2) + '\n');

    const catalogFile = path.join(OUT, 'catalog.json');
    if ((await runTap(['--config', configFile, '--discover'], catalogFile, path.join(OUT, 'discover.log'))) !== 0) {
      throw new Error(`discover failed: see ${path.join(OUT, 'discover.log')}`);
    }

    const syncFile = path.join(OUT, 'sync.jsonl');
    const started = Date.now();
    sim.resetRequests();
    const code = await runTap(['--config', configFile, '--catalog', catalogFile], syncFile, path.join(OUT, 'sync.log'));
    const seconds = (Date.now() - started) / 1000;
    if (code !== 0) throw new Error(`sync failed (exit ${code}): see ${path.join(OUT, 'sync.log')}`);
    const requests = sim.requests.length;
    const counts = countRecords(syncFile);

    const stateFile = path.join(OUT, 'state.json');
    fs.writeFileSync(stateFile, JSON.stringify(lastState(syncFile), null, 2) + '\n');
    sim.resetRequests();
    // An hour later, nothing changed (a Basecamp 2 run reads again what changed in the 15 minutes before the last one).
    sim.advanceClock(3_600_000);
    const again = path.join(OUT, 'incremental.jsonl');
    const code2 = await runTap(['--config', configFile, '--catalog', catalogFile, '--state', stateFile], again, path.join(OUT, 'incremental.log'));
    if (code2 !== 0) throw new Error(`incremental run failed (exit ${code2}): see ${path.join(OUT, 'incremental.log')}`);
    const counts2 = countRecords(again);

    const width = Math.max(...[...counts.keys()].map((k) => k.length), 6);
    const rows = [...counts.entries()].sort(([a], [b]) => a.localeCompare(b));
    const total = rows.reduce((sum, [, n]) => sum + n, 0);
    const total2 = [...counts2.values()].reduce((a, b) => a + b, 0);
    const print = (line: string) => process.stdout.write(line + '\n');
    print('');
    print(
      `tap-basecamp demo against the local Basecamp simulator (${sim.baseUrl}), ${BCX ? `Basecamp 2 account ${sim.bcx.accountId}` : `Basecamp 3 account ${sim.accountId}`}`,
    );
    print('');
    print(`${'stream'.padEnd(width)}  records`);
    for (const [name, n] of rows) print(`${name.padEnd(width)}  ${String(n).padStart(7)}`);
    print(`${'total'.padEnd(width)}  ${String(total).padStart(7)}`);
    print('');
    print(`full sync:        ${total} records in ${counts.size} streams, ${requests} requests, ${seconds.toFixed(1)} s`);
    print(`incremental run:  ${total2} records, ${sim.requests.length} requests (nothing changed in between)`);
    print('');
    print(`output:   ${path.relative(process.cwd(), syncFile)}  (Singer messages; tap log in ${path.relative(process.cwd(), path.join(OUT, 'sync.log'))})`);
    print(`catalog:  ${path.relative(process.cwd(), catalogFile)}`);
    print(`state:    ${path.relative(process.cwd(), stateFile)}  (pass it back with --state to resume)`);
  } finally {
    await sim.stop();
  }
}

main().catch((err: Error) => {
  process.stderr.write(`demo failed: ${err.message}\n`);
  process.exit(1);
});
