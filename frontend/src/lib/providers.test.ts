import { describe, expect, it } from 'vitest';
import {
  credentialInput,
  maskedSecret,
  providerChoice,
  suggestedTestModel,
  type CredentialForm,
} from './providers';

const form = (over: Partial<CredentialForm> = {}): CredentialForm => ({
  provider: 'openai',
  label: ' team key ',
  secret: ' sk-abc ',
  accessKeyId: 'AKIA-left-over',
  baseUrl: '',
  region: 'eu-west-1',
  apiVersion: '2024-10-21',
  weight: 1,
  ...over,
});

describe('provider credential form', () => {
  it('sends only the fields the provider uses, trimmed, blanks left out', () => {
    expect(credentialInput(form())).toEqual({
      provider: 'openai',
      label: 'team key',
      secret: 'sk-abc',
      weight: 1,
    });
    expect(credentialInput(form({ provider: 'bedrock', accessKeyId: ' AKIA1 ' }))).toEqual({
      provider: 'bedrock',
      label: 'team key',
      secret: 'sk-abc',
      weight: 1,
      accessKeyId: 'AKIA1',
      region: 'eu-west-1',
    });
    expect(
      credentialInput(form({ provider: 'azure', baseUrl: 'https://r.openai.azure.com', weight: 3 })),
    ).toEqual({
      provider: 'azure',
      label: 'team key',
      secret: 'sk-abc',
      weight: 3,
      baseUrl: 'https://r.openai.azure.com',
      apiVersion: '2024-10-21',
    });
  });

  it('knows what each provider needs; an unknown id shows as itself', () => {
    expect(providerChoice('ollama').needs).toEqual(['baseUrl']);
    expect(providerChoice('bedrock').secretLabel).toBe('AWS secret access key');
    expect(providerChoice('newcomer')).toMatchObject({ id: 'newcomer', name: 'newcomer', needs: [] });
  });

  it('masks the secret, showing at most its last 4 characters', () => {
    expect(maskedSecret('abcd')).toBe('•••• abcd');
    expect(maskedSecret('')).toBe('••••');
  });

  it('suggests a cheap model to test a hosted provider with, none where only the owner knows', () => {
    expect(suggestedTestModel('openai')).toBe('gpt-4o-mini');
    expect(suggestedTestModel('anthropic')).toBe('claude-3-5-haiku-latest');
    expect(suggestedTestModel('azure')).toBe('');
    expect(suggestedTestModel('ollama')).toBe('');
  });
});
