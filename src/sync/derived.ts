/**
 * Streams derived from what other streams write (Stream.derived): which selected derived streams
 * follow the records of each stream. Pure over the declarations and the selection; the engine
 * writes a derived stream's records right after the record they come from.
 */
import type { Stream } from '../streams/stream';

/** Source stream name -> the selected derived streams its written records give records to. */
export function derivedBySource(streams: readonly Stream[], selected: (name: string) => boolean): Map<string, Stream[]> {
  const out = new Map<string, Stream[]>();
  for (const d of streams) {
    if (!d.derived || !selected(d.name)) continue;
    for (const from of d.derived.from) out.set(from, [...(out.get(from) ?? []), d]);
  }
  return out;
}

/**
 * Selected derived streams none of whose sources is selected: they get no record this run
 * (an attachment follows its record, and the record is not written).
 */
export function unfedDerived(streams: readonly Stream[], selected: (name: string) => boolean): Stream[] {
  return streams.filter((d) => d.derived && selected(d.name) && !d.derived.from.some(selected));
}
