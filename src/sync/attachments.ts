/**
 * The files people drop into rich text (Basecamp 5's `content_attachments` and
 * `description_attachments`), as records of their own: each item of those arrays, with the
 * recording it hangs from. Pure; the engine writes what attachmentsOf() gives right after the
 * record it was found in (see src/sync/derived.ts), so an attachment is written exactly when its
 * record is, at no request of its own.
 */
import type { Json } from '../streams/stream';

/** The arrays of a recording that list its embedded files. */
export const ATTACHMENT_FIELDS = ['content_attachments', 'description_attachments'] as const;

/**
 * The attachment records of one written record: every item of its attachment arrays that carries
 * an integer `id` (the Attachment recording's id, as the docs' items show it; an item without
 * one could not be keyed, and is left out), with `recording_id`, `recording_type` (the record's
 * `type`) and `project_id` of the record. An item listed twice in one record is written once.
 */
export function attachmentsOf(record: Json): Json[] {
  const out: Json[] = [];
  const seen = new Set<number>();
  for (const field of ATTACHMENT_FIELDS) {
    const items: unknown = record[field];
    if (!Array.isArray(items)) continue;
    for (const item of items) {
      if (item === null || typeof item !== 'object' || !Number.isInteger((item as Json).id) || seen.has((item as Json).id)) continue;
      seen.add((item as Json).id);
      out.push({
        ...(item as Json),
        recording_id: record.id ?? null,
        recording_type: typeof record.type === 'string' ? record.type : null,
        project_id: record.project_id ?? record.bucket?.id ?? null,
      });
    }
  }
  return out;
}
