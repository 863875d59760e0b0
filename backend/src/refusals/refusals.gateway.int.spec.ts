import type { NestExpressApplication } from '@nestjs/platform-express';
import type { GatewayRequestRefused, SightlineEvent } from '@sightline/schemas';
import { CommandBus } from '@nestjs/cqrs';
import { CreateApiKeyCommand } from '../auth/commands/api-keys.commands';
import { SYSTEM } from '../control/control-events';
import { eventually } from '../../test/support/events';
import { startGatewayApp } from '../../test/support/gateway-app';
import type { RefusalGroup, RefusalTotal } from './refused-requests.query';

interface RefusedRequests {
  total: number;
  byCode: RefusalTotal[];
  byEndpoint: RefusalTotal[];
  byModel: RefusalTotal[];
  recent: RefusalGroup[];
}

/**
 * Every kind of request the gateway refuses, sent through the real app, shows up in the project's
 * `refusedRequests` (counts recorded every 50 ms here), attributed to its endpoint, code, model and key.
 */
describe('refused gateway requests are visible to the project', () => {
  let app: NestExpressApplication;
  let base: string;
  let apiKey: string;
  let projectId: string;
  const since = new Date(Date.now() - 60_000).toISOString();
  const recorded: SightlineEvent[] = [];

  beforeAll(async () => {
    ({ app, base, apiKey } = await startGatewayApp(
      'refusals',
      {
        GATEWAY_REFUSAL_WINDOW_MS: '50',
        GATEWAY_MAX_BODY_BYTES: '4096',
        // 3 requests/s with bursts of 6 per key: the flood below is refused, the other cases use other keys.
        GATEWAY_RATE_LIMIT_RPS: '3',
      },
      recorded,
    ));
    projectId = await graphql<{ project: { id: string } }>(apiKey, '{ project { id } }').then(
      (d) => d.project.id,
    );
  }, 60_000);
  afterAll(() => app?.close());

  async function graphql<T>(key: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const res = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    const answer = (await res.json()) as { data: T; errors?: unknown[] };
    if (answer.errors) throw new Error(JSON.stringify(answer.errors));
    return answer.data;
  }

  const newKey = async (name: string) =>
    (await app.get(CommandBus).execute(new CreateApiKeyCommand(SYSTEM, projectId, name))) as {
      full: string;
      key: { keyId: string };
    };

  const post = (key: string, path: string, body: string | object) =>
    fetch(`${base}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  const REFUSED = `query ($since: String!) {
    refusedRequests(since: $since) {
      total
      byCode { value count }
      byEndpoint { value count }
      byModel { value count }
      recent(first: 50) { endpoint status code model apiKeyId count firstAt lastAt }
    }
  }`;
  const refused = () =>
    graphql<{ refusedRequests: RefusedRequests }>(apiKey, REFUSED, { since }).then((d) => d.refusedRequests);
  const kind = (seen: RefusedRequests, code: string) => seen.recent.filter((g) => g.code === code);

  it('each kind of refusal: its endpoint, status, code, model and key', async () => {
    const { full, key } = await newKey('refusals');
    const user = [{ role: 'user', content: 'hi' }];
    const answers = [
      await post(full, '/v1/chat/completions', { model: 'mdl-does-not-exist', messages: user }),
      await post(full, '/v1/chat/completions', { model: 'claude-3-5-haiku-latest', messages: user }),
      await post(full, '/v1/messages', '{"model": "mock-1", '),
      await post(full, '/v1/embeddings', { model: 'mock-1', input: 'x'.repeat(5000) }),
      await post(full, '/v1/responses', { model: 'mock-1', input: 'x', previous_response_id: 'resp_1' }),
    ];
    expect(answers.map((a) => a.status)).toEqual([404, 400, 400, 413, 400]);

    const seen = await eventually(
      refused,
      (s) => s.recent.filter((g) => g.apiKeyId === key.keyId).length === 5,
    );

    const mine = seen.recent.filter((g) => g.apiKeyId === key.keyId);
    expect(
      mine.map(({ endpoint, status, code, model, count }) => ({ endpoint, status, code, model, count })),
    ).toEqual(
      expect.arrayContaining([
        {
          endpoint: 'POST /v1/chat/completions',
          status: 404,
          code: 'model_not_found',
          model: 'mdl-does-not-exist',
          count: 1,
        },
        {
          endpoint: 'POST /v1/chat/completions',
          status: 400,
          code: 'provider_not_configured',
          model: 'claude-3-5-haiku-latest',
          count: 1,
        },
        { endpoint: 'POST /v1/messages', status: 400, code: 'invalid_json', model: null, count: 1 },
        { endpoint: 'POST /v1/embeddings', status: 413, code: 'body_too_large', model: null, count: 1 },
        {
          endpoint: 'POST /v1/responses',
          status: 400,
          code: 'unsupported_feature',
          model: 'mock-1',
          count: 1,
        },
      ]),
    );
  });

  it("a wrong secret for a known key is counted for the key's project; an unknown key for none", async () => {
    const { full, key } = await newKey('wrong-secret');
    // The secret is base64url and may itself hold '_': build the wrong key from the key id.
    expect(full.startsWith(`sl_${key.keyId}_`)).toBe(true);
    const wrong = `sl_${key.keyId}_${'A'.repeat(43)}`;
    const unknown = `sl_pk_${'Z'.repeat(12)}_${'A'.repeat(43)}`;
    const user = [{ role: 'user', content: 'hi' }];
    const answers = [
      await post(wrong, '/v1/chat/completions', { model: 'mock-1', messages: user }),
      await post(wrong, '/v1/embeddings', { model: 'mock-1', input: 'x' }),
      await post(unknown, '/v1/chat/completions', { model: 'mock-1', messages: user }),
    ];
    expect(answers.map((a) => a.status)).toEqual([401, 401, 401]);

    const seen = await eventually(refused, (s) => kind(s, 'unauthenticated').length === 2);
    expect(
      kind(seen, 'unauthenticated').map(({ endpoint, status, model, apiKeyId, count }) => ({
        endpoint,
        status,
        model,
        apiKeyId,
        count,
      })),
    ).toEqual(
      expect.arrayContaining([
        { endpoint: 'POST /v1/chat/completions', status: 401, model: null, apiKeyId: key.keyId, count: 1 },
        { endpoint: 'POST /v1/embeddings', status: 401, model: null, apiKeyId: key.keyId, count: 1 },
      ]),
    );
    const events = recorded.filter(
      (e): e is GatewayRequestRefused =>
        e.type === 'gateway.request-refused' && e.data.code === 'unauthenticated',
    );
    expect(events.map((e) => [e.projectId, e.data.apiKeyId])).toEqual([
      [projectId, key.keyId],
      [projectId, key.keyId],
    ]);
  });

  it('a flood of rate-limited requests is counted, not recorded one event each', async () => {
    const { full, key } = await newKey('flood');
    const flood = await Promise.all(
      Array.from({ length: 40 }, () =>
        post(full, '/v1/chat/completions', { model: 'mock-1', messages: [{ role: 'user', content: 'hi' }] }),
      ),
    );
    const limited = flood.filter((r) => r.status === 429).length;
    expect(limited).toBeGreaterThanOrEqual(20);

    // The totals and the kinds are read one after the other (other tests' refusals land in between):
    // wait until both include the flood and agree.
    const seen = await eventually(
      refused,
      (s) =>
        kind(s, 'too_many_requests').some((g) => g.apiKeyId === key.keyId && g.count === limited) &&
        s.byCode.some((c) => c.value === 'too_many_requests' && c.count === limited) &&
        s.total === s.byCode.reduce((sum, c) => sum + c.count, 0),
    );

    const group = kind(seen, 'too_many_requests').find((g) => g.apiKeyId === key.keyId)!;
    expect(group).toMatchObject({ endpoint: 'POST /v1/chat/completions', status: 429, model: null });
    expect(seen.byCode).toContainEqual({ value: 'too_many_requests', count: limited });
    expect(seen.total).toBe(seen.byCode.reduce((sum, c) => sum + c.count, 0));
    const events = recorded.filter(
      (e): e is GatewayRequestRefused =>
        e.type === 'gateway.request-refused' &&
        e.data.apiKeyId === key.keyId &&
        e.data.code === 'too_many_requests',
    );
    // One event per 50 ms window at most, whatever the number of refusals in it.
    const span =
      Math.max(...events.map((e) => Date.parse(e.data.lastAt))) -
      Math.min(...events.map((e) => Date.parse(e.data.firstAt)));
    expect(events.length).toBeLessThanOrEqual(Math.floor(span / 50) + 2);
    expect(events.reduce((sum, e) => sum + e.data.count, 0)).toBe(limited);
  });

  it('answers a bad range with BAD_USER_INPUT', async () => {
    await expect(graphql(apiKey, REFUSED, { since: 'yesterday' })).rejects.toThrow(/BAD_USER_INPUT/);
  });
});
