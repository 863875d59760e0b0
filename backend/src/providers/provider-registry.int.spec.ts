import 'reflect-metadata';
import { Global, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MockProvider } from './mock/mock.provider';
import { OpenAiCompatibleProvider } from './openai/openai.provider';
import { UnknownModelError } from '../common/errors';
import { isOpenAiModel, ProviderRegistry, PROVIDERS_CONFIG } from './provider-registry';
import { ProvidersModule } from './providers.module';
import { startFakeOpenAiServer } from '../../test/support/fake-openai-server';

describe('ProviderRegistry', () => {
  const mockOnly = new ProviderRegistry({ mockTokenIntervalMs: 0 });

  it('routes mock-* to the mock provider', () => {
    expect(mockOnly.resolve('mock-1')).toBeInstanceOf(MockProvider);
    expect(mockOnly.resolve('mock-large').id).toBe('mock');
  });

  it('throws UnknownModelError carrying the model when nothing serves it', () => {
    expect(() => mockOnly.resolve('gpt-4o')).toThrow(UnknownModelError);
    try {
      mockOnly.resolve('gpt-4o');
    } catch (error) {
      expect(error).toMatchObject({ name: 'UnknownModelError', model: 'gpt-4o' });
    }
  });

  it('routes OpenAI model families and openai/<model> when OpenAI is configured', () => {
    const registry = new ProviderRegistry({
      mockTokenIntervalMs: 0,
      openai: { baseUrl: 'http://127.0.0.1:1/v1' },
    });
    for (const model of [
      'gpt-4o',
      'gpt-4.1-mini',
      'o1',
      'o1-mini',
      'o3-mini',
      'o4-mini',
      'chatgpt-4o-latest',
      'openai/anything',
    ]) {
      const provider = registry.resolve(model);
      expect({ model, provider: provider.id }).toEqual({ model, provider: 'openai' });
      expect(provider).toBeInstanceOf(OpenAiCompatibleProvider);
    }
    expect(registry.resolve('mock-1').id).toBe('mock');
    for (const model of ['claude-3', 'openai/', 'o2', 'gpt4', '']) {
      expect(() => registry.resolve(model)).toThrow(UnknownModelError);
    }
    expect(isOpenAiModel('openai/mock-1')).toBe(true);
  });

  it('lists its routes', () => {
    expect(mockOnly.list()).toEqual([{ provider: 'mock', modelPattern: 'mock-*' }]);
    const registry = new ProviderRegistry({ mockTokenIntervalMs: 0, openai: { baseUrl: 'http://x/v1' } });
    expect(registry.list().map((r) => `${r.provider}:${r.modelPattern}`)).toEqual([
      'mock:mock-*',
      'openai:gpt-*',
      'openai:o1*',
      'openai:o3*',
      'openai:o4*',
      'openai:chatgpt-*',
      'openai:openai/*',
    ]);
  });

  it('strips openai/ before sending, and sends the configured key', async () => {
    const fake = await startFakeOpenAiServer({ apiKey: 'sk-registry' });
    try {
      const registry = new ProviderRegistry({
        mockTokenIntervalMs: 0,
        openai: { baseUrl: fake.url, apiKey: 'sk-registry' },
      });
      const request = {
        model: 'openai/gpt-4o-mini',
        messages: [{ role: 'user' as const, content: 'hi' }],
        params: {},
      };
      const result = await registry.resolve(request.model).complete(request, new AbortController().signal);
      expect(result.finishReason).toBe('stop');
      expect(fake.requests[0].body).toMatchObject({ model: 'gpt-4o-mini' });
    } finally {
      await fake.close();
    }
  });
});

describe('ProvidersModule', () => {
  it('builds the registry from a PROVIDERS_CONFIG provided globally', async () => {
    @Global()
    @Module({
      providers: [{ provide: PROVIDERS_CONFIG, useValue: { mockTokenIntervalMs: 5 } }],
      exports: [PROVIDERS_CONFIG],
    })
    class ConfigModule {}
    @Module({ imports: [ConfigModule, ProvidersModule] })
    class AppModule {}

    const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
    try {
      expect(app.get(ProviderRegistry).resolve('mock-1').id).toBe('mock');
    } finally {
      await app.close();
    }
  });

  it('builds the registry from forRoot(config)', async () => {
    @Module({
      imports: [ProvidersModule.forRoot({ mockTokenIntervalMs: 0, openai: { baseUrl: 'http://x/v1' } })],
    })
    class AppModule {}
    const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
    try {
      expect(app.get(ProviderRegistry).resolve('gpt-4o').id).toBe('openai');
    } finally {
      await app.close();
    }
  });
});
