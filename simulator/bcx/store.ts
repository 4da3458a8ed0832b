/**
 * The bcx account's rows and their indexes. The simulated clock is shared with the bc3
 * account (one Basecamp, one "now"): the store reads and moves the holder's `clock`.
 */
import { BAttachment, BCalendar, BEvent, BGroup, BID, BPerson, BProject, BRec, Bucket, RecKind } from './model';

export interface ClockHolder {
  clock: number;
}

export class BcxStore {
  name = '';
  people: BPerson[] = [];
  projects: BProject[] = []; // creation order (projects, drafts and templates)
  calendars: BCalendar[] = [];
  groups: BGroup[] = []; // top-level groups; subgroups hang below them
  /** Every event, oldest first (ids grow with created_at). */
  events: BEvent[] = [];
  /** Rows of each kind, in creation order. */
  private byKind = new Map<RecKind, BRec[]>();
  private recs: (BRec | undefined)[] = [];
  private atts: (BAttachment | undefined)[] = [];
  private personById = new Map<number, BPerson>();
  private projectById = new Map<number, BProject>();
  private calendarById = new Map<number, BCalendar>();
  private groupById = new Map<number, BGroup>();
  private topics = new Map<number, BRec>();
  private next = { ...BID };
  /** Bumped by every change (mutations and clock moves); list caches compare against it. */
  version = 0;

  constructor(readonly clockHolder: ClockHolder) {}

  get clock(): number {
    return this.clockHolder.clock;
  }
  set clock(v: number) {
    this.clockHolder.clock = v;
  }

  id(space: keyof typeof BID): number {
    return this.next[space]++;
  }

  addRec(r: BRec): BRec {
    this.recs[r.id - BID.rec] = r;
    let list = this.byKind.get(r.kind);
    if (!list) this.byKind.set(r.kind, (list = []));
    list.push(r);
    if (r.parent) r.parent.addChild(r);
    else r.bucket.recs.push(r);
    return r;
  }
  rec(id: number): BRec | undefined {
    return this.recs[id - BID.rec];
  }
  kind(k: RecKind): BRec[] {
    return this.byKind.get(k) ?? [];
  }
  /** Give a row its topic (a message at once, anything else at its first comment). */
  topicFor(r: BRec): void {
    if (r.topicId !== 0 || r.bucket instanceof BCalendar) return;
    r.topicId = this.id('topic');
    this.topics.set(r.topicId, r);
  }
  topic(id: number): BRec | undefined {
    return this.topics.get(id);
  }
  addAttachment(a: BAttachment): void {
    this.atts[a.id - BID.attachment] = a;
    (a.attachable.attachments ??= []).push(a);
    a.project.attachments.push(a);
  }
  attachment(id: number): BAttachment | undefined {
    return this.atts[id - BID.attachment];
  }
  addPerson(p: BPerson): void {
    this.people.push(p);
    this.personById.set(p.id, p);
  }
  person(id: number): BPerson | undefined {
    return this.personById.get(id);
  }
  /** The caller (/people/me.json): the account owner. */
  get me(): BPerson {
    return this.people[0] as BPerson;
  }
  addProject(p: BProject): void {
    this.projects.push(p);
    this.projectById.set(p.id, p);
  }
  project(id: number): BProject | undefined {
    return this.projectById.get(id);
  }
  addCalendar(c: BCalendar): void {
    this.calendars.push(c);
    this.calendarById.set(c.id, c);
  }
  calendar(id: number): BCalendar | undefined {
    return this.calendarById.get(id);
  }
  addGroup(g: BGroup): void {
    if (g.parent) g.parent.subgroups.push(g);
    else this.groups.push(g);
    this.groupById.set(g.id, g);
  }
  group(id: number): BGroup | undefined {
    return this.groupById.get(id);
  }
  addEvent(e: BEvent): void {
    this.events.push(e);
    e.creator.eventCount++;
    if (e.created > e.creator.lastEvent) e.creator.lastEvent = e.created;
  }
  /** The bucket's events are listed: not for trashed projects or templates. */
  listed(b: Bucket): boolean {
    return !(b instanceof BProject) || (b.state !== 'trashed' && b.kind !== 'template');
  }
}
