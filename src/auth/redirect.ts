/**
 * Reading the redirect Launchpad sends the browser to: its ?code= (or ?error=), checked against
 * the state of this authorization request, from the local callback or pasted on stdin (--no-browser).
 */
import * as readline from 'node:readline';
import { TapError, registerSecret } from '../errors';

/** The code a redirect carries, or why it carries none (for the terminal, and for the page). */
export type Redirect = { code: string } | { error: string; page: string };

/**
 * Reads a redirect's parameters. Launchpad may or may not echo `state`; when it does, it must be
 * ours (a forged redirect from another page would carry a different one or none).
 * `source` starts the error: "the browser came back with", "the pasted address carries".
 */
export function readRedirect(params: URLSearchParams, state: string, source: string): Redirect {
  const error = params.get('error');
  const code = params.get('code');
  const echoed = params.get('state');
  registerSecret(code);
  if (echoed !== null && echoed !== state) {
    return {
      page: 'The state parameter does not match this authorization request.',
      error: `${source} a state that does not match this authorization request; run tap-basecamp auth again`,
    };
  }
  if (error !== null || !code) {
    const why = error !== null ? `Launchpad answered "${error}"` : 'the redirect carried no code';
    return {
      page: `Authorization failed: ${why}.`,
      error: `authorization failed: ${why}${error === 'access_denied' ? ' (access was denied in the browser)' : ''}`,
    };
  }
  return { code };
}

/**
 * Reads the code pasted on stdin (--no-browser): the first non-blank line, the address the browser
 * was sent to or just the code. Waits at most `seconds`.
 */
export async function readPastedCode(state: string, seconds: number): Promise<string> {
  const line = await new Promise<string>((resolve, reject) => {
    // Not a terminal interface: the process itself never echoes what was pasted.
    const rl = readline.createInterface({ input: process.stdin, terminal: false });
    let settled = false;
    const finish = (result: string | Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      rl.close();
      if (result instanceof Error) reject(result);
      else resolve(result);
    };
    const timer = setTimeout(() => finish(new TapError(`timed out after ${seconds} s waiting for the address (or the code) on stdin`)), seconds * 1000);
    rl.on('line', (text) => {
      if (text.trim() !== '') finish(text);
    });
    rl.once('close', () => finish(new TapError('stdin ended before an address or a code was pasted (--no-browser reads one line)')));
    if (process.stdin.isTTY) process.stderr.write('Address (or code): ');
  });
  return codeFromPaste(line, state);
}

/** The code in a pasted line: `code=` of an address (or of a bare query string), else the line itself. */
function codeFromPaste(line: string, state: string): string {
  const text = line
    .trim()
    .replace(/^(["'<])(.*)(["'>])$/, '$2')
    .trim();
  const query = text.indexOf('?');
  const isAddress = /^[a-z][a-z\d+.-]*:\/\//i.test(text);
  if (query >= 0 || isAddress || /[=&]/.test(text)) {
    const params = new URLSearchParams((query >= 0 ? text.slice(query + 1) : isAddress ? '' : text).replace(/#.*$/, ''));
    registerSecret(params.get('code'));
    if (!params.has('code') && !params.has('error')) {
      throw new TapError(
        'the pasted address carries no code= parameter: paste the whole address the browser was sent to (from its address bar), or just the code',
      );
    }
    const redirect = readRedirect(params, state, 'the pasted address carries');
    if ('error' in redirect) throw new TapError(redirect.error);
    return redirect.code;
  }
  registerSecret(text);
  if (!/^[\w.~+/-]+$/.test(text)) {
    throw new TapError('the pasted line is neither an address with code= nor a code: paste the whole address the browser was sent to, or just the code');
  }
  return text;
}
