/**
 * A repeating call whose calls are never closer than its interval: each next call is scheduled a
 * full interval after the previous one returned (a setInterval tick delayed by a busy event loop
 * would come early relative to the one before). The timer is unref'd: it never keeps the process up.
 */
export function startTicker(intervalMs: number, tick: () => void, now: () => number = Date.now): () => void {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let last = now();
  const schedule = (ms: number) => {
    timer = setTimeout(fire, ms);
    timer.unref();
  };
  function fire(): void {
    if (stopped) return;
    // A timer may fire a little early by the wall clock (timers count from the loop's cached time).
    const wait = last + intervalMs - now();
    if (wait > 0) return schedule(wait);
    tick();
    last = now();
    schedule(intervalMs);
  }
  schedule(intervalMs);
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
