/**
 * Launchpad's OAuth 2 side: the token endpoint (refresh and code grants, with the
 * legacy `type=refresh|web_server` spellings), authorization codes, and bearer
 * access tokens that expire after tokenTtlSeconds of real time.
 */
import { randomBytes } from 'node:crypto';

type Obj = Record<string, unknown>;

export interface TokenResponse {
  status: number;
  body: Obj;
}

export class Auth {
  private access = new Map<string, number>(); // token -> expiry (epoch ms, real time)
  private refresh = new Set<string>();
  private codes = new Set<string>();
  private revoked = false;

  constructor(
    readonly clientId: string,
    readonly clientSecret: string,
    readonly refreshToken: string,
    public ttlSeconds: number,
    public rotate: boolean,
  ) {
    this.refresh.add(refreshToken);
  }

  revokeRefreshToken(): void {
    this.revoked = true;
  }

  newCode(): string {
    const code = randomBytes(12).toString('hex');
    this.codes.add(code);
    return code;
  }

  /** Expiry of a valid bearer token, or null (missing, unknown or expired). */
  check(header: string | undefined): number | null {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
    if (!m) return null;
    const exp = this.access.get(m[1] as string);
    if (exp === undefined || Date.now() >= exp) return null;
    return exp;
  }

  /** POST /authorization/token with form/query parameters merged. */
  token(params: URLSearchParams): TokenResponse {
    const grant = params.get('grant_type') ?? legacyGrant(params.get('type'));
    if (grant !== 'refresh_token' && grant !== 'authorization_code') {
      return { status: 400, body: { error: 'unsupported_grant_type' } };
    }
    if (params.get('client_id') !== this.clientId || params.get('client_secret') !== this.clientSecret) {
      return { status: 401, body: { error: 'invalid_client' } };
    }
    if (grant === 'refresh_token') {
      const rt = params.get('refresh_token') ?? '';
      if (this.revoked || !this.refresh.has(rt)) return { status: 400, body: { error: 'invalid_grant' } };
      const body = this.issue();
      if (this.rotate) {
        // The new refresh token joins the old ones: Launchpad keeps the old one valid.
        const next = randomBytes(24).toString('base64url');
        this.refresh.add(next);
        body.refresh_token = next;
      }
      return { status: 200, body };
    }
    const code = params.get('code') ?? '';
    if (!this.codes.delete(code) || !params.get('redirect_uri')) return { status: 400, body: { error: 'invalid_grant' } };
    if (this.revoked) return { status: 400, body: { error: 'invalid_grant' } };
    const body = this.issue();
    body.refresh_token = this.refreshToken;
    return { status: 200, body };
  }

  private issue(): Obj {
    const token = randomBytes(24).toString('base64url');
    this.access.set(token, Date.now() + this.ttlSeconds * 1000);
    return { access_token: token, token_type: 'Bearer', expires_in: this.ttlSeconds };
  }
}

function legacyGrant(type: string | null): string | null {
  if (type === 'refresh') return 'refresh_token';
  if (type === 'web_server') return 'authorization_code';
  return null;
}
