/**
 * Realistic-looking text derived from a record's seed (and revision), so nothing but
 * two integers is stored per record. Includes accents, emoji and HTML rich text
 * because real Basecamp content does.
 */
import { hash32, pickH } from './rng';

export const FIRST_NAMES = [
  'Victor',
  'Annie',
  'Sharon',
  'Jared',
  'Amy',
  'Brian',
  'Cheryl',
  'Matt',
  'Tashia',
  'Steve',
  'Zoë',
  'José',
  'Renée',
  'Björn',
  'Chloé',
  'Łukasz',
  'Siobhán',
  'Nguyễn',
  'Aiko',
  'Mateo',
  'Priya',
  'Olumide',
  'Inés',
  'Søren',
  'Fatima',
  'Dmitri',
  'Camille',
  'Hannah',
  'Kwame',
  'Lucía',
] as const;
export const LAST_NAMES = [
  'Cooper',
  'Bryan',
  'Bradford',
  'Davis',
  'Rivera',
  'Jenks',
  'Walters',
  'Donahue',
  'Hughes',
  'Marsh',
  'Müller',
  'García',
  'Øvergaard',
  'Dubois',
  'Kowalski',
  'O’Brien',
  'Tanaka',
  'Okafor',
  'Silva',
  'Novák',
] as const;
const JOB_TITLES = [
  'Chief Strategist',
  'Central Markets Manager',
  'Principal Branding Administrator',
  'Product Designer',
  'Senior Developer',
  'Account Director',
  'QA Lead',
  'Copywriter ✍️',
  'Operations Coordinator',
  'Head of Support',
  'Directrice artistique',
  'Data Analyst',
] as const;
const BIOS = [
  'Don’t let your dreams be dreams',
  'Coffee first ☕',
  'Ask me about typography.',
  'To open a store is easy, to keep it open is an art',
  'Always shipping 🚢',
  'Café au lait enthusiast',
] as const;
const TAGLINES = [
  'Making the complicated simple',
  'Here to help 🙌',
  'Pixels, coffee, repeat',
  'Ask me about the roadmap',
  'Usually in the Kraków office',
  'Bonne journée ☀️',
  'Writing things down since 2009',
] as const;
const LOCATIONS = ['Chicago, IL', 'São Paulo', 'München', 'Kraków', 'Reykjavík', 'Montréal', 'Tokyo'] as const;
export const TIME_ZONES = ['America/Chicago', 'Europe/Berlin', 'America/Sao_Paulo', 'Asia/Tokyo', 'Etc/UTC'] as const;

const PROJECT_A = ['Leto', 'Aurora', 'Nordlys', 'Café', 'Atlas', 'Kōbō', 'Mistral', 'Piñata', 'Zephyr', 'Orion', 'Façade', 'Helix'] as const;
const PROJECT_B = [
  'Laptop launch',
  'Website redesign',
  'Brand refresh',
  'Onboarding',
  'Mobile app',
  'Rebrand 🎨',
  'Q3 campaign',
  'Hiring',
  'Office move',
  'Newsletter',
  'Help center',
  'Trade show',
] as const;
const PROJECT_DESC = [
  'Laptop product launch.',
  'Everything about the new site — design, copy and QA.',
  '',
  'Getting started on the right foot',
  'Quarterly goals and the road to them 🚀',
  'Clients: Leto Brand & Co.',
] as const;

const VERBS = ['Draft', 'Review', 'Ship', 'Polish', 'Plan', 'Test', 'Update', 'Design', 'Write', 'Schedule', 'Fix', 'Approve', 'Localise', 'Measure'] as const;
const OBJECTS = [
  'the launch checklist',
  'homepage hero copy',
  'pricing table',
  'onboarding emails',
  'press kit',
  'the café menu mock-up',
  'retina screenshots',
  'Q3 budget',
  'release notes',
  'support macros',
  'the naïve Bayes spam filter',
  'résumé screening rubric',
  'logo lock-ups',
  'accessibility audit',
  'Zoë’s feedback',
  'the München offsite agenda',
  'social posts 📣',
  'API docs',
  'invoice template',
] as const;
const SUFFIXES = ['', '', '', ' ✅', ' 🚀', ' (v2)', ' — urgent', ' 🎉', ' for Friday', ' ASAP'] as const;
const SUBJECTS = [
  'We won Leto!',
  'Kickoff notes',
  'Laptop high res glamour shots',
  'Weekly update',
  'Launch retrospective',
  'Ideas for the offsite 🏕️',
  'New brand guidelines',
  'Where we are on the redesign',
  'Heads-up: holiday schedule',
  'Résumés for the design role',
  'Customer feedback round-up',
  'Déjà vu: the budget again 💸',
] as const;
const SENTENCES = [
  'Great job everyone, this is huge for us!',
  'Can we move this to next week?',
  'I pushed a new version — have a look.',
  'Looks good to me 👍',
  'Let’s sync on this tomorrow at 10.',
  'The client loved it. Merci beaucoup!',
  'I’m not sure the copy lands yet; thoughts?',
  'Numbers are up 12% since the launch 📈',
  'Added the files to Docs & Files.',
  'Could someone double-check the naïve estimate?',
  'Thanks, Zoë! That’s exactly what we needed.',
  'Ship it 🚢',
  'Blocked on the API keys, waiting on IT.',
  'We should loop in the São Paulo team.',
  'Here is the summary from the call with Björn.',
  'Je pense que c’est prêt.',
  'Hmm, the colours look off on mobile.',
] as const;
const DOC_TITLES = [
  'Project Tool Tips',
  'New Hire Info, Benefits Summary, and Forms',
  'Brand voice',
  'Meeting notes',
  'Launch plan',
  'Style guide — typographie',
  'FAQ',
  'Research summary 🔬',
  'Budget rationale',
  'Retro notes',
] as const;
const FILES = [
  ['company-logo.png', 'image/png'],
  ['hero-shot.jpg', 'image/jpeg'],
  ['brief.pdf', 'application/pdf'],
  ['budget-2026.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
  ['café-menu.png', 'image/png'],
  ['wireframes.pdf', 'application/pdf'],
  ['team-photo.jpg', 'image/jpeg'],
  ['notes.txt', 'text/plain'],
] as const;
const VAULT_TITLES = ['HR Stuff', 'Design assets', 'Contracts', 'Research', 'Photos 📷', 'Archive', 'Brand', 'Legal'] as const;
const CHAT_LINES = [
  "I'm hungry",
  'Lunch? 🌮',
  'Deploy is green ✅',
  'Who has the Figma link?',
  'brb',
  'Good morning ☀️',
  'Nice work on the release!',
  'Can someone review my PR?',
  'Ça marche !',
  'Standup in 5',
  'lol 😂',
  'Merging now',
] as const;
const QUESTIONS = [
  'What did you work on today?',
  'What will you work on this week?',
  'Anything blocking you?',
  'What’s inspiring you lately? ✨',
  'How are you feeling about the project?',
] as const;
const SCHEDULE = [
  'Team Meeting',
  'Launch day 🚀',
  'Client review',
  'Offsite in Reykjavík',
  'Sprint planning',
  'Demo day',
  'Holiday 🏖️',
  'Board meeting',
] as const;
const COLUMN_TITLES = ['Figuring it out', 'In progress', 'Review', 'Waiting on client', 'QA'] as const;
const CARD_TITLES = [
  'New and fancy UI',
  'Bug: login loop',
  'Pricing page',
  'Dark mode 🌙',
  'Export to CSV',
  'Onboarding tour',
  'Faster search',
  'Emoji reactions 😀',
] as const;
const STEP_TITLES = ['Find inspiration', 'Sketch', 'Build it', 'Review with team', 'Write tests', 'Ship'] as const;
const NEEDLES = ['Moved the needle', 'Design phase wrapping up', 'Halfway there', 'Kick-off done', 'Almost ready to ship 🚢'] as const;
export const CATEGORIES = [
  ['Announcement', '📢'],
  ['FYI', '✨'],
  ['Pitch', '💡'],
  ['Question', '❓'],
  ['Heartbeat', '❤️'],
  ['Update', '🔄'],
] as const;
const MARKERS = ['Anniversary', 'Launch 🚀', 'Company offsite', 'Fiscal year start', 'Holiday party 🎄', 'Board meeting'] as const;
const TEMPLATES = ['Honcho Onboarding', 'Client project', 'Product launch 🚀', 'Event planning', 'Hiring pipeline', 'Modèle de projet'] as const;
const TIMESHEET = ['Team Meeting Prep', 'Design review', 'Client call', 'Bug fixing', 'Copy edits', 'Research'] as const;
export const COMPANIES = ['Honcho Design', 'Leto Brand', 'Nordlys AB', 'Café Olé S.A.', 'Kōbō Studio', 'Atlas & Co.'] as const;

/** A rev (number of edits) shows up as a visible change in the edited text. */
function edited(s: string, rev: number): string {
  return rev > 0 ? `${s} (edit ${rev})` : s;
}

export function personName(seed: number): string {
  return `${pickH(FIRST_NAMES, seed, 1)} ${pickH(LAST_NAMES, seed, 2)}`;
}
export function jobTitle(seed: number, rev: number): string {
  return edited(pickH(JOB_TITLES, seed, 3), rev);
}
export function bio(seed: number): string {
  return pickH(BIOS, seed, 4);
}
export function tagline(seed: number): string {
  return pickH(TAGLINES, seed, 6);
}
export function location(seed: number): string {
  return pickH(LOCATIONS, seed, 5);
}
export function projectName(seed: number, n: number): string {
  // n keeps names distinct across a large account.
  const base = `${PROJECT_A[n % PROJECT_A.length]} ${pickH(PROJECT_B, seed, 7)}`;
  return n < PROJECT_A.length ? base : `${base} #${n}`;
}
export function projectDescription(seed: number, rev: number): string {
  return edited(pickH(PROJECT_DESC, seed, 8), rev);
}
export function templateName(seed: number, n: number): string {
  const base = pickH(TEMPLATES, seed, 9);
  return n < TEMPLATES.length ? base : `${base} #${n}`;
}
export function taskTitle(seed: number, rev: number): string {
  return edited(`${pickH(VERBS, seed, 10)} ${pickH(OBJECTS, seed, 11)}${pickH(SUFFIXES, seed, 12)}`, rev);
}
export function listTitle(seed: number, rev: number): string {
  const names = [
    'Background and research',
    'Strategy ideas',
    'Launch checklist ✅',
    'Design',
    'Copy & content',
    'QA',
    'Ping pong tournament 🏓',
    'Client deliverables',
    'Marketing',
    'Hiring',
  ];
  return edited(pickH(names, seed, 13), rev);
}
export function groupTitle(seed: number, rev: number): string {
  return edited(`Group ${'ABCDEF'[hash32(seed, 14) % 6]}`, rev);
}
export function subject(seed: number, rev: number): string {
  return edited(pickH(SUBJECTS, seed, 15), rev);
}
export function sentence(seed: number, salt: number): string {
  return pickH(SENTENCES, seed, salt);
}
/** HTML rich text of 1..3 paragraphs, like Basecamp's trix output. */
export function richText(seed: number, rev: number): string {
  const n = 1 + (hash32(seed, 16) % 3);
  const parts: string[] = [];
  for (let i = 0; i < n; i++) {
    const s = sentence(seed, 20 + i);
    const style = hash32(seed, 30 + i) % 4;
    parts.push(style === 0 ? `<strong>${s}</strong>` : style === 1 ? `${s} <a href="https://example.com/${i}">link</a>` : s);
  }
  let html = `<div>${parts.join('<br><br>')}</div>`;
  if (rev > 0) html += `<div>Edited (revision ${rev}).</div>`;
  return html;
}
/** An image embedded in rich text, as Basecamp's editor writes it: the <bc-attachment> wraps a preview figure. */
export function attachmentTag(a: Record<string, unknown>): string {
  const attrs = `sgid="${String(a.sgid)}" content-type="${String(a.content_type)}" url="${String(a.preview_url)}" href="${String(a.download_url)}" filename="${String(a.filename)}" filesize="${String(a.byte_size)}" width="${String(a.width)}" height="${String(a.height)}" previewable="true"`;
  return `<bc-attachment ${attrs}><figure><img src="${String(a.preview_url)}"><figcaption>${String(a.filename)}</figcaption></figure></bc-attachment>`;
}
export function plainLine(seed: number, rev: number): string {
  return edited(pickH(CHAT_LINES, seed, 17), rev);
}
export function docTitle(seed: number, rev: number): string {
  return edited(pickH(DOC_TITLES, seed, 18), rev);
}
export function file(seed: number): readonly [string, string] {
  return pickH(FILES, seed, 19);
}
export function vaultTitle(seed: number, rev: number): string {
  return edited(pickH(VAULT_TITLES, seed, 40), rev);
}
export function questionTitle(seed: number, rev: number): string {
  return edited(pickH(QUESTIONS, seed, 41), rev);
}
export function scheduleTitle(seed: number, rev: number): string {
  return edited(pickH(SCHEDULE, seed, 42), rev);
}
export function columnTitle(seed: number, rev: number): string {
  return edited(pickH(COLUMN_TITLES, seed, 43), rev);
}
export function cardTitle(seed: number, rev: number): string {
  return edited(pickH(CARD_TITLES, seed, 44), rev);
}
export function stepTitle(seed: number, rev: number): string {
  return edited(pickH(STEP_TITLES, seed, 45), rev);
}
export function needleText(seed: number, rev: number): string {
  return edited(pickH(NEEDLES, seed, 46), rev);
}
export function markerName(seed: number, rev: number): string {
  return edited(pickH(MARKERS, seed, 47), rev);
}
export function timesheetText(seed: number, rev: number): string {
  return edited(pickH(TIMESHEET, seed, 48), rev);
}
export function forwardSubject(seed: number, rev: number): string {
  const s = ['Can we make the logo pop?', 'Fwd: invoice #4711', 'Fwd: Vertrag — bitte prüfen', 'Fwd: Photos from the shoot 📸', 'Fwd: Press inquiry'];
  return edited(pickH(s, seed, 49), rev);
}
export function firstName(name: string): string {
  return name.split(' ')[0] ?? name;
}
/** "Victor C." as Basecamp abbreviates people in timeline events. */
export function shortName(name: string): string {
  const [a, b] = name.split(' ');
  return b ? `${a} ${b[0]}.` : name;
}
