import { Body, Controller, Get, HttpCode, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Request, Response } from 'express';
import { randomBytes } from 'node:crypto';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { ControlPlane } from '../control/control-plane';
import { LoginThrottle, throttleKey } from '../security/login-throttle';
import { RateLimiter } from '../security/rate-limiter';
import { AccountsService } from './accounts.service';
import { AcceptInviteCommand, type Joining } from './commands/invites.commands';
import { EndSessionCommand, UseLoginLinkCommand } from './commands/sessions.commands';
import { SetPasswordCommand } from './commands/users.commands';
import { InvalidInputError, TooManyRequestsError, UnauthenticatedError } from '../common/errors';
import { CallerResolver } from './caller';
import { randomId } from '../control/credentials';
import { CSRF_COOKIE, SESSION_COOKIE, SESSION_TTL_MS, SessionCodec } from './session-cookie';

interface SessionBody {
  user: { id: string; email: string; name: string };
  csrfToken: string;
}

function text(value: unknown, field: string, max = 500): string {
  if (typeof value !== 'string' || !value || value.length > max) {
    throw new InvalidInputError(`\`${field}\` must be a non-empty string.`, 'invalid_input');
  }
  return value;
}

/**
 * Sign-in for the web app: password login, one-time login links, invites, logout.
 * Sessions are signed, HTTP-only cookies; writes with a session need the CSRF token it returns.
 */
@Controller('auth')
export class AuthController {
  private readonly perIp: RateLimiter;

  constructor(
    @Inject(AccountsService) private readonly accounts: AccountsService,
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(CallerResolver) private readonly callers: CallerResolver,
    @Inject(ControlPlane) private readonly control: ControlPlane,
    @Inject(SessionCodec) private readonly sessions: SessionCodec,
    @Inject(LoginThrottle) private readonly throttle: LoginThrottle,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(Clock) private readonly clock: Clock,
  ) {
    this.perIp = new RateLimiter({ capacity: 30, refillPerSecond: 0.5, clock });
  }

  @Get('session')
  session(@Req() req: Request): SessionBody {
    const caller = this.callers.fromHttp(req);
    if (caller.kind !== 'session') throw new UnauthenticatedError();
    return this.sessionBody(caller.userId, caller.csrf);
  }

  @Post('login')
  @HttpCode(200)
  async login(
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @Body() body: Record<string, unknown>,
  ) {
    const email = text(body?.email, 'email', 320).toLowerCase();
    const key = throttleKey(email, req.ip ?? '');
    // Per account+IP lockout with backoff, plus a per-IP budget against spraying many accounts.
    for (const verdict of [this.throttle.check(key), this.perIp.take(req.ip ?? '')]) {
      if (!verdict.allowed) throw new TooManyRequestsError(verdict.retryAfterSeconds);
    }
    const user = await this.accounts.verifyPassword(email, text(body?.password, 'password', 1000));
    if (!user) {
      this.throttle.recordFailure(key);
      throw new UnauthenticatedError('Wrong email or password');
    }
    this.throttle.recordSuccess(key);
    return this.startSession(req, res, user.userId);
  }

  @Get('link/:token')
  async loginLink(@Req() req: Request, @Res() res: Response, @Param('token') token: string): Promise<void> {
    try {
      const userId = await this.commands.execute(new UseLoginLinkCommand(token));
      this.startSession(req, res, userId);
      const user = this.control.current.users.get(userId);
      res.redirect(302, user?.passwordHashEnc ? '/' : '/account?setPassword=1');
    } catch (error) {
      if (!(error instanceof InvalidInputError)) throw error;
      res.redirect(302, '/login?error=link_invalid');
    }
  }

  @Post('password')
  @HttpCode(204)
  async setPassword(@Req() req: Request, @Body() body: Record<string, unknown>): Promise<void> {
    const caller = this.callers.fromHttp(req);
    if (caller.kind !== 'session') throw new UnauthenticatedError();
    const password = text(body?.password, 'password', 1000);
    await this.commands.execute(
      new SetPasswordCommand({ userId: caller.userId, via: 'session' }, caller.userId, password),
    );
  }

  @Post('logout')
  @HttpCode(204)
  async logout(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    const caller = this.callers.fromHttp(req);
    if (caller.kind === 'session')
      await this.commands.execute(new EndSessionCommand(caller.userId, caller.sessionId));
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.clearCookie(CSRF_COOKIE, { path: '/' });
  }

  @Get('invites/:token')
  invite(@Param('token') token: string) {
    const invite = this.accounts.findInvite(token);
    const project = this.control.current.projects.get(invite.projectId);
    return { projectName: project?.name ?? '', role: invite.role, email: invite.email };
  }

  /** Accept as the signed-in user, or create the account from `email`, `name`, `password`. */
  @Post('invites/:token/accept')
  @HttpCode(200)
  async acceptInvite(
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @Param('token') token: string,
    @Body() body: Record<string, unknown>,
  ) {
    const invite = this.accounts.findInvite(token);
    const userId = await this.commands.execute(new AcceptInviteCommand(token, this.joining(req, body)));
    return { ...this.startSession(req, res, userId), projectId: invite.projectId };
  }

  /** The signed-in user, else the account to create from the body. */
  private joining(req: Request, body: Record<string, unknown>): Joining {
    try {
      const caller = this.callers.fromHttp(req);
      if (caller.kind === 'session') return { userId: caller.userId };
    } catch (error) {
      if (!(error instanceof UnauthenticatedError)) throw error;
    }
    return {
      email: text(body?.email, 'email', 320),
      name: typeof body?.name === 'string' ? body.name : '',
      password: text(body?.password, 'password', 1000),
    };
  }

  private startSession(req: Request, res: Response, userId: string): SessionBody {
    const csrf = randomBytes(24).toString('base64url');
    const exp = this.clock.now().getTime() + SESSION_TTL_MS;
    const secure = this.config.production || req.secure;
    const cookie = this.sessions.encode({ sid: randomId('ses'), uid: userId, exp, csrf });
    res.cookie(SESSION_COOKIE, cookie, {
      httpOnly: true,
      sameSite: 'lax',
      secure,
      path: '/',
      expires: new Date(exp),
    });
    // Readable by the app, which echoes it in the x-csrf-token header (double submit).
    res.cookie(CSRF_COOKIE, csrf, {
      httpOnly: false,
      sameSite: 'strict',
      secure,
      path: '/',
      expires: new Date(exp),
    });
    return this.sessionBody(userId, csrf);
  }

  private sessionBody(userId: string, csrf: string): SessionBody {
    const user = this.control.current.users.get(userId);
    if (!user) throw new UnauthenticatedError();
    return { user: { id: user.userId, email: user.email, name: user.name }, csrfToken: csrf };
  }
}
