/**
 * The bodies of what people write: messages, documents, uploads, comments, replies, campfire
 * lines, email forwards and client approvals and correspondences, after the head every recording
 * shares; keys in the order of the documented examples.
 */
import { F, Rec } from './model';
import type { RecordingBody, Renderer } from './render';
import { countActive, Obj } from './render-util';
import { hash32, pickH } from './rng';
import * as T from './text';
import { currentFile, fileOf } from './versions';

/** Subscription, comments and boosts: the social urls of most posts. */
export function social(x: Renderer, o: Obj, r: Rec): void {
  x.subscription(o, r);
  x.comments(o, r);
  x.boosts(o, r);
}

/** Rich text without embedded files. */
function plainContent(o: Obj, html: string): void {
  o.content = html;
  o.content_attachments = [];
}

function message(x: Renderer, o: Obj, r: Rec): void {
  social(x, o, r);
  x.tail(o, r);
  const text = T.richText(r.seed, r.rev);
  x.richContent(o, r, r.has(F.nul) ? `<div>Pasted from a Word document:\u0000 see the notes below.</div>${text}` : text);
  o.subject = o.title;
}

function document(x: Renderer, o: Obj, r: Rec): void {
  social(x, o, r);
  o.position = r.pos || null;
  x.tail(o, r);
  x.richContent(o, r, T.richText(r.seed, r.rev));
}

function upload(x: Renderer, o: Obj, r: Rec): void {
  social(x, o, r);
  o.position = r.pos || null;
  x.tail(o, r);
  // The file of its newest version (a replaced file changes them; the title stays).
  const { filename, contentType, byteSize, h } = fileOf(currentFile(x.st, r));
  x.richDescription(o, r, x.richOrEmpty(r, 65, r.rev));
  o.content_type = contentType;
  o.byte_size = byteSize;
  o.filename = filename;
  o.download_url = `${x.base}/buckets/${r.project.id}/uploads/${r.id}/download/${encodeURIComponent(filename)}`;
  o.app_download_url = o.download_url;
  o.width = 64 + (h % 1900);
  o.height = 48 + ((h >>> 11) % 1200);
}

/** The services a cloud file can live on, as the docs' example describes Dropbox. */
const SERVICES = [
  { name: 'Dropbox', code: 'dropbox', host: 'www.dropbox.com/s', pattern: '(.*?\\.)?dropbox\\.com(\\/.*)?', text: 'a file or folder on Dropbox' },
  { name: 'Box', code: 'box', host: 'app.box.com/s', pattern: '(.*?\\.)?box\\.com(\\/.*)?', text: 'a file or folder on Box' },
  { name: 'OneDrive', code: 'onedrive', host: 'onedrive.live.com', pattern: '(.*?\\.)?onedrive\\.live\\.com(\\/.*)?', text: 'a file or folder on OneDrive' },
] as const;

/** A Google document or cloud file: a vault item whose `url` is the service's, not the API's. */
function linkedItem(x: Renderer, o: Obj, r: Rec, externalUrl: string): void {
  o.url = externalUrl;
  social(x, o, r);
  o.position = r.pos || null;
  x.tail(o, r);
  o.description = `<div dir="auto">${T.plainLine(r.seed, r.rev)}</div>`;
  o.description_attachments = [];
}

function googleDocument(x: Renderer, o: Obj, r: Rec): void {
  const code = (r.seed >>> 3).toString(36);
  linkedItem(x, o, r, `https://docs.google.com/document/d/${code}/edit`);
  o.document_type = pickH(['doc', 'sheet', 'slide', 'other'], r.seed, 90);
}

function cloudFile(x: Renderer, o: Obj, r: Rec): void {
  const s = SERVICES[hash32(r.seed, 91) % SERVICES.length] ?? SERVICES[0];
  const file = T.file(r.seed)[0];
  linkedItem(x, o, r, `https://${s.host}/${(r.seed >>> 5).toString(36)}/${encodeURIComponent(file)}`);
  o.service = { name: s.name, example_url: `https://${s.host}/abcd1234/example.pdf`, code: s.code, valid_patterns: [s.pattern], supporting_text: s.text };
}

function comment(x: Renderer, o: Obj, r: Rec): void {
  x.boosts(o, r);
  x.tail(o, r);
  x.richContent(o, r, T.richText(r.seed, r.rev));
}

function inboxReply(x: Renderer, o: Obj, r: Rec): void {
  x.boosts(o, r);
  x.tail(o, r);
  plainContent(o, T.richText(r.seed, r.rev));
}

function line(x: Renderer, o: Obj, r: Rec): void {
  x.boosts(o, r);
  x.tail(o, r);
  o.content = o.title;
}

function clientReply(x: Renderer, o: Obj, r: Rec): void {
  x.tail(o, r);
  plainContent(o, T.richText(r.seed, r.rev));
}

function forward(x: Renderer, o: Obj, r: Rec): void {
  x.subscription(o, r);
  x.tail(o, r);
  const from = r.project.roster[hash32(r.seed, 70) % Math.max(1, r.project.roster.length)] ?? r.creator;
  x.richContent(o, r, `<div>---------- Forwarded message ---------<br>From: ${from.name}<br>Subject: ${o.title as string}</div>${T.richText(r.seed, r.rev)}`);
  o.subject = o.title;
  o.from = r.has(F.hasFrom) ? `${from.name} <${from.email ?? 'someone@example.com'}>` : null;
  o.replies_count = countActive(r.children, 'inbox_reply');
  o.replies_url = `${x.base}/buckets/${r.project.id}/inbox_forwards/${r.id}/replies.json`;
}

/** A client approval or correspondence; an approval also has a due date, a status and an approver. */
function clientPost(x: Renderer, o: Obj, r: Rec): void {
  const approval = r.kind === 'approval';
  x.subscription(o, r);
  x.tail(o, r);
  plainContent(o, r.rev === 0 && hash32(r.seed, 71) % 3 === 0 ? '' : T.richText(r.seed, r.rev));
  o.subject = o.title;
  if (approval) o.due_on = x.dueOn(r);
  o.replies_count = countActive(r.children, 'client_reply');
  o.replies_url = `${x.base}/buckets/${r.project.id}/client/recordings/${r.id}/replies.json`;
  if (approval) {
    o.approval_status = pickH(['pending', 'approved', 'rejected'], r.seed, 72);
    o.approver = x.person(x.st.people[r.extra] ?? r.creator);
  }
}

export const POST_BODIES = {
  message,
  document,
  upload,
  comment,
  inbox_reply: inboxReply,
  line,
  client_reply: clientReply,
  forward,
  approval: clientPost,
  correspondence: clientPost,
  google_document: googleDocument,
  cloud_file: cloudFile,
} satisfies Record<string, RecordingBody>;
