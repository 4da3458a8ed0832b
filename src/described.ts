/** How a request is named in messages: its path, and the id Basecamp gave its answer. */
import { requestIdFrom } from './errors';

/** The X-Request-Id of an answer, for the error line (Basecamp's support asks for it). */
export function requestIdOf(response: { headers: Record<string, string | string[] | undefined> } | undefined): string | undefined {
  return requestIdFrom(response?.headers['x-request-id']);
}

/** Path and query of a URL with secrets left out, for messages. */
export function describeUrl(url: string | URL): string {
  const u = typeof url === 'string' ? new URL(url) : url;
  return u.pathname + u.search;
}
