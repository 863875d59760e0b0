import 'reflect-metadata';
import { Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CommandBus, CqrsModule } from '@nestjs/cqrs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Clock } from '../common/clock';
import { EventRecorder } from '../eventlog/event-recorder';
import { LmdbEventLog } from '../eventlog/lmdb/lmdb-event-log';
import { topicSpecs } from '../eventlog/topics';
import { toGraphqlError } from '../graphql/graphql-errors';
import { ProvidersModule } from '../providers/providers.module';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../../test/support/fake-openai-server';
import { ChatCompletionCommand, ChatCompletionHandler } from './chat-completion.command';
import { openAiError } from './openai-errors';
import { parseChatRequest } from './openai-chat-request';

/**
 * The chat-completion command fails with typed errors, so any transport that runs it (the gateway
 * today, a GraphQL mutation such as the playground's tomorrow) answers with a stable code.
 */
describe('the chat-completion command’s failures, as GraphQL and OpenAI answer them', () => {
  let fakeOpenAi: FakeOpenAiServer;
  let log: LmdbEventLog;
  let app: INestApplicationContext;

  beforeAll(async () => {
    fakeOpenAi = await startFakeOpenAiServer();
    log = LmdbEventLog.open(mkdtempSync(join(tmpdir(), 'sightline-command-errors-')));
    await log.ensureTopics(topicSpecs(1));
    @Module({
      imports: [
        CqrsModule,
        ProvidersModule.forRoot({ mockTokenIntervalMs: 0, openai: { baseUrl: fakeOpenAi.url } }),
      ],
      providers: [ChatCompletionHandler, Clock, { provide: EventRecorder, useValue: new EventRecorder(log) }],
    })
    class CommandOnly {}
    app = await NestFactory.createApplicationContext(CommandOnly, { logger: false });
  });

  afterAll(async () => {
    await app?.get(EventRecorder).flush();
    await app?.close();
    await log?.close();
    await fakeOpenAi?.close();
  });

  /** Runs the command as the gateway does and returns what it threw (or what its result rejected with). */
  async function failureOf(body: unknown): Promise<unknown> {
    try {
      const { request, stream } = parseChatRequest(body);
      const access = { projectId: 'prj_errors', role: 'member' as const };
      const command = new ChatCompletionCommand(
        access,
        undefined,
        request,
        stream,
        'gateway',
        {},
        new AbortController().signal,
      );
      const outcome = await app.get(CommandBus).execute(command);
      if (outcome.kind === 'completion') await outcome.result;
    } catch (error) {
      return error;
    }
    throw new Error('the command succeeded');
  }

  const ask = (model: string, content: string) => ({ model, messages: [{ role: 'user', content }] });

  it('an unknown model is BAD_USER_INPUT in GraphQL, 404 model_not_found for OpenAI clients', async () => {
    const error = await failureOf(ask('claude-9', 'hi'));
    expect(toGraphqlError(error).extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'model_not_found',
    });
    expect(openAiError(error)).toMatchObject({
      status: 404,
      body: { error: { code: 'model_not_found', param: 'model' } },
    });
  });

  it('an invalid request names its field in both', async () => {
    const error = await failureOf({ model: 'mock-1', messages: [{ role: 'robot', content: 'hi' }] });
    expect(toGraphqlError(error).extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      param: 'messages.0.role',
    });
    expect(openAiError(error).body.error).toMatchObject({ code: 'invalid_value', param: 'messages.0.role' });
  });

  it("a provider's 429 keeps its status and retry hints", async () => {
    const error = await failureOf(ask('gpt-4o', '[mock:error:429]'));
    expect(toGraphqlError(error).extensions).toMatchObject({
      code: 'PROVIDER_ERROR',
      providerStatus: 429,
      retryAfterSeconds: 1,
    });
    expect(openAiError(error)).toMatchObject({
      status: 429,
      headers: { 'retry-after': '1', 'x-ratelimit-reset-requests': '1s' },
      body: { error: { type: 'rate_limit_error' } },
    });
  });

  it('a provider outage is PROVIDER_ERROR, a bad gateway for OpenAI clients', async () => {
    const error = await failureOf(ask('mock-1', '[mock:error:503]'));
    expect(toGraphqlError(error).extensions).toMatchObject({ code: 'PROVIDER_ERROR', providerStatus: 503 });
    expect(openAiError(error)).toMatchObject({ status: 502, unexpected: false });
  });
});
