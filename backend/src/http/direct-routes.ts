import { Injectable, Logger, type OnApplicationBootstrap, RequestMethod, SetMetadata } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';

/** A handler that answers every request itself (it never throws; a rejection is logged and answered 500). */
export type DirectHandler = (req: IncomingMessage, res: ServerResponse) => unknown;

const DIRECT = Symbol('direct-route');

/**
 * Marks a controller method (`@Post(...)` with `@Req()`/`@Res()`) to be served straight from Node's
 * `request` event, ahead of Express's router and middleware and Nest's pipeline: for the gateway's
 * endpoints, where those cost about as much CPU as the proxying itself. The Nest route stays (it
 * defines the endpoint and serves what the exact match does not, e.g. a trailing slash), so the
 * handler must do its own auth and errors, use only Node's req/res, and never rely on guards,
 * pipes, interceptors or filters.
 */
export const Direct = (): MethodDecorator => SetMetadata(DIRECT, true);

/** The `@Direct()` routes of every controller, by `METHOD /path` (exact path, query ignored). */
@Injectable()
export class DirectRoutes implements OnApplicationBootstrap {
  private readonly logger = new Logger('DirectRoutes');
  private readonly routes = new Map<string, DirectHandler>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  onApplicationBootstrap(): void {
    for (const wrapper of this.discovery.getControllers()) {
      const instance = wrapper.instance as Record<string, (...args: unknown[]) => unknown> | undefined;
      if (!instance || !wrapper.metatype) continue;
      const prefix = this.reflector.get<string>(PATH_METADATA, wrapper.metatype) ?? '';
      for (const name of this.scanner.getAllMethodNames(Object.getPrototypeOf(instance))) {
        const method = instance[name];
        if (!this.reflector.get<boolean>(DIRECT, method)) continue;
        const path = this.reflector.get<string>(PATH_METADATA, method);
        const verb = RequestMethod[this.reflector.get<RequestMethod>(METHOD_METADATA, method)];
        this.routes.set(`${verb} ${join(prefix, path)}`, (req, res) => method.call(instance, req, res));
      }
    }
  }

  /** `POST /v1/chat/completions`, ... */
  keys(): string[] {
    return [...this.routes.keys()];
  }

  /**
   * Puts the direct routes in front of the server's current `request` listener (Express):
   * a request whose method and path match exactly goes to its handler, with `headers` set first.
   */
  install(server: Server, headers: (res: ServerResponse) => void): void {
    const [fallback] = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
    if (!fallback || !this.routes.size) return;
    server.removeListener('request', fallback);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      const url = req.url ?? '/';
      const query = url.indexOf('?');
      const handler = this.routes.get(`${req.method} ${query < 0 ? url : url.slice(0, query)}`);
      if (!handler) return fallback(req, res);
      headers(res);
      Promise.resolve(handler(req, res)).catch((error: unknown) => this.failed(res, error));
    });
  }

  private failed(res: ServerResponse, error: unknown): void {
    this.logger.error(error);
    if (res.headersSent) res.destroy();
    else
      res
        .writeHead(500, { 'content-type': 'application/json' })
        .end('{"error":{"message":"Internal error"}}');
  }
}

function join(prefix: string, path: string): string {
  const parts = [prefix, path].map((p) => p.replace(/^\/+|\/+$/g, '')).filter(Boolean);
  return `/${parts.join('/')}`;
}
