/**
 * What happens to an API request before it is routed: the per-account sliding-window
 * rate limit, scripted 429 bursts, random 5xx answers, dropped sockets, slow answers,
 * and 200 answers whose body is cut off or is not JSON. Random faults draw from a
 * seeded PRNG so a failing run can be replayed.
 */
import { Rng } from './rng';

export interface Faults {
  errorRate?: number;
  dropRate?: number;
  burst429?: { afterRequests: number; count: number; retryAfterSeconds: number };
  slowRate?: number;
  slowMs?: number;
  /** A 200 sends its status, headers (full Content-Length) and part of its body, then the socket is destroyed. */
  cutRate?: number;
  /** A 200 whose body is its JSON text truncated (Content-Length matching what is sent): not valid JSON. */
  badJsonRate?: number;
}
export interface RateLimit {
  requests: number;
  windowMs: number;
}

export type Decision =
  { kind: 'drop' } | { kind: 'status'; status: number; retryAfter?: number; delayMs: number } | { kind: 'pass'; delayMs: number; body?: BodyFault };

/**
 * What becomes of the body of a 200 answer: `keep` is the fraction of its bytes sent (always at
 * least one byte and at least one byte short of the whole). Answers without a body (304) and
 * error answers are sent unharmed.
 */
export interface BodyFault {
  kind: 'cut' | 'badJson';
  keep: number;
}

const ERROR_STATUSES = [500, 502, 503, 504];

export class Traffic {
  private arrivals: number[] = []; // arrival times inside the current window, oldest first
  private sinceFaults = 0; // API requests since the faults were (re)configured
  private rng: Rng;

  constructor(
    public latencyMs: number,
    private rateLimit: RateLimit | null,
    private faults: Faults,
    seed: number,
  ) {
    this.rng = new Rng(seed ^ 0x5eed);
  }

  setFaults(f: Faults | undefined): void {
    this.faults = f ?? {};
    this.sinceFaults = 0;
  }
  setRateLimit(r: RateLimit | null | undefined): void {
    this.rateLimit = r ?? null;
    this.arrivals = [];
  }

  /** Decide the fate of one arriving API request. */
  decide(now: number): Decision {
    return this.rateLimited(now) ?? this.faulted();
  }

  /** A 429 when the arrival finds the window full. Every arrival counts, including the ones answered 429. */
  private rateLimited(now: number): Decision | null {
    const rl = this.rateLimit;
    if (!rl) return null;
    while (this.arrivals.length && (this.arrivals[0] as number) <= now - rl.windowMs) this.arrivals.shift();
    const full = this.arrivals.length >= rl.requests;
    this.arrivals.push(now);
    if (!full) return null;
    // A slot frees once all but the newest requests-1 arrivals have left the window.
    const oldest = this.arrivals[this.arrivals.length - rl.requests] ?? now;
    const wait = Math.max(1, Math.ceil((oldest + rl.windowMs - now) / 1000));
    return { kind: 'status', status: 429, retryAfter: wait, delayMs: this.latencyMs };
  }

  /** The configured faults, drawn in a fixed order: burst, drop, error, slow, then a harmed body. */
  private faulted(): Decision {
    const delay = this.latencyMs;
    const f = this.faults;
    this.sinceFaults++;
    const burst = f.burst429;
    if (burst && this.sinceFaults > burst.afterRequests && this.sinceFaults <= burst.afterRequests + burst.count) {
      return { kind: 'status', status: 429, retryAfter: burst.retryAfterSeconds, delayMs: delay };
    }
    if (this.draw(f.dropRate)) return { kind: 'drop' };
    if (this.draw(f.errorRate)) return { kind: 'status', status: this.rng.pick(ERROR_STATUSES), delayMs: delay };
    const slow = this.draw(f.slowRate) ? (f.slowMs ?? 1000) : 0;
    // Drawn here, at arrival, so the outcome does not depend on the order answers complete in.
    if (this.draw(f.cutRate)) return { kind: 'pass', delayMs: delay + slow, body: { kind: 'cut', keep: this.rng.next() } };
    if (this.draw(f.badJsonRate)) return { kind: 'pass', delayMs: delay + slow, body: { kind: 'badJson', keep: this.rng.next() } };
    return { kind: 'pass', delayMs: delay + slow };
  }

  /** True with probability `rate`; draws from the PRNG only when a rate is set. */
  private draw(rate: number | undefined): boolean {
    return !!rate && this.rng.next() < rate;
  }
}
