/**
 * The account's rows and their indexes. Ids are handed out from per-type ranges that
 * never overlap, so every id is unique across the account (and well below 2^53).
 */
import { EventFeed } from './feed';
import { AccountInfo, Category, Kind, Marker, Person, Project, Rec, TimelineEvent } from './model';

export const ID_BASE = {
  category: 823_000_000,
  person: 1_049_000_000,
  recording: 1_069_000_000, // recordings are looked up by (id - base) in a dense array
  event: 1_171_000_000,
  project: 2_085_000_000,
  company: 1_033_000_000,
  marker: 1,
};

/** Simulated "now" when the simulator starts; generated data lies in the two years before it. */
export const CLOCK_START = Date.parse('2026-11-01T00:00:00.000Z');

export class Store {
  account!: AccountInfo;
  people: Person[] = [];
  projects: Project[] = []; // creation order
  templates: Project[] = [];
  markers: Marker[] = [];
  events: TimelineEvent[] = [];
  /** Basecamp 5's account event feed (GET /events.json): what the mutations record there. */
  feed = new EventFeed();
  /** An upload's file versions, oldest first, once something replaced its first file (simulator/versions.ts). */
  uploadVersions = new Map<number, import('./versions').UploadVersion[]>();
  /** A recording's events, oldest first, once a mutation appended one (simulator/history.ts). */
  recordingEvents = new Map<number, import('./history').RecordingEvent[]>();
  /** Events appended so far (their ids count on from a base). */
  appendedEvents = 0;
  /** Every recording of each kind, in creation order (the recordings endpoint scans these). */
  byKind = new Map<Kind, Rec[]>();
  private recs: (Rec | undefined)[] = [];
  private personById = new Map<number, Person>();
  private projectById = new Map<number, Project>();
  private categoryById = new Map<number, Category>();
  private nextId = { ...ID_BASE };
  /** Bumped by every mutation; list caches compare against it. */
  version = 0;
  clock = CLOCK_START;

  id(space: keyof typeof ID_BASE): number {
    return this.nextId[space]++;
  }

  addRec(r: Rec): Rec {
    this.recs[r.id - ID_BASE.recording] = r;
    let list = this.byKind.get(r.kind);
    if (!list) this.byKind.set(r.kind, (list = []));
    list.push(r);
    if (r.parent && r.kind !== 'timesheet_entry') r.parent.addChild(r);
    return r;
  }
  rec(id: number): Rec | undefined {
    return this.recs[id - ID_BASE.recording];
  }
  kind(k: Kind): Rec[] {
    return this.byKind.get(k) ?? [];
  }
  addPerson(p: Person): void {
    this.people.push(p);
    this.personById.set(p.id, p);
  }
  person(id: number): Person | undefined {
    return this.personById.get(id);
  }
  addProject(p: Project): void {
    (p.isTemplate ? this.templates : this.projects).push(p);
    this.projectById.set(p.id, p);
  }
  /** A project (not a template) by id. */
  project(id: number): Project | undefined {
    const p = this.projectById.get(id);
    return p && !p.isTemplate ? p : undefined;
  }
  template(id: number): Project | undefined {
    const p = this.projectById.get(id);
    return p && p.isTemplate ? p : undefined;
  }
  addCategory(c: Category): void {
    c.project.categories.push(c);
    this.categoryById.set(c.id, c);
  }
  category(id: number): Category | undefined {
    return this.categoryById.get(id);
  }
  addEvent(e: TimelineEvent): void {
    this.events.push(e);
    e.project.events.push(e);
  }
  recordCount(): number {
    let n = 0;
    for (const l of this.byKind.values()) n += l.length;
    return n;
  }
}
