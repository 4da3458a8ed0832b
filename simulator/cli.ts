/**
 * Run the simulator as a process:
 *   ts-node --transpile-only simulator/cli.ts [--records N] [--latency-ms N] [--rate-limit] [--port P] [--seed S]
 * Prints one JSON line, a ready tap config, then serves until SIGINT/SIGTERM.
 */
import { startSimulator, SimulatorOptions } from './index';

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
      case '--records': opts.records = num(a, argv[++i]); break;
      case '--latency-ms': opts.latencyMs = num(a, argv[++i]); break;
      case '--port': opts.port = num(a, argv[++i]); break;
      case '--seed': opts.seed = num(a, argv[++i]); break;
      // Basecamp's documented limit: 50 requests per 10 seconds.
      case '--rate-limit': opts.rateLimit = { requests: 50, windowMs: 10_000 }; break;
      default: throw new Error(`unknown argument ${a}`);
    }
  }
  return opts;
}

async function main(): Promise<void> {
  const sim = await startSimulator(parseArgs(process.argv.slice(2)));
  process.stdout.write(`${JSON.stringify({
    api_url: sim.baseUrl,
    token_url: sim.tokenUrl,
    account_id: sim.accountId,
    client_id: sim.clientId,
    client_secret: sim.clientSecret,
    refresh_token: sim.refreshToken,
    user_agent: 'tap-basecamp simulator trial (you@example.com)',
    max_requests_per_10s: 1000,
  })}\n`);
  const stop = () => {
    sim.stop().then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(2);
});
