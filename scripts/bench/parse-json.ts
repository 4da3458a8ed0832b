/**
 * `npx ts-node --transpile-only scripts/bench/parse-json.ts`
 *
 * What the big-integer guard (src/json.ts) costs per page: JSON.parse alone against parseApiJson
 * on full pages of to-dos and of messages as the simulator serves them (Basecamp 3's 50- and
 * 100-item pages), and on the slower paths a page takes only when it holds a run of 16 digits:
 * after a colon inside a string (the cheap second look), or as an id above 2^53 (the lossless
 * parse that names it).
 * Prints microseconds per page for JSON.parse, the pre-check every body pays, and the whole of
 * parseApiJson: the fastest of 60 interleaved rounds, the figure least disturbed by other work
 * on a shared machine.
 */
import { startSimulator } from '../../simulator';
import { mayHoldUnsafeInteger, parseApiJson } from '../../src/json';

async function pages(): Promise<Array<[string, string]>> {
  const sim = await startSimulator({ records: 6000, seed: 11 });
  try {
    const token = (await (
      await fetch(sim.tokenUrl, {
        method: 'POST',
        body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: sim.refreshToken, client_id: sim.clientId, client_secret: sim.clientSecret }),
      })
    ).json()) as { access_token: string };
    const get = async (path: string) =>
      (await fetch(`${sim.baseUrl}/${sim.accountId}${path}`, { headers: { authorization: `Bearer ${token.access_token}` } })).text();
    const out: Array<[string, string]> = [];
    for (const type of ['Todo', 'Message']) {
      for (const page of [3, 4]) {
        const text = await get(`/projects/recordings.json?type=${type}&page=${page}`);
        out.push([`${type} page ${page}: ${(JSON.parse(text) as unknown[]).length} items, ${(text.length / 1024).toFixed(0)} KiB`, text]);
      }
    }
    return out;
  } finally {
    await sim.stop();
  }
}

function perCall(fn: () => unknown, budgetMs = 15): number {
  let n = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < budgetMs * 1e6) {
    for (let i = 0; i < 5; i++) fn();
    n += 5;
    elapsed = Number(process.hrtime.bigint() - start);
  }
  return elapsed / n / 1000; // microseconds
}

function row(label: string, text: string): string {
  const times = { parse: [] as number[], check: [] as number[], guarded: [] as number[] };
  const guarded = () => {
    try {
      return parseApiJson(text);
    } catch {
      return undefined;
    }
  };
  for (let round = 0; round < 60; round++) {
    times.parse.push(perCall(() => JSON.parse(text)));
    times.check.push(perCall(() => mayHoldUnsafeInteger(text)));
    times.guarded.push(perCall(guarded));
  }
  const [p, c, g] = [Math.min(...times.parse), Math.min(...times.check), Math.min(...times.guarded)];
  const us = (x: number) => x.toFixed(1).padStart(7);
  return `${label.padEnd(50)} JSON.parse ${us(p)} us   pre-check ${us(c)} us (${((c / p) * 100).toFixed(0).padStart(3)}%)   parseApiJson ${us(g)} us`;
}

void (async () => {
  for (const [label, text] of await pages()) {
    console.log(row(label, text));
  }
  const [, sample] = (await pages())[0]!;
  const inString = sample.replace('"title":"', '"title":"call at:1234567890123456 ');
  console.log(row('Todo page 3, ":" and 16 digits inside a title', inString));
  const bigId = sample.replace(/"id":(\d+)/, '"id":9007199254740993');
  console.log(row('Todo page 3, its first id above 2^53 (refused)', bigId));
})();
