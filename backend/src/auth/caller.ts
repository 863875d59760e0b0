import { Inject, Injectable } from '@nestjs/common';
import { roleAtLeast, type Actor, type Role } from '@sightline/schemas';
import { parse as parseCookies } from 'cookie';
import type { IncomingHttpHeaders } from 'node:http';
import { Clock } from '../common/clock';
import { ControlPlane } from '../control/control-plane';
import { membershipKey } from '../control/control-state';
import { API_KEY_ROLE } from '../control/decide/authority';
import { AccountsService } from './accounts.service';
import { CsrfError, ForbiddenError, ProjectNotFoundError, UnauthenticatedError } from '../common/errors';
import { parseApiKey } from '../control/credentials';
import { CSRF_HEADER, SESSION_COOKIE, SessionCodec, type SessionClaims } from './session-cookie';
import { VerifiedKeys } from './verified-keys';

/** Who is calling: an API key (bound to one project) or a signed-in user. */
export type Caller =
  | { readonly kind: 'api-key'; readonly keyId: string; readonly projectId: string }
  | { readonly kind: 'session'; readonly userId: string; readonly sessionId: string; readonly csrf: string };

/** Who a control-plane change is recorded as made by. */
export const actorOf = (caller: Caller): Actor =>
  caller.kind === 'session' ? { userId: caller.userId, via: 'session' } : { userId: null, via: 'api-key' };

/** What a handler gets: the project it acts on and the caller's role there. */
export interface ProjectAccess {
  readonly projectId: string;
  readonly role: Role;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface HttpLike {
  readonly method?: string;
  readonly headers: IncomingHttpHeaders;
}

/**
 * The one mechanism every endpoint uses: credentials → Caller → ProjectAccess.
 * State comes from the control plane in memory, so a revoked key fails on every instance
 * as soon as the revocation reached it.
 */
@Injectable()
export class CallerResolver {
  private readonly verified = new VerifiedKeys();

  constructor(
    @Inject(ControlPlane) private readonly control: ControlPlane,
    @Inject(SessionCodec) private readonly sessions: SessionCodec,
    @Inject(AccountsService) private readonly accounts: AccountsService,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  /** From an HTTP request: `Authorization: Bearer sl_…`, else the session cookie (+ CSRF on writes). */
  fromHttp(req: HttpLike): Caller {
    const key = bearer(req.headers);
    if (key !== undefined) return this.fromApiKey(key);
    const claims = this.session(req.headers);
    if (!SAFE_METHODS.has(req.method ?? 'GET') && req.headers[CSRF_HEADER] !== claims.csrf)
      throw new CsrfError();
    return { kind: 'session', userId: claims.uid, sessionId: claims.sid, csrf: claims.csrf };
  }

  /**
   * From a graphql-ws connection: an API key in the connection params, else the session cookie of
   * the upgrade request, which must come from our own origin (no cross-site websocket hijacking).
   */
  fromConnection(request: HttpLike, params: Readonly<Record<string, unknown>> | undefined): Caller {
    const key =
      typeof params?.authorization === 'string' ? params.authorization.replace(/^Bearer\s+/i, '') : undefined;
    if (key !== undefined) return this.fromApiKey(key);
    const claims = this.session(request.headers);
    const origin = request.headers.origin;
    if (origin && new URL(origin).host !== request.headers.host) throw new CsrfError();
    return { kind: 'session', userId: claims.uid, sessionId: claims.sid, csrf: claims.csrf };
  }

  /** Whether a caller authenticated earlier (e.g. a live subscription) is still valid. */
  stillValid(caller: Caller): boolean {
    const state = this.control.current;
    if (caller.kind === 'api-key') {
      const key = state.apiKeys.get(caller.keyId);
      return !!key && !key.revokedAt && !state.projects.get(key.projectId)?.deletedAt;
    }
    return state.users.has(caller.userId) && !state.endedSessions.has(caller.sessionId);
  }

  /** For long-lived operations: the caller is still valid and still has `needed` in the project. */
  stillAllowed(caller: Caller, projectId: string, needed: Role): boolean {
    if (!this.stillValid(caller)) return false;
    try {
      this.authorize(caller, projectId, needed);
      return true;
    } catch (error) {
      if (error instanceof ProjectNotFoundError || error instanceof ForbiddenError) return false;
      throw error;
    }
  }

  /**
   * The project this call acts on, if the caller may act there with at least `needed`.
   * Unknown and forbidden-to-see projects look the same: ProjectNotFoundError.
   */
  authorize(caller: Caller, projectId: string | null | undefined, needed: Role): ProjectAccess {
    const state = this.control.current;
    const target = projectId ?? (caller.kind === 'api-key' ? caller.projectId : undefined);
    const project = target ? state.projects.get(target) : undefined;
    if (!project || project.deletedAt) throw new ProjectNotFoundError();
    const role =
      caller.kind === 'api-key'
        ? caller.projectId === project.projectId
          ? API_KEY_ROLE
          : undefined
        : (state.memberships.get(membershipKey(project.projectId, caller.userId))?.role ?? undefined);
    if (!role) throw new ProjectNotFoundError();
    if (!roleAtLeast(role, needed)) throw new ForbiddenError();
    return { projectId: project.projectId, role };
  }

  /**
   * The known key an API-key request names (`sl_<keyId>_…`, secret unchecked) and its project, so a
   * refused request (a wrong secret, a revoked key) can be counted for the key's owner; undefined
   * when the request names no key of a live project.
   */
  namedKey(req: HttpLike): { readonly keyId: string; readonly projectId: string } | undefined {
    const value = bearer(req.headers);
    const key =
      value === undefined ? undefined : this.control.current.apiKeys.get(parseApiKey(value)?.keyId ?? '');
    if (!key || this.control.current.projects.get(key.projectId)?.deletedAt) return undefined;
    return { keyId: key.keyId, projectId: key.projectId };
  }

  private fromApiKey(value: string): Caller {
    const parsed = parseApiKey(value);
    const key = parsed && this.control.current.apiKeys.get(parsed.keyId);
    if (key?.revokedAt) this.verified.forget(key.keyId);
    if (
      !parsed ||
      !key ||
      key.revokedAt ||
      !this.verified.matches(key.keyId, key.secretHash, parsed.secret)
    ) {
      throw new UnauthenticatedError('Invalid API key');
    }
    if (this.control.current.projects.get(key.projectId)?.deletedAt)
      throw new UnauthenticatedError('Invalid API key');
    this.accounts.markKeyUsed(key.keyId);
    return { kind: 'api-key', keyId: key.keyId, projectId: key.projectId };
  }

  private session(headers: IncomingHttpHeaders): SessionClaims {
    const cookie = headers.cookie ? parseCookies(headers.cookie)[SESSION_COOKIE] : undefined;
    const claims = cookie ? this.sessions.decode(cookie, this.clock.now().getTime()) : undefined;
    if (
      !claims ||
      this.control.current.endedSessions.has(claims.sid) ||
      !this.control.current.users.has(claims.uid)
    ) {
      throw new UnauthenticatedError();
    }
    return claims;
  }
}

function bearer(headers: IncomingHttpHeaders): string | undefined {
  const auth = headers.authorization;
  if (auth) return auth.replace(/^Bearer\s+/i, '');
  const apiKey = headers['x-api-key'];
  return typeof apiKey === 'string' ? apiKey : undefined;
}
