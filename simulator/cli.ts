/**
 * Run the simulator as a process:
 *   ts-node --transpile-only simulator/cli.ts [--bcx] [--records N] [--bcx-records N] [--latency-ms N] [--rate-limit] [--port P] [--seed S]
 * Prints one JSON line, a ready tap config: the Basecamp 3 account's, or with --bcx the Basecamp 2
 * account's (both are served either way), whose max_requests_per_10s is the limit served (with
 * --rate-limit); then serves until SIGINT/SIGTERM.
 */
import { RateLimit, startSimulator, SimulatorOptions } from './index';

let printBcx = false;

function parseArgs(argv: string[]): SimulatorOptions {
  const opts: SimulatorOptions = {};
  const num = (flag: string, v: string | undefined): number => {
    const n = Number(v);
    if (v === undefined || !Number.isFinite(n)) throw new Error(`${flag} needs a number`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    switch (a) {
      case '--bcx':
        printBcx = true;
        break;
      case '--records':
        opts.records = num(a, argv[++i]);
        break;
      case '--bcx-records':
        opts.bcx = { ...opts.bcx, records: num(a, argv[++i]) };
        break;
      case '--latency-ms':
        opts.latencyMs = num(a, argv[++i]);
        break;
      case '--port':
        opts.port = num(a, argv[++i]);
        break;
      case '--seed':
        opts.seed = num(a, argv[++i]);
        break;
      // Basecamp's documented limits: 50 requests per 10 seconds (bc3), 500 per 10 seconds (bcx).
      case '--rate-limit':
        opts.rateLimit = { requests: 50, windowMs: 10_000 };
        opts.bcx = { ...opts.bcx, rateLimit: { requests: 500, windowMs: 10_000 } };
        break;
      default:
        throw new Error(`unknown argument ${a}`);
    }
  }
  return opts;
}

/** The rate the printed config asks the tap to keep: the limit served, or (with none) a fast one. */
function configRate(limit: RateLimit | null | undefined): number {
  return limit ? Math.max(1, Math.floor((limit.requests * 10_000) / limit.windowMs)) : 1000;
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const sim = await startSimulator(opts);
  const rate = configRate(printBcx ? opts.bcx?.rateLimit : opts.rateLimit);
  const line = (accountId: number) =>
    `${JSON.stringify({
      api_url: sim.baseUrl,
      token_url: sim.tokenUrl,
      account_id: accountId,
      client_id: sim.clientId,
      client_secret: sim.clientSecret,
      refresh_token: sim.refreshToken,
      user_agent: 'tap-basecamp simulator trial (you@example.com)',
      max_requests_per_10s: rate,
    })}\n`;
  // One line, so `> config.json` is a config file.
  process.stdout.write(line(printBcx ? sim.bcx.accountId : sim.accountId));
  const stop = () => {
    sim.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(2);
});
