/**
 * The plumbing the provider fakes in this folder share: a local HTTP server that records every
 * request, JSON and SSE writers, and a thrown `FakeHttpError` answered with the provider's own error
 * body. Depends on nothing but Node.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeRequest {
  readonly method: string;
  /** Path and query, e.g. `/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21`. */
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  /** Parsed JSON; the raw text when it was not JSON; undefined when empty. */
  readonly body: unknown;
  /** The exact bytes received (what a signature covers). */
  readonly raw: Buffer;
}

export interface FakeServer {
  /** `http://127.0.0.1:<port>` (no path). */
  readonly origin: string;
  readonly port: number;
  /** Every request received, in arrival order. */
  readonly requests: FakeRequest[];
  close(): Promise<void>;
}

/** A provider's error answer: status, its own JSON body, extra headers (`retry-after`...). */
export class FakeHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(`HTTP ${status}`);
  }
}

export type FakeHandler = (request: FakeRequest, res: ServerResponse) => Promise<void>;

export async function startFakeHttpServer(handle: FakeHandler, port = 0): Promise<FakeServer> {
  const requests: FakeRequest[] = [];
  const server = createServer((req, res) => {
    void (async () => {
      const raw = await readBytes(req);
      const text = raw.toString('utf8');
      const request: FakeRequest = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        headers: req.headers,
        body: text === '' ? undefined : (parseJson(text) ?? text),
        raw,
      };
      requests.push(request);
      await handle(request, res);
    })().catch((error: unknown) => {
      if (res.headersSent) return void res.destroy();
      if (error instanceof FakeHttpError) return sendJson(res, error.status, error.body, error.headers);
      sendJson(res, 500, { error: { message: String(error) } });
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${address.port}`,
    port: address.port,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'x-request-id': fakeId('req_'),
    ...headers,
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** Starts an SSE answer; `write` sends one event (`event:` line only when named). */
export function startSse(
  res: ServerResponse,
  headers: Readonly<Record<string, string>> = {},
): { write(data: unknown, event?: string): void; end(text?: string): void } {
  res.writeHead(200, {
    'x-request-id': fakeId('req_'),
    ...headers,
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
  });
  return {
    write: (data, event) => res.write(`${event ? `event: ${event}\n` : ''}data: ${JSON.stringify(data)}\n\n`),
    end: (text) => res.end(text),
  };
}

/** Waits `ms` (the mock model's `[mock:delay]`); false when the client left first. */
export function pause(ms: number, res: ServerResponse): Promise<boolean> {
  return new Promise((resolve) => {
    if (res.destroyed) return resolve(false);
    const done = (ok: boolean): void => {
      clearTimeout(timer);
      res.off('close', left);
      resolve(ok);
    };
    const left = (): void => done(false);
    const timer = setTimeout(() => done(!res.destroyed), ms);
    res.once('close', left);
  });
}

/** Cuts the connection mid-answer (the mock model's `[mock:drop]`): what was written is flushed first. */
export function drop(res: ServerResponse): void {
  res.socket?.end();
}

export function fakeId(prefix: string): string {
  return `${prefix}${randomBytes(12).toString('hex')}`;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function readBytes(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
