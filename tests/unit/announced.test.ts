/**
 * Which timeline events lead to a Google document's or a cloud file's show: any whose API `url`
 * points at one, whatever the event's kind (the docs do not say which kinds announce them).
 */
import { announcedAt, STREAMS_BY_NAME } from '../../src/streams';
import { streamsByType } from '../../src/sync/parents';

const BASE = 'https://3.basecampapi.com/195539477';

describe('announcedAt', () => {
  it.each([
    ['its own kind', { kind: 'google_document_created', url: `${BASE}/buckets/1/google_documents/7.json` }, ['/google_documents/7.json'], []],
    ['a document kind', { kind: 'document_created', url: `${BASE}/buckets/1/google_documents/7.json` }, ['/google_documents/7.json'], []],
    ['an upload kind naming a cloud file', { kind: 'upload_created', url: `${BASE}/buckets/1/cloud_files/8.json` }, [], ['/cloud_files/8.json']],
    ['a url without a bucket', { kind: 'cloud_file_created', url: `${BASE}/cloud_files/8.json` }, [], ['/cloud_files/8.json']],
    ['a plain document', { kind: 'document_created', url: `${BASE}/buckets/1/documents/7.json` }, [], []],
    ['a comment on one (its url is the comment)', { kind: 'comment_created', url: `${BASE}/buckets/1/comments/9.json` }, [], []],
    ['no url (project_access_changed)', { kind: 'project_access_changed', target: null }, [], []],
    ['a url that only contains the route', { kind: 'x', url: `${BASE}/buckets/1/google_documents/7.json?x=1` }, [], []],
  ])('%s', (_name, event, docs, files) => {
    expect(announcedAt('google_documents')(event)).toEqual(docs);
    expect(announcedAt('cloud_files')(event)).toEqual(files);
  });

  it('their types name them as a comment parent', () => {
    const byType = streamsByType([...STREAMS_BY_NAME.values()]);
    expect(byType.get('GoogleDocument')?.name).toBe('google_documents');
    expect(byType.get('CloudFile')?.name).toBe('cloud_files');
  });
});
