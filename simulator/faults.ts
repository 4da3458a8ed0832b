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
  | { kind: 'drop' }
  | { kind: 'status'; status: number; retryAfter?: number; delayMs: number }
  | { kind: 'pass'; delayMs: number; body?: BodyFault };

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
    const delay = this.latencyMs;
    // Every arrival counts against the window, including the ones answered 429.
    const rl = this.rateLimit;
    if (rl) {
      while (this.arrivals.length && (this.arrivals[0] as number) <= now - rl.windowMs) this.arrivals.shift();
      const full = this.arrivals.length >= rl.requests;
      this.arrivals.push(now);
      if (full) {
        // A slot frees once all but the newest requests-1 arrivals have left the window.
        const oldest = this.arrivals[this.arrivals.length - rl.requests] ?? now;
        const wait = Math.max(1, Math.ceil((oldest + rl.windowMs - now) / 1000));
        return { kind: 'status', status: 429, retryAfter: wait, delayMs: delay };
      }
    }
    const f = this.faults;
    this.sinceFaults++;
    if (f.burst429 && this.sinceFaults > f.burst429.afterRequests && this.sinceFaults <= f.burst429.afterRequests + f.burst429.count) {
      return { kind: 'status', status: 429, retryAfter: f.burst429.retryAfterSeconds, delayMs: delay };
    }
    if (f.dropRate && this.rng.next() < f.dropRate) return { kind: 'drop' };
    if (f.errorRate && this.rng.next() < f.errorRate) {
      return { kind: 'status', status: this.rng.pick(ERROR_STATUSES), delayMs: delay };
    }
    const slow = f.slowRate && this.rng.next() < f.slowRate ? (f.slowMs ?? 1000) : 0;
    // Drawn here, at arrival, so the outcome does not depend on the order answers complete in.
    if (f.cutRate && this.rng.next() < f.cutRate) return { kind: 'pass', delayMs: delay + slow, body: { kind: 'cut', keep: this.rng.next() } };
    if (f.badJsonRate && this.rng.next() < f.badJsonRate) return { kind: 'pass', delayMs: delay + slow, body: { kind: 'badJson', keep: this.rng.next() } };
    return { kind: 'pass', delayMs: delay + slow };
  }
}
