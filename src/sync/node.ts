/**
 * Completion tracking: a Node is done when its own work and all its children are done. A job
 * never waits for its children (so queue slots cannot deadlock); a cursor is committed when the
 * Node of its job, children included, is done.
 */
export class Node {
  private pending = 1;
  private clean = true;
  private readonly callbacks: Array<(clean: boolean) => void> = [];
  constructor(
    private readonly parent?: Node,
    onDone?: (clean: boolean) => void,
  ) {
    if (parent) parent.pending++;
    if (onDone) this.callbacks.push(onDone);
  }
  /** Runs `callback` when the node is done, before its parent hears of it. */
  then(callback: (clean: boolean) => void): void {
    this.callbacks.push(callback);
  }
  finish(clean = true): void {
    if (!clean) this.clean = false;
    if (--this.pending > 0) return;
    for (const callback of this.callbacks) callback(this.clean);
    this.parent?.finish(this.clean);
  }
}
