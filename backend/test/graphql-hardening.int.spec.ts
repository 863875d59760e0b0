import { Logger, type LoggerService } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { createClient, type Client, type ExecutionResult } from 'graphql-ws';
import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { CallerResolver } from '../src/auth/caller';
import { AppConfig } from '../src/config/app-config';
import { createApp } from '../src/create-app';
import { GenerationFeed } from '../src/generations/generation-feed';
import { createTestProject } from './support/accounts';

interface GraphqlAnswer {
  readonly status: number;
  readonly data?: unknown;
  readonly errors?: { message: string; extensions?: Record<string, unknown> }[];
}

/** The app as `npm start` runs it (not production), on the embedded log and chDB, listening on loopback. */
async function startApp(env: Record<string, string> = {}) {
  const app = await createApp(
    new AppConfig({
      PORT: '0',
      DATA_DIR: mkdtempSync(join(tmpdir(), 'sightline-gql-hardening-')),
      SIGHTLINE_UI_DIR: '',
      LOG_LEVEL: 'error',
      API_RATE_LIMIT_RPS: '10000',
      ...env,
    }),
  );
  const { apiKey } = await createTestProject(app, 'hardening');
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  const graphql = async (query: string, variables: Record<string, unknown> = {}): Promise<GraphqlAnswer> => {
    const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      body: JSON.stringify({ query, variables }),
    });
    return { status: res.status, ...((await res.json()) as object) };
  };
  const ws = createClient({
    url: `ws://127.0.0.1:${port}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${apiKey}` },
    retryAttempts: 0,
  });
  return { app, graphql, ws, base: `http://127.0.0.1:${port}` };
}

/** The first result or the errors of one operation over graphql-ws. */
function overWs(ws: Client, query: string, variables: Record<string, unknown> = {}): Promise<GraphqlAnswer> {
  return new Promise((resolve) => {
    const stop = ws.subscribe(
      { query, variables },
      {
        next: (result: ExecutionResult) => {
          stop();
          resolve({ status: 0, ...result } as GraphqlAnswer);
        },
        error: (errors) => resolve({ status: 0, errors: errors as GraphqlAnswer['errors'] }),
        complete: () => undefined,
      },
    );
  });
}

class CapturingLogger implements LoggerService {
  readonly errors: string[] = [];
  log(): void {}
  warn(): void {}
  error(message: unknown, ...rest: unknown[]): void {
    this.errors.push([message, ...rest].map(String).join(' '));
  }
}

const PAGE = 'edges { node { input } }';
/** The report's query: fifteen aliases of a page whose size is a variable. */
const fifteenPages = `query Pages($n: Int) { ${Array.from({ length: 15 }, (_, i) => `g${i}: generations(first: $n) { ${PAGE} }`).join(' ')} }`;

describe('the API on the default (non-production) mode', () => {
  const nodeEnv = process.env.NODE_ENV;
  let app: NestExpressApplication;
  let graphql: (query: string, variables?: Record<string, unknown>) => Promise<GraphqlAnswer>;
  let ws: Client;
  let base: string;

  beforeAll(async () => {
    // Apollo itself adds stack traces to answers whenever NODE_ENV is neither production nor test.
    process.env.NODE_ENV = 'development';
    ({ app, graphql, ws, base } = await startApp());
  }, 60_000);

  afterAll(async () => {
    process.env.NODE_ENV = nodeEnv;
    await ws?.dispose();
    await app?.close();
  });

  it('refuses a subscription sent over HTTP with 400 BAD_USER_INPUT, saying to use graphql-ws', async () => {
    const answer = await graphql('subscription { generationRecorded { id } }');
    expect(answer.status).toBe(400);
    expect(answer.data).toBeUndefined();
    expect(answer.errors).toEqual([
      expect.objectContaining({
        message: expect.stringContaining('graphql-ws'),
        extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', reason: 'subscription_over_http' }),
      }),
    ]);
  });

  describe('cost and page size, from the values actually used (8.2)', () => {
    it('refuses the fifteen variable-sized pages before running them, like the literal ones', async () => {
      for (const answer of [
        await graphql(fifteenPages, { n: 200 }),
        await graphql(fifteenPages.replace(/\$n\)/g, '200)').replace('($n: Int)', '')),
        await graphql(fifteenPages.replace('$n: Int', '$n: Int = 200')),
      ]) {
        expect(answer.status).toBe(400);
        expect(answer.data).toBeUndefined();
        expect(answer.errors).toEqual([
          expect.objectContaining({ extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'cost' } }),
        ]);
      }
      expect((await graphql(fifteenPages, { n: 5 })).errors).toBeUndefined();
    });

    it('refuses a page over the cap with BAD_USER_INPUT, from a variable or a fragment', async () => {
      const viaFragment = `query($n: Int) { ...P } fragment P on Query { generations(first: $n) { ${PAGE} } }`;
      for (const answer of [
        await graphql(`query($n: Int) { generations(first: $n) { ${PAGE} } }`, { n: 201 }),
        await graphql(viaFragment, { n: 100_000 }),
      ]) {
        expect(answer.status).toBe(400);
        expect(answer.errors?.[0].extensions).toMatchObject({
          code: 'BAD_USER_INPUT',
          reason: 'invalid_page_size',
        });
      }
    });

    it('applies the same limits to operations sent over graphql-ws', async () => {
      const costly = await overWs(ws, fifteenPages, { n: 200 });
      expect(costly.errors).toEqual([
        expect.objectContaining({ extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'cost' } }),
      ]);
      const overCap = await overWs(ws, `query($n: Int) { generations(first: $n) { ${PAGE} } }`, { n: 201 });
      expect(overCap.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
      expect((await overWs(ws, fifteenPages, { n: 5 })).data).toBeDefined();
    });
  });

  describe('errors keep internals on the server (8.6)', () => {
    const internals = "ENOENT: no such file or directory, open '/srv/sightline/data/chdb/store.bin'";
    let logger: CapturingLogger;
    beforeEach(() => {
      logger = new CapturingLogger();
      app.useLogger(logger);
    });
    afterEach(() => {
      jest.restoreAllMocks();
      app.useLogger(new Logger());
    });

    const noInternals = (answer: GraphqlAnswer) => {
      const text = JSON.stringify(answer);
      expect(text).not.toContain('stacktrace');
      expect(text).not.toMatch(/\/(src|dist)\/|node_modules|\.ts:\d+/);
    };

    it('answers parse, validation, variable and resolver errors without stack traces', async () => {
      const answers = [
        await graphql('{ generations('),
        await graphql('{ nope }'),
        await graphql('query($n: Int!) { generations(first: $n) { pageInfo { hasNextPage } } }', {}),
        await graphql('{ generations(first: 0) { pageInfo { hasNextPage } } }'),
      ];
      expect(answers.map((a) => a.errors?.[0].extensions?.code)).toEqual([
        'GRAPHQL_PARSE_FAILED',
        'GRAPHQL_VALIDATION_FAILED',
        'BAD_USER_INPUT',
        'BAD_USER_INPUT',
      ]);
      answers.forEach(noInternals);
    });

    it('answers an unexpected error as INTERNAL_SERVER_ERROR with a generic message, and logs it', async () => {
      jest.spyOn(app.get(QueryBus), 'execute').mockRejectedValueOnce(new Error(internals));
      const answer = await graphql('{ generations(first: 5) { pageInfo { hasNextPage } } }');
      expect(answer.errors).toEqual([
        expect.objectContaining({
          message: 'Internal server error',
          extensions: { code: 'INTERNAL_SERVER_ERROR' },
        }),
      ]);
      noInternals(answer);
      expect(JSON.stringify(answer)).not.toContain('ENOENT');
      expect(logger.errors.join('\n')).toContain(internals);
    });

    it('answers REST in plain JSON: typed errors with their code, unexpected ones generically (and logged)', async () => {
      const refused = await fetch(`${base}/auth/session`);
      expect(refused.status).toBe(401);
      expect(await refused.json()).toEqual({
        error: { message: 'Authentication required', code: 'unauthenticated' },
      });

      jest.spyOn(app.get(CallerResolver), 'fromHttp').mockImplementationOnce(() => {
        throw new Error(internals);
      });
      const failed = await fetch(`${base}/auth/session`);
      expect(failed.status).toBe(500);
      expect(await failed.json()).toEqual({ statusCode: 500, message: 'Internal server error' });
      expect(logger.errors.join('\n')).toContain(internals);

      expect((await fetch(`${base}/no-such-route`)).status).toBe(404);
    });

    it('does the same over graphql-ws', async () => {
      jest.spyOn(app.get(GenerationFeed), 'subscribe').mockImplementationOnce(() => {
        throw new Error(internals);
      });
      const answer = await overWs(ws, 'subscription { generationRecorded { id } }');
      expect(answer.errors).toEqual([
        expect.objectContaining({
          message: 'Internal server error',
          extensions: { code: 'INTERNAL_SERVER_ERROR' },
        }),
      ]);
      noInternals(answer);
      expect(logger.errors.join('\n')).toContain(internals);
    });
  });
});

describe('DEBUG_STACK_TRACES=1 (development only)', () => {
  it('adds stack traces to GraphQL errors for local debugging', async () => {
    const { app, graphql, ws } = await startApp({ DEBUG_STACK_TRACES: '1' });
    try {
      const answer = await graphql('{ generations(first: 0) { pageInfo { hasNextPage } } }');
      expect(answer.errors?.[0].extensions?.stacktrace).toEqual(expect.arrayContaining([expect.any(String)]));
    } finally {
      await ws.dispose();
      await app.close();
    }
  }, 60_000);

  it('is refused in production', () => {
    expect(() => new AppConfig({ NODE_ENV: 'production', DEBUG_STACK_TRACES: '1' })).toThrow(/development/);
  });
});
