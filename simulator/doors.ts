/** What the simulator's project links ("doors") point at. */
import { hash32 } from './rng';

/** The services a project link ("door") may point at: its title, link and the service struct's fields. */
const DOOR_SERVICES = [
  {
    title: 'Design system',
    name: 'Figma',
    code: 'figma',
    link: 'https://www.figma.com/file',
    example: 'https://www.figma.com/file/aGVsbG8',
    pattern: '(.*?\\.)?figma\\.com(\\/.*)?',
    supporting: 'a file or project on Figma',
  },
  {
    title: 'Source code',
    name: 'GitHub',
    code: 'github',
    link: 'https://github.com/example',
    example: 'https://github.com/basecamp/bc3-api',
    pattern: '(.*?\\.)?github\\.com(\\/.*)?',
    supporting: 'a repository on GitHub',
  },
  {
    title: 'Shared drive',
    name: 'Google Drive',
    code: 'google_drive',
    link: 'https://drive.google.com/drive/folders',
    example: 'https://drive.google.com/drive/folders/abc',
    pattern: 'drive\\.google\\.com(\\/.*)?',
    supporting: 'a folder on Google Drive',
  },
  {
    title: 'Team board',
    name: 'Trello',
    code: 'trello',
    link: 'https://trello.com/b',
    example: 'https://trello.com/b/abc/board',
    pattern: '(.*?\\.)?trello\\.com(\\/.*)?',
    supporting: 'a board on Trello',
  },
] as const;
export function doorService(seed: number): (typeof DOOR_SERVICES)[number] {
  return DOOR_SERVICES[hash32(seed, 90) % DOOR_SERVICES.length]!;
}
