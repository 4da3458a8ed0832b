/**
 * A changed record's parent, read again from its own endpoint: a new comment moves its to-do's
 * `comments_count`, a new message its board's `messages_count`, a new card its column's
 * `cards_count`, without moving the parent's `updated_at`, so no walk and no cursor would bring
 * the parent again. The child names it (`parent`: id, type and API url); one request a parent a run.
 * A to-do's counts go up the chain (its group, list and to-do set count it), a comment's only to
 * its own recording (Stream.countedByParentOnly).
 */
import type { Json, Stream } from '../streams/stream';
import type { Job } from './job';

/** The streams whose records a child's `parent.type` names (Stream.typeNames). */
export function streamsByType(streams: readonly Stream[]): Map<string, Stream> {
  const byType = new Map<string, Stream>();
  for (const s of streams) for (const t of s.typeNames) if (!byType.has(t)) byType.set(t, s);
  return byType;
}

/**
 * The job that reads the parent a changed record names, or undefined: no parent, a type no stream
 * holds, or a url outside the account (`accountBase`: the account's API root; never sent elsewhere).
 */
export function parentShow(
  byType: ReadonlyMap<string, Stream>,
  record: Json,
  accountBase: string,
  depth: number,
  chainUp: boolean,
  changedAt?: number,
): Job | undefined {
  const parent: unknown = record.parent;
  if (parent === null || typeof parent !== 'object') return undefined;
  const { type, url } = parent as Json;
  const stream = typeof type === 'string' ? byType.get(type) : undefined;
  if (!stream || typeof url !== 'string' || !url.startsWith(`${accountBase}/`)) return undefined;
  const projectId = typeof record.bucket?.id === 'number' ? (record.bucket.id as number) : undefined;
  return {
    stream,
    path: url.slice(accountBase.length),
    ctx: projectId === undefined ? {} : { projectId },
    depth: depth + 1,
    root: false,
    newestFirst: false,
    shown: true,
    // Its counts moved, not its updated_at: written whatever its cursor says; what it leads to is not read again.
    force: true,
    fromFeed: true,
    once: true,
    routed: true,
    chainUp,
    ...(changedAt === undefined ? {} : { changedAt }),
  };
}
