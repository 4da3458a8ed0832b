/**
 * The job queue: `max_concurrency` slots, deeper jobs first, and a bounded backlog. p-queue
 * inserts synchronously, so a sequential run (max_concurrency 1) is deterministic.
 */
import PQueue from 'p-queue';

/**
 * Backlog bounds: a job that has queued this many child jobs waits until the queue is down to
 * QUEUE_LOW, so memory holds a bounded backlog, not one task per parent record.
 */
const QUEUE_HIGH = 1000;
const QUEUE_LOW = 500;

export class JobQueue {
  private readonly queue: PQueue;
  /** Jobs paused in throttle(), holding their slots. */
  private producersWaiting = 0;

  /** `halted`: the run is stopping or failed, and nobody should wait any more. */
  constructor(
    private readonly slots: number,
    private readonly halted: () => boolean,
  ) {
    this.queue = new PQueue({ concurrency: slots });
  }

  add(task: () => Promise<void>, priority: number): Promise<unknown> {
    return this.queue.add(task, { priority });
  }

  clear(): void {
    this.queue.clear();
  }

  /**
   * Waits, when the backlog is over QUEUE_HIGH, for it to drain below QUEUE_LOW. At least one
   * slot always keeps working (a producer does not wait when all the others already do), so
   * waiting can never deadlock.
   */
  async throttle(): Promise<void> {
    if (this.queue.size <= QUEUE_HIGH || this.producersWaiting >= this.slots - 1) return;
    this.producersWaiting++;
    try {
      while (this.queue.size > QUEUE_LOW && !this.halted()) {
        await new Promise<void>((resolve) => setTimeout(resolve, 5));
      }
    } finally {
      this.producersWaiting--;
    }
  }

  /** Whether throttle() may wait: the backlog is over its bound (checked before awaiting it, which costs a promise). */
  get full(): boolean {
    return this.queue.size > QUEUE_HIGH;
  }
}
