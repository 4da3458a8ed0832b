/**
 * Errors the user sees. Anything thrown as a TapError is printed as one line on stderr
 * (no stack trace) and the process exits non-zero; anything else is a bug and is printed
 * the same way but prefixed so it is recognisable.
 */
export class TapError extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
    this.name = 'TapError';
  }
}

/** An HTTP answer the client gave up on; `path` never carries a host, token or query secret. */
export class ApiError extends TapError {
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly path: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The run was asked to stop (SIGINT/SIGTERM); not a failure of the tap. */
export class Interrupted extends Error {
  constructor(readonly signal: NodeJS.Signals) {
    super(`interrupted by ${signal}`);
    this.name = 'Interrupted';
  }
}

/**
 * Secrets registered here are replaced by "[redacted]" in every log line and error message.
 * The config loader registers client_secret and refresh_token; the client registers each
 * access token it receives.
 */
const secrets = new Set<string>();

export function registerSecret(value: unknown): void {
  if (typeof value === 'string' && value.length >= 4) secrets.add(value);
}

export function redact(text: string): string {
  let out = text;
  for (const secret of secrets) {
    if (out.includes(secret)) out = out.split(secret).join('[redacted]');
  }
  // Belt and braces: bearer tokens and OAuth form fields that were never registered.
  return out
    .replace(/(Bearer\s+)[A-Za-z0-9._~+/=-]+/gi, '$1[redacted]')
    .replace(/((?:client_secret|refresh_token|access_token|code)=)[^&\s"]+/gi, '$1[redacted]');
}
