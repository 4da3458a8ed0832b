/**
 * The local end of the redirect (`tap-basecamp auth` without --no-browser): a server on
 * http://127.0.0.1:PORT/callback that resolves with the code the browser brings back, and holds
 * the browser's request open until the outcome is known, to answer it with the page that says so.
 */
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { TapError, redact } from '../errors';
import { readRedirect } from './redirect';

const SUCCESS_PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>tap-basecamp</title></head>
<body style="font-family: sans-serif; margin: 3em">
<h1>tap-basecamp is authorized</h1>
<p>You can close this window and go back to the terminal.</p>
</body></html>
`;

const NOT_AUTHORIZED = 'tap-basecamp was not authorized';

function errorPage(message: string, heading = NOT_AUTHORIZED): string {
  const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const escaped = escape(message);
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>tap-basecamp</title></head>
<body style="font-family: sans-serif; margin: 3em">
<h1>${escape(heading)}</h1>
<p>${escaped}</p>
<p>Go back to the terminal for details.</p>
</body></html>
`;
}

/** A code the browser brought back; its request is held open until `answer` tells it how it all ended. */
export interface BrowserCallback {
  code: string;
  /** Answers the browser: the success page, or (with a failure) the error page. Resolves once sent. */
  answer(failure?: { heading: string; message: string }): Promise<void>;
}

/** The local end of the redirect: resolves with the code the browser brings back. */
export class CallbackServer {
  private server = http.createServer((req, res) => this.handle(req, res));
  private settle?: { resolve: (callback: BrowserCallback) => void; reject: (err: Error) => void };
  private timer?: NodeJS.Timeout;
  private listening = false;
  port = 0;

  constructor(private readonly state: string) {}

  async listen(port: number): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', (err: NodeJS.ErrnoException) => {
        reject(
          new TapError(
            err.code === 'EADDRINUSE'
              ? `port ${port} on 127.0.0.1 is in use; pick another with --redirect-port (and register that redirect URI with your Launchpad app)`
              : `cannot listen on 127.0.0.1:${port} (${err.code ?? err.message})`,
          ),
        );
      });
      this.server.listen(port, '127.0.0.1', () => resolve());
    });
    this.listening = true;
    this.port = (this.server.address() as AddressInfo).port;
  }

  get redirectUri(): string {
    return `http://127.0.0.1:${this.port}/callback`;
  }

  /** Waits for the browser's redirect, at most `seconds`. */
  waitForCode(seconds: number): Promise<BrowserCallback> {
    return new Promise<BrowserCallback>((resolve, reject) => {
      this.settle = { resolve, reject };
      this.timer = setTimeout(() => {
        this.finish(new TapError(`timed out after ${seconds} s waiting for the browser to come back to ${this.redirectUri}`));
      }, seconds * 1000);
    });
  }

  /** Takes no new connection (the one held open for the answer stays). */
  stopListening(): void {
    if (this.listening) this.server.close();
    this.listening = false;
    this.server.closeIdleConnections();
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.stopListening();
    this.server.closeAllConnections();
  }

  private finish(result: BrowserCallback | Error): void {
    const settle = this.settle;
    if (!settle) return;
    this.settle = undefined;
    if (this.timer) clearTimeout(this.timer);
    if (result instanceof Error) settle.reject(result);
    else settle.resolve(result);
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', this.redirectUri);
    const reply = (status: number, body: string) => sendPage(res, status, body);
    if (req.method !== 'GET' || url.pathname !== '/callback') {
      void reply(404, errorPage('Not found.'));
      return;
    }
    if (!this.settle) {
      void reply(409, errorPage('This authorization has already been handled.'));
      return;
    }
    const redirect = readRedirect(url.searchParams, this.state, 'the browser came back with');
    if ('error' in redirect) {
      void reply(400, errorPage(redirect.page));
      this.finish(new TapError(redirect.error));
      return;
    }
    let answered = false;
    this.finish({
      code: redirect.code,
      answer: (failure) => {
        if (answered) return Promise.resolve();
        answered = true;
        return failure ? reply(502, errorPage(failure.message, failure.heading)) : reply(200, SUCCESS_PAGE);
      },
    });
  }
}

/**
 * The browser's side of one `tap-basecamp auth`: the callback server while it listens, and the
 * browser's request, held open until the outcome is known and then answered once.
 */
export class BrowserSession {
  private server?: CallbackServer;
  private callback?: BrowserCallback;
  /** The code was exchanged: a failure from now on is "authorized, but its config was not written". */
  authorized = false;

  /** Listens for the redirect; resolves with the redirect URI to send the browser to. */
  async listen(state: string, port: number): Promise<string> {
    this.server = new CallbackServer(state);
    await this.server.listen(port);
    return this.server.redirectUri;
  }

  /** The code the browser brings back, at most `seconds` from now; then no new connection is taken. */
  async waitForCode(seconds: number): Promise<string> {
    const server = this.server!;
    this.callback = await server.waitForCode(seconds);
    server.stopListening();
    return this.callback.code;
  }

  /** Answers the browser (once; nothing when it is not waiting): the success page, or the failure. */
  async answer(failure?: string): Promise<void> {
    const callback = this.callback;
    this.callback = undefined;
    if (!callback) return;
    const heading = this.authorized ? 'tap-basecamp is authorized, but its config was not written' : NOT_AUTHORIZED;
    await callback.answer(failure === undefined ? undefined : { heading, message: redact(failure) });
  }

  close(): void {
    this.server?.close();
  }
}

/** Answers a held request with a page; resolves once it is sent, or the browser went away. */
function sendPage(res: http.ServerResponse, status: number, body: string): Promise<void> {
  return new Promise<void>((resolve) => {
    // Sent, or the browser went away: either way there is nothing more to wait for.
    const cap = setTimeout(resolve, 5000);
    cap.unref();
    const done = () => {
      clearTimeout(cap);
      resolve();
    };
    res.once('finish', done);
    res.once('close', done);
    if (res.destroyed) {
      done();
      return;
    }
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', connection: 'close' });
    res.end(body);
  });
}
