import { Controller, Get, Module, Post, Req, Res } from '@nestjs/common';
import { DiscoveryModule, NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Direct, DirectRoutes } from './direct-routes';

@Controller('v1')
class EchoController {
  @Post('echo')
  @Direct()
  echo(@Req() req: IncomingMessage, @Res() res: ServerResponse): void {
    res.writeHead(200, { 'content-type': 'text/plain' }).end(`echo ${req.method} ${req.url}`);
  }

  @Post('broken')
  @Direct()
  broken(): Promise<void> {
    return Promise.reject(new Error('handler bug'));
  }

  @Get('echo')
  plain(@Res() res: ServerResponse): void {
    res.end('through nest');
  }
}

@Module({ imports: [DiscoveryModule], controllers: [EchoController], providers: [DirectRoutes] })
class EchoModule {}

describe('DirectRoutes', () => {
  let app: NestExpressApplication;
  let base: string;

  beforeAll(async () => {
    app = await NestFactory.create<NestExpressApplication>(EchoModule, { logger: false, bodyParser: false });
    // Stands for the Express middleware the direct routes skip.
    app.use((_req: unknown, res: ServerResponse, next: () => void) => {
      res.setHeader('x-through-express', '1');
      next();
    });
    await app.init();
    app.get(DirectRoutes).install(app.getHttpServer() as Server, (res) => res.setHeader('x-hardened', '1'));
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  });

  afterAll(() => app.close());

  it("finds the @Direct() routes of the controllers, by method and the controller's prefix", () => {
    expect(app.get(DirectRoutes).keys().sort()).toEqual(['POST /v1/broken', 'POST /v1/echo']);
  });

  it('serves an exact match before Express, with the given headers, query ignored', async () => {
    const res = await fetch(`${base}/v1/echo?x=1`, { method: 'POST' });
    expect(await res.text()).toBe('echo POST /v1/echo?x=1');
    expect(res.headers.get('x-hardened')).toBe('1');
    expect(res.headers.get('x-through-express')).toBeNull();
  });

  it('leaves everything else to Express: other methods, other spellings of the path', async () => {
    const get = await fetch(`${base}/v1/echo`);
    expect(await get.text()).toBe('through nest');
    expect(get.headers.get('x-through-express')).toBe('1');
    const slash = await fetch(`${base}/v1/echo/`, { method: 'POST' });
    expect(await slash.text()).toBe('echo POST /v1/echo/');
    expect(slash.headers.get('x-through-express')).toBe('1');
  });

  it('answers 500 when a handler rejects, and keeps serving', async () => {
    const res = await fetch(`${base}/v1/broken`, { method: 'POST' });
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: { message: 'Internal error' } });
    expect((await fetch(`${base}/v1/echo`, { method: 'POST' })).status).toBe(200);
  });
});
