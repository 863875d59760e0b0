import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { UnknownModelError } from '../common/errors';
import { Router } from '../routing/router';
import { UpstreamHttp } from './http/upstream-http';
import { MockAdapter } from './mock/mock.adapter';
import { OpenAiAdapter } from './openai/openai.adapter';
import { EnvRouter, isOpenAiModel } from './provider-registry';
import { ProvidersModule } from './providers.module';

describe('EnvRouter (until gw-routing’s router replaces it)', () => {
  const http = new UpstreamHttp();
  afterAll(() => http.onModuleDestroy());
  const mockOnly = new EnvRouter({ mockTokenIntervalMs: 0 }, http);
  const withOpenAi = new EnvRouter(
    { mockTokenIntervalMs: 0, openai: { baseUrl: 'http://x/v1', apiKey: 'sk-x' } },
    http,
  );

  it('routes mock-* to the mock adapter', () => {
    expect(mockOnly.resolve('mock-1').adapter).toBeInstanceOf(MockAdapter);
  });

  it('throws UnknownModelError carrying the model when nothing serves it', () => {
    expect(() => mockOnly.resolve('gpt-4o')).toThrow(UnknownModelError);
    for (const model of ['claude-3', 'openai/', 'o2', 'gpt4', '']) {
      expect(() => withOpenAi.resolve(model)).toThrow(UnknownModelError);
    }
  });

  it('routes OpenAI families and openai/<model> to OpenAI, the prefix stripped on the wire', () => {
    for (const model of ['gpt-4o', 'gpt-4.1-mini', 'o1', 'o3-mini', 'o4-mini', 'chatgpt-4o-latest']) {
      expect(withOpenAi.resolve(model)).toMatchObject({
        model,
        credential: { baseUrl: 'http://x/v1', apiKey: 'sk-x' },
      });
      expect(withOpenAi.resolve(model).adapter).toBeInstanceOf(OpenAiAdapter);
    }
    expect(withOpenAi.resolve('openai/gpt-4o-mini').model).toBe('gpt-4o-mini');
    expect(isOpenAiModel('openai/mock-1')).toBe(true);
  });

  it('runs one attempt on the target and returns its result', async () => {
    const seen: string[] = [];
    const { target, result } = await mockOnly.run('p', 'mock-1', new AbortController().signal, async (t) => {
      seen.push(t.model);
      return 'ok';
    });
    expect({ seen, model: target.model, result }).toEqual({
      seen: ['mock-1'],
      model: 'mock-1',
      result: 'ok',
    });
  });

  it('is the Router ProvidersModule.forRoot provides', async () => {
    @Module({ imports: [ProvidersModule.forRoot({ mockTokenIntervalMs: 0 })] })
    class AppModule {}
    const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
    try {
      expect(app.get(Router)).toBeInstanceOf(EnvRouter);
    } finally {
      await app.close();
    }
  });
});
