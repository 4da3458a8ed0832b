/**
 * The per-record decisions of incremental sync, as a table: each row is one listed record and
 * what the engine does with it (src/sync/record.ts).
 */
import { RecordAction, RecordFacts, decideRecord, endsWalk, leadsToFollowers, marksSeen, recordFacts } from '../../src/sync/record';

const facts = (f: Partial<RecordFacts>): RecordFacts => ({ ...recordFacts(), ownerWrites: true, ...f });

describe('a newest-first walk and its cursor', () => {
  it.each([
    ['newest-first, record below the cursor, walk stops at the cursor: the walk ends', true, true, true],
    ['newest-first, record below the cursor, walk past the cursor: it goes on', false, true, false],
    ['newest-first, record above the cursor: it goes on', true, false, false],
    ['whole list (filtered on the client), record below the cursor: it goes on', false, true, false],
  ])('%s', (_row, stopAtCursor, below, ends) => {
    expect(endsWalk(stopAtCursor, below)).toBe(ends);
  });
});

describe('what is done with one listed record', () => {
  const rows: Array<[string, Partial<RecordFacts>, RecordAction]> = [
    ['changed since the cursor: write, fan out', { below: false }, 'write'],
    ['unchanged since the cursor (walk past the cursor, or a whole list): fan out, do not write', { below: true }, 'pass'],
    ['unchanged, but the job writes whatever the cursor says (a record an event names): write', { below: true, force: true }, 'write'],
    ['changed, but not selected here (a parent read on the way, an archived walk passing through): fan out, do not write', { ownerWrites: false }, 'pass'],
    ['changed, in the window a resumed walk wrote already: fan out, do not write again', { resumed: true }, 'pass'],
    [
      'a parent read for its counts, in a status no listing of its stream serves: not written (a full sync cannot write it)',
      { shown: true, force: true, unlisted: true },
      'pass',
    ],
    ['a parent read for its counts, in a status its listings serve: written', { shown: true, force: true }, 'write'],
    ['a listing lacking a field whose records are read here: read its own endpoint instead', { missingField: true }, 'read-incomplete'],
    ['a show lacking that field: written as it is', { missingField: true, shown: true }, 'write'],
    ['written with its whole subtree by the run this one resumes: skip it and what is below', { doneBefore: true }, 'done-before'],
    ['listed by another source this run (written once a run): skip it', { duplicate: true }, 'duplicate'],
    ['a stream written from its show, changed: read the show', { hasShow: true }, 'read-show'],
    ['a stream written from its show, unchanged: fan out without the show', { hasShow: true, below: true }, 'fan-out'],
    ['a stream written from its show, unchanged, embedding records read here: read the show', { hasShow: true, below: true, readsEmbedded: true }, 'read-show'],
    ['a project new to the replica, however old: read the show', { hasShow: true, below: true, newToReplica: true }, 'read-show'],
    ['the show itself: write it', { hasShow: true, shown: true }, 'write'],
    ['the show itself, unchanged: fan out, do not write', { hasShow: true, shown: true, below: true }, 'pass'],
    ['walk record of another stream, incremental, unchanged: fan out, do not write', { ownedByOther: true, ownerIncremental: true, below: true }, 'pass'],
    ['walk record of another stream, full-table, unchanged: write it (full-table streams are written every run)', { ownedByOther: true, below: true }, 'write'],
    ['walk record of another stream not selected: fan out, do not write', { ownedByOther: true, ownerWrites: false }, 'pass'],
  ];
  it.each(rows)('%s', (_row, f, action) => {
    expect(decideRecord(facts(f))).toBe(action);
  });

  it('a record goes on (and counts as seen for streams written once a run) unless skipped or read elsewhere', () => {
    const seen = (['read-incomplete', 'done-before', 'duplicate', 'read-show', 'fan-out', 'write', 'pass'] as RecordAction[]).filter(marksSeen);
    expect(seen).toEqual(['read-show', 'fan-out', 'write', 'pass']);
  });
});

describe('whether what follows a record’s writes (an upload’s versions) is read below it', () => {
  const rows: Array<[string, Partial<RecordFacts>, boolean]> = [
    ['changed since the cursor, written: read', { below: false }, true],
    ['unchanged, passed by a walk going past its cursor: not read', { below: true }, false],
    ['unchanged, but written whatever the cursor says: read', { below: true, force: true }, true],
    ['changed, its stream not written here (not selected, an archived walk passing through): read', { ownerWrites: false }, true],
    ['changed, in the window the run this one resumes wrote (it may have stopped before its children): read', { resumed: true }, true],
    ['written with its subtree by the run this one resumes: not read', { doneBefore: true }, false],
    ['listed by another source this run: not read', { duplicate: true }, false],
    ['a stream written from its show, unchanged: not read (the show is not read either)', { hasShow: true, below: true }, false],
    ['a stream written from its show, changed: not read from the listing (the show leads to it)', { hasShow: true }, false],
  ];
  it.each(rows)('%s', (_row, f, read) => {
    const all = facts(f);
    expect(leadsToFollowers(decideRecord(all), all)).toBe(read);
  });
});
