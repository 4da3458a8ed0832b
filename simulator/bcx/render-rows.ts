/**
 * Payload builders for the Basecamp 2 account's content rows, as render.ts describes: their
 * paths, titles and references, files and attachments, comments, topics and messages.
 * BcxRenderer (render.ts) adds to-dos, documents, uploads, forwards, calendar events and events.
 */
import { BAttachment, BPerson, BRec, REC_TYPE } from './model';
import { BcxAccountRenderer } from './render-account';
import { edited, plain, ts } from './render-format';
import * as V from './views';
import { hash32, hexDigest, pickH } from '../rng';
import * as T from '../text';

type Obj = Record<string, unknown>;

const FILE_TAGS = ['favorite gifs', 'reports', 'writing', 'logos', 'final ✅', 'contrats'] as const;
const LINKED = [
  ['Business ponderings', 'document', 'application/vnd.google-apps.document'],
  ['Budget 2027', 'spreadsheet', 'application/vnd.google-apps.spreadsheet'],
  ['Pitch deck', 'presentation', 'application/vnd.google-apps.presentation'],
] as const;

/** Paths, titles and references of the content rows; their files, comments, topics and messages. */
export class BcxRowRenderer extends BcxAccountRenderer {
  // ---------- rows: paths, titles, references ----------
  path(r: BRec): string {
    const b = this.bucketPath(r.bucket);
    switch (r.kind) {
      case 'message':
        return `${b}/messages/${r.id}`;
      case 'todolist':
        return `${b}/todolists/${r.id}`;
      case 'todo':
        return `${b}/todos/${r.id}`;
      case 'document':
        return `${b}/documents/${r.id}`;
      case 'upload':
        return `${b}/uploads/${r.id}`;
      case 'calendar_event':
        return `${b}/calendar_events/${r.id}`;
      case 'forward':
        return `${b}/forwards/${r.id}`;
      case 'comment':
        return `${b}/comments/${r.id}`;
    }
  }
  url(r: BRec): string {
    return `${this.api}/${this.path(r)}.json`;
  }
  appUrl(r: BRec): string {
    return `${this.app}/${this.path(r)}`;
  }
  reference(r: BRec): Obj {
    return { id: r.id, type: REC_TYPE[r.kind], url: this.url(r), app_url: this.appUrl(r) };
  }
  /** A record's title (at revision `rev`: an event names the record as it was then). */
  title(r: BRec, rev = r.rev): string {
    const s = r.seed;
    switch (r.kind) {
      case 'message':
        return T.subject(s, rev);
      case 'todolist':
        return T.listTitle(s, rev);
      case 'todo':
        return T.taskTitle(s, rev);
      case 'document':
        return T.docTitle(s, rev);
      case 'upload':
        return this.file(r.attachments?.[0] ?? null, s).name;
      case 'calendar_event':
        return T.scheduleTitle(s, rev);
      case 'forward':
        return T.forwardSubject(s, rev);
      case 'comment':
        return r.parent ? this.title(r.parent, rev) : '';
    }
  }
  commentText(c: BRec): string {
    return edited(T.sentence(c.seed, 60), c.rev);
  }
  protected subscribers(r: BRec): Obj[] {
    const b = r.bucket;
    const picked: BPerson[] = [r.creator];
    const n = hash32(r.seed, 70) % 3;
    for (let i = 0; i < n && b.baseAccesses > 0; i++) {
      const m = (b.accesses[hash32(r.seed, 71 + i) % b.baseAccesses] as { person: BPerson }).person;
      if (!picked.includes(m)) picked.push(m);
    }
    for (const c of V.comments(r)) if (!picked.includes(c.creator)) picked.push(c.creator);
    return picked.map((p) => this.ref(p));
  }

  // ---------- files ----------
  private file(a: BAttachment | null, seed: number): { name: string; type: string; size: number; key: string } {
    const s = a ? a.seed : seed;
    const [name, type] = T.file(s);
    return { name, type, size: 1_000 + (hash32(s, 80) % 2_000_000), key: hexDigest(a ? a.id : seed) };
  }
  private fileUrls(a: BAttachment): { url: string; app: string; thumb: string } {
    const f = this.file(a, 0);
    const p = `projects/${a.project.id}/attachments/${a.id}/${f.key}`;
    const ext = f.type === 'image/jpeg' ? 'jpg' : f.type === 'image/gif' ? 'gif' : 'png';
    return {
      url: `${this.api}/${p}/original/${encodeURIComponent(f.name)}`,
      app: `${this.app}/${p}/original/${encodeURIComponent(f.name)}`,
      thumb: `${this.app}/${p}/thumbnail.${ext}`,
    };
  }
  /** The short file form embedded in uploads and comments (no id). */
  fileForm(a: BAttachment): Obj {
    const f = this.file(a, 0);
    const u = this.fileUrls(a);
    return {
      key: f.key,
      name: f.name,
      byte_size: f.size,
      content_type: f.type,
      created_at: ts(a.created),
      url: u.url,
      app_url: u.app,
      creator: this.creator(a.creator),
    };
  }
  protected files(r: BRec): Obj[] {
    return (r.attachments ?? []).filter((a) => !a.trashed).map((a) => this.fileForm(a));
  }
  /** /projects/P/attachments.json items and /projects/P/attachments/ID.json. */
  attachment(a: BAttachment): Obj {
    const tags = hash32(a.seed, 81) % 3 === 0 ? [] : [pickH(FILE_TAGS, a.seed, 82)];
    const head: Obj = { id: a.id };
    if (a.linked) {
      const [name, linkedType, type] = pickH(LINKED, a.seed, 83);
      Object.assign(head, {
        name,
        byte_size: 0,
        content_type: type,
        linked_source: 'google',
        linked_type: linkedType,
        link_url: `https://docs.google.com/${linkedType}/d/${hexDigest(a.id)}`,
        created_at: ts(a.created),
        updated_at: ts(a.updated),
      });
    } else {
      const f = this.file(a, 0);
      const u = this.fileUrls(a);
      Object.assign(head, {
        key: f.key,
        name: f.name,
        byte_size: f.size,
        content_type: f.type,
        created_at: ts(a.created),
        updated_at: ts(a.updated),
        url: u.url,
        app_url: u.app,
        thumbnail_url: u.thumb,
      });
    }
    head.private = V.isPrivate(a.attachable);
    head.trashed = a.trashed || a.attachable.trashed;
    head.tags = tags;
    head.creator = this.creator(a.creator);
    head.attachable = this.reference(a.attachable);
    return head;
  }

  // ---------- comments ----------
  comment(c: BRec): Obj {
    return {
      id: c.id,
      content: this.commentText(c),
      created_at: ts(c.created),
      updated_at: ts(c.updated),
      attachments: this.files(c),
      creator: this.creator(c.creator),
    };
  }
  protected comments(r: BRec): Obj[] {
    return V.comments(r).map((c) => this.comment(c));
  }

  // ---------- topics ----------
  topic(r: BRec, accountWide = false): Obj {
    const last = V.latestComment(r);
    const excerpt = last ? this.commentText(last) : r.kind === 'message' ? plain(T.richText(r.seed, r.rev)) : this.title(r);
    const o: Obj = {
      id: r.topicId,
      title: this.title(r),
      excerpt: excerpt.length > 100 ? `${excerpt.slice(0, 99)}…` : excerpt,
      created_at: ts(r.created),
      updated_at: ts(V.topicUpdated(r)),
      attachments: V.topicAttachments(r),
      private: V.isPrivate(r),
      trashed: r.trashed,
      last_updater: this.ref(last ? last.creator : (r.who ?? r.creator)),
      topicable: this.reference(r),
    };
    this.listBucket(o, r.bucket, accountWide);
    return o;
  }

  // ---------- messages ----------
  message(m: BRec): Obj {
    return {
      id: m.id,
      subject: this.title(m),
      created_at: ts(m.created),
      updated_at: ts(m.updated),
      content: T.richText(m.seed, m.rev),
      private: V.isPrivate(m),
      trashed: m.trashed,
      creator: this.creator(m.creator),
      comments: this.comments(m),
      subscribers: this.subscribers(m),
    };
  }
}
