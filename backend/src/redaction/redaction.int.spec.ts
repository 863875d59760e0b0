import type { NestExpressApplication } from '@nestjs/platform-express';
import { CommandBus } from '@nestjs/cqrs';
import { newEventId, newSpanId, newTraceId } from '@sightline/schemas';
import { eventually } from '../../test/support/events';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../../test/support/fake-openai-server';
import { startGatewayApp } from '../../test/support/gateway-app';
import { ClickHouse } from '../clickhouse/clickhouse';
import { SYSTEM } from '../control/control-events';
import { ControlPlane } from '../control/control-plane';
import { parseApiKey } from '../control/credentials';
import type { RedactionInput } from '../control/decide/redaction';
import { EventLog } from '../eventlog/event-log';
import { TOPICS } from '../eventlog/topics';
import { SetRedactionCommand } from './redaction.commands';

// Unique per run and per test (the card number aside: the app's data folder is fresh).
const run = Date.now().toString().slice(-6);
const secrets = (tag: string) => ({
  email: `ada.${tag}${run}@example.com`,
  card: '4111 1111 1111 1111',
  ticket: `ACME-${run}`,
});
const rules = (redactForwarded: boolean): RedactionInput => ({
  emails: true,
  cardNumbers: true,
  apiKeys: false,
  customRules: [{ name: 'ticket', pattern: 'acme-\\d{6}', replacement: '[TICKET]', caseInsensitive: true }],
  redactForwarded,
});
const said = (s: ReturnType<typeof secrets>) => `${s.email} ${s.card} ${s.ticket} please`;

/**
 * A project's rules through the whole app: the gateway (to a fake OpenAI that records what it was
 * sent) and POST /api/ingest, then the raw event log and every ClickHouse table read back.
 */
describe('redaction rules before the log (embedded log, chDB, the projector)', () => {
  let fake: FakeOpenAiServer;
  let app: NestExpressApplication;
  let base: string;
  let apiKey: string;
  let projectId: string;

  beforeAll(async () => {
    fake = await startFakeOpenAiServer();
    ({ app, base, apiKey } = await startGatewayApp('redaction', {
      OPENAI_BASE_URL: fake.url,
      OPENAI_API_KEY: 'sk-upstream',
      SIGHTLINE_MAX_ATTEMPTS: '1',
    }));
    projectId = app.get(ControlPlane).current.apiKeys.get(parseApiKey(apiKey)!.keyId)!.projectId;
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await fake?.close();
  });

  const setRules = (input: RedactionInput) =>
    app.get(CommandBus).execute(new SetRedactionCommand(SYSTEM, projectId, input));
  const post = (path: string, body: unknown) =>
    fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      body: JSON.stringify(body),
    });
  const chat = async (s: ReturnType<typeof secrets>, stream: boolean) => {
    const res = await post('/v1/chat/completions', {
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: said(s) }],
      user: s.email,
      stream,
    });
    expect(res.status).toBe(200);
    const answer = await res.text();
    return { spanId: res.headers.get('x-sightline-span-id')!, answer };
  };
  const sentUpstream = () => fake.requests.filter((r) => r.path === '/v1/chat/completions').at(-1)!.raw;

  /** Every record of `topic`, all partitions, as text. */
  async function logText(topic: string): Promise<string> {
    const log = app.get(EventLog);
    const ends = await log.endOffsets(topic);
    const parts = await Promise.all(ends.map((end, partition) => log.read(topic, partition, 0, end)));
    return parts
      .flat()
      .map((r) => Buffer.from(r.value).toString('utf8'))
      .join('\n');
  }

  /** Rows holding `text`, per table of the database (every table, views aside). */
  async function tablesHolding(text: string): Promise<Record<string, number>> {
    const ch = app.get(ClickHouse);
    const tables = await ch.query<{ name: string }>(
      `SELECT name FROM system.tables WHERE database = currentDatabase() AND engine NOT LIKE '%View'`,
    );
    expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['events', 'generations', 'spans']));
    const found: Record<string, number> = {};
    for (const { name } of tables) {
      const [row] = await ch.query<{ n: string }>(
        `SELECT count() AS n FROM {table:Identifier} WHERE position(formatRow('TSV', *), {text:String}) > 0`,
        { table: name, text },
      );
      if (Number(row.n) > 0) found[name] = Number(row.n);
    }
    return found;
  }

  const projected = (spanId: string) =>
    eventually(
      () =>
        app
          .get(ClickHouse)
          .query<{ n: string }>(
            `SELECT count() AS n FROM events WHERE span_id = {spanId:String} AND position(formatRow('TSV', *), '[EMAIL]') > 0`,
            { spanId },
          ),
      ([row]) => Number(row.n) >= 2,
      20_000,
    );

  it('records the gateway’s and the ingestion API’s events redacted, and forwards the request unchanged by default', async () => {
    await setRules(rules(false));
    const [viaGateway, viaStream, viaIngest] = [secrets('gw'), secrets('stream'), secrets('ingest')];

    const plain = await chat(viaGateway, false);
    const streamed = await chat(viaStream, true);
    // The provider got the caller's text, and the caller got the provider's answer (the mock echoes it).
    expect(sentUpstream()).toContain(viaStream.email);
    expect(sentUpstream()).toContain(viaStream.card);
    expect(plain.answer).toContain(viaGateway.email);

    const traceId = newTraceId();
    const spanId = newSpanId();
    const res = await post('/api/ingest', {
      batch: [
        {
          id: newEventId(),
          type: 'span',
          body: {
            traceId,
            spanId,
            kind: 'tool',
            name: 'crm lookup',
            startedAt: '2026-11-30T10:00:00Z',
            endedAt: '2026-11-30T10:00:01Z',
            input: { customer: viaIngest.email, note: said(viaIngest) },
            output: [viaIngest.ticket],
            metadata: { contact: viaIngest.email },
          },
        },
        {
          id: newEventId(),
          type: 'generation',
          body: {
            traceId,
            spanId: newSpanId(),
            parentSpanId: spanId,
            model: 'gpt-4o',
            startedAt: '2026-11-30T10:00:00Z',
            endedAt: '2026-11-30T10:00:01Z',
            input: [{ role: 'user', content: said(viaIngest) }],
            output: `Card ${viaIngest.card} is on file`,
            usage: { inputTokens: 10, outputTokens: 5 },
          },
        },
      ],
    });
    expect(res.status).toBe(207);
    expect(((await res.json()) as { errors: unknown[] }).errors).toEqual([]);

    await projected(plain.spanId);
    await projected(streamed.spanId);
    await eventually(
      () => tablesHolding('[TICKET]'),
      (found) => (found.events ?? 0) >= 6 && (found.spans ?? 0) >= 1,
      20_000,
    );

    const log = await logText(TOPICS.llm);
    const live = await logText(TOPICS.live);
    expect(log).toContain('[EMAIL]');
    expect(log).toContain('[CARD]');
    expect(log).toContain('[TICKET]');
    expect(live).toContain('[EMAIL]');
    for (const s of [viaGateway, viaStream, viaIngest]) {
      for (const secret of [s.email, s.card, s.card.replace(/ /g, ''), s.ticket]) {
        expect(log).not.toContain(secret);
        expect(live).not.toContain(secret);
        expect(await tablesHolding(secret)).toEqual({});
      }
    }
  }, 90_000);

  it('forwards the redacted request when the project opts in', async () => {
    await setRules(rules(true));
    const s = secrets('fwd');
    const { spanId, answer } = await chat(s, true);
    const upstream = JSON.parse(sentUpstream()) as {
      messages: { role: string; content: string }[];
      user: string;
    };
    expect(upstream.messages).toEqual([{ role: 'user', content: '[EMAIL] [CARD] [TICKET] please' }]);
    expect(upstream.user).toBe('[EMAIL]');
    expect(answer).not.toContain(s.email);

    await projected(spanId);
    const log = await logText(TOPICS.llm);
    for (const secret of [s.email, s.card, s.ticket]) {
      expect(log).not.toContain(secret);
      expect(await tablesHolding(secret)).toEqual({});
    }
  }, 60_000);
});
