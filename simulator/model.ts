/**
 * Compact in-memory rows. Payloads are never stored: every record keeps a handful of
 * numbers and references, and render.ts builds the JSON on request. This keeps a
 * 1M-record account to a few hundred MB and lets mutations show up everywhere at once.
 */

export type Status = 'active' | 'archived' | 'trashed';
export const STATUSES: readonly Status[] = ['active', 'archived', 'trashed'];

/** Dock tools, in dock order. */
export const TOOL_KINDS = ['message_board', 'todoset', 'vault', 'chat', 'schedule', 'questionnaire', 'inbox', 'kanban_board'] as const;
export type ToolKind = (typeof TOOL_KINDS)[number];

export type Kind =
  | ToolKind
  | 'message'
  | 'todolist'
  | 'group'
  | 'todo'
  | 'schedule_entry'
  | 'document'
  | 'upload'
  | 'comment'
  | 'question'
  | 'answer'
  | 'forward'
  | 'inbox_reply'
  | 'client_board'
  | 'approval'
  | 'correspondence'
  | 'client_reply'
  | 'column'
  | 'card'
  | 'step'
  | 'gauge'
  | 'needle'
  | 'timesheet_entry'
  | 'line'
  | 'door'
  | 'google_document'
  | 'cloud_file';

/** Bits of Rec.flags. */
export const F = {
  completed: 1,
  enabled: 2, // dock tool enabled
  allDay: 4,
  recurring: 8,
  nul: 16, // content carries a U+0000 (exactly one message has it)
  visibleToClients: 32,
  paused: 64,
  hasDue: 128,
  hasStart: 256,
  hasFrom: 512,
  avatarV: 1024,
} as const;

/** Column subtypes (Rec.extra of a column). */
export const COLUMN_TYPES = ['Kanban::Triage', 'Kanban::NotNowColumn', 'Kanban::Column', 'Kanban::DoneColumn'] as const;

export class Person {
  cache: object | null = null; // rendered person object, reused in every creator/assignee
  json: string | null = null; // its JSON text, spliced into HTTP responses
  updated: number;
  rev = 0;
  constructor(
    public id: number,
    public seed: number,
    public name: string,
    public email: string | null,
    public personableType: 'User' | 'Client' | 'DummyUser' | 'Outsider',
    public hasTitle: boolean,
    public hasBio: boolean,
    public hasLocation: boolean,
    public created: number,
    public admin: boolean,
    public owner: boolean,
    public employee: boolean,
    public timeZone: string,
    public company: { id: number; name: string } | null,
  ) {
    this.updated = created;
  }
}

/** One recording (any Basecamp object with a status, parent and bucket). */
export class Rec {
  rev = 0;
  children: Rec[] | null = null;
  constructor(
    public id: number,
    public kind: Kind,
    public project: Project,
    public parent: Rec | null,
    public creator: Person,
    public created: number,
    public updated: number,
    public status: Status,
    public seed: number,
    public pos: number, // position among siblings (0 = the payload has none)
    public flags: number,
    public extra: number, // kind-specific small number (column type, upload file, hours*4, ...)
    public extra2: number, // kind-specific timestamp or offset (completion time, starts_at, due date ...)
  ) {}
  has(flag: number): boolean {
    return (this.flags & flag) !== 0;
  }
  addChild(r: Rec): void {
    (this.children ??= []).push(r);
  }
}

export class Category {
  rev = 0;
  constructor(
    public id: number,
    public project: Project,
    public idx: number,
    public created: number,
    public updated: number,
  ) {}
}

export class TimelineEvent {
  constructor(
    public id: number,
    public project: Project,
    public kind: string,
    public created: number,
    public creator: Person,
    public target: Rec | null, // the recording the event is about (null for project_access_changed)
    public subject: Person | null, // person whose access changed, for project_access_changed
    public access: 'granted' | 'removed' = 'granted', // how it changed, for project_access_changed
  ) {}
}

export class Marker {
  rev = 0;
  constructor(
    public id: number,
    public seed: number,
    public date: number,
    public created: number,
    public updated: number,
  ) {}
}

/** A project or a template (both are buckets with a dock). */
export class Project {
  rev = 0;
  updated: number;
  dock: Rec[] = []; // tool recordings, in dock order (enabled flag + position on each)
  members: Person[] = [];
  /**
   * Members at generation (or creation); assignees and the like are drawn from these, so later
   * joins and removals never change old payloads.
   */
  roster: Person[] = [];
  categories: Category[] = [];
  gauge: Rec | null = null;
  clientBoard: Rec | null = null;
  timesheet: Rec[] = [];
  events: TimelineEvent[] = [];
  bucketStub: { id: number; name: string; type: string };
  constructor(
    public id: number,
    public idx: number,
    public isTemplate: boolean,
    public name: string,
    public seed: number,
    public status: Status,
    public created: number,
    public purpose: string,
    public clientsEnabled: boolean,
    public timesheetEnabled: boolean,
    public color: string | null,
    public clientCompany: { id: number; name: string } | null,
  ) {
    this.updated = created;
    this.bucketStub = { id, name, type: 'Project' };
  }
  tools(kind: ToolKind): Rec[] {
    return this.dock.filter((t) => t.kind === kind);
  }
}

export interface AccountInfo {
  id: number;
  name: string;
  created: number;
  updated: number;
  rev: number;
}

/** Dock titles ("To-dos", "Roadmap 🗺️"...) of tool recordings; few enough to keep aside. */
export const toolTitles = new WeakMap<Rec, string>();
