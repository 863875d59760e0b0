import type { ChatChoice, ChatCompletion } from '../chat-completions';
import type { GeminiCandidate, GeminiResponse } from './gemini-types';
import {
  geminiFinishReason,
  geminiLogprobs,
  geminiUsage,
  hubFinishReason,
  hubLogprobs,
  hubUsage,
  syntheticCallId,
} from './gemini-mappings';
import { hubMessageOf, modelParts, sortParts } from './parts';
import { defined, invalid, isObject } from './gemini-shared';

/**
 * A `generateContent` answer → a hub completion. `id` is the `responseId`, `created` 0 (Gemini
 * sends no time; the gateway stamps its own), `model` the `modelVersion`. A prompt blocked before
 * any candidate (`promptFeedback.blockReason`) is one empty choice finished by `content_filter`.
 */
export function geminiToCompletion(body: unknown): ChatCompletion {
  if (!isObject(body)) throw invalid('body', 'a Gemini answer must be a JSON object');
  const response = body as GeminiResponse;
  const scope = response.responseId ?? '';
  const candidates = response.candidates ?? [];
  const choices: ChatChoice[] =
    candidates.length === 0 && response.promptFeedback?.blockReason
      ? [{ index: 0, message: { role: 'assistant', content: null }, finish_reason: 'content_filter' }]
      : candidates.map((candidate, i) => toChoice(candidate, i, scope));
  return defined({
    id: scope,
    object: 'chat.completion' as const,
    created: 0,
    model: response.modelVersion ?? '',
    choices,
    usage: response.usageMetadata ? hubUsage(response.usageMetadata) : undefined,
  });
}

function toChoice(candidate: GeminiCandidate, i: number, scope: string): ChatChoice {
  const index = candidate.index ?? i;
  let calls = 0;
  const sorted = sortParts(
    candidate.content?.parts ?? [],
    () => syntheticCallId(scope, index, calls++),
    `candidates.${i}.content.parts`,
  );
  const hasCalls = sorted.toolCalls.length > 0;
  return defined({
    index,
    message: hubMessageOf(sorted),
    finish_reason: hubFinishReason(candidate.finishReason, hasCalls) ?? 'stop',
    logprobs: candidate.logprobsResult ? hubLogprobs(candidate.logprobsResult) : undefined,
  });
}

/** A hub completion → a `generateContent` answer, for a caller of the Gemini format. */
export function completionToGemini(completion: ChatCompletion): GeminiResponse {
  return defined({
    candidates: completion.choices.map((choice) =>
      defined({
        content: { role: 'model', parts: modelParts(choice.message, 'choices') },
        finishReason: geminiFinishReason(choice.finish_reason) ?? 'STOP',
        index: choice.index,
        logprobsResult: geminiLogprobs(choice.logprobs),
      }),
    ),
    usageMetadata: completion.usage ? geminiUsage(completion.usage) : undefined,
    modelVersion: completion.model,
    responseId: completion.id,
  });
}
