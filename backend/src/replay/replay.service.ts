import { Inject, Injectable } from '@nestjs/common';
import {
  roleAtLeast,
  type GenerationRequested,
  type OutputChoice,
  type SightlineEvent,
} from '@sightline/schemas';
import { EventArchive } from '../archive/event-archive';
import type { ProjectAccess } from '../auth/caller';
import type { CatalogModel } from '../catalog/catalog-model';
import { ControlProjectModels } from '../catalog/control-project-models';
import { ModelCatalog } from '../catalog/model-catalog';
import { ProjectModels } from '../catalog/project-models';
import { ForbiddenError, InvalidInputError, UnknownModelError } from '../common/errors';
import { CHAT_COMPLETIONS } from '../gateway/chat-completions.controller';
import { GatewayPipeline } from '../gateway/gateway-pipeline';
import type { TraceContext } from '../gateway/trace-context';
import { RecordedRequests } from '../playground/recorded-requests';
import { toolSpansOf } from '../playground/recorded-tool-spans';
import { PromptVersions } from '../prompts/prompt-versions';
import { ProjectRedaction } from '../redaction/project-redaction';
import { DiscardingSink } from './answer-sink';
import { goneModelError } from './gone-model';
import { maskedValues } from './masked-values';
import {
  CHANGES_METADATA,
  changesOf,
  checkOverrides,
  promptRef,
  type ReplayOverrides,
} from './replay-overrides';
import {
  recordedBody,
  recordedPrompt,
  withParams,
  withPromptVersion,
  withSystem,
  type Body,
} from './replay-request';
import { outcomeOf, type ReplayOutcome } from './replay-outcome';
import { withRecordedToolResults } from './tool-results';

export type { ReplayOverrides } from './replay-overrides';
export type { ReplayOutcome } from './replay-outcome';

export interface ReplayOptions {
  /** Stops the replay (recorded as cancelled, answered as failed `cancelled`). */
  readonly signal?: AbortSignal;
  /** Put on the replay's trace (`x-sightline-tags`, `x-sightline-metadata` of a gateway call). */
  readonly tags?: string[];
  readonly metadata?: Record<string, string>;
  /** The recorded request, when the caller read it already (a bulk replay reads them in chunks). */
  readonly recorded?: GenerationRequested;
}

/**
 * Re-runs recorded requests through the gateway's own command path (routing, budgets, redaction,
 * recording), each as a new trace whose generation has `replayOf` set to the one replayed.
 */
@Injectable()
export class ReplayService {
  constructor(
    @Inject(RecordedRequests) private readonly requests: RecordedRequests,
    @Inject(EventArchive) private readonly archive: EventArchive,
    @Inject(GatewayPipeline) private readonly gateway: GatewayPipeline,
    @Inject(PromptVersions) private readonly prompts: PromptVersions,
    @Inject(ProjectRedaction) private readonly redaction: ProjectRedaction,
    @Inject(ModelCatalog) private readonly catalog: ModelCatalog,
    @Inject(ProjectModels) private readonly projectModels: ProjectModels,
    @Inject(ControlProjectModels) private readonly ownModels: ControlProjectModels,
  ) {}

  /**
   * Replays generation `generationId` of `access`'s project with `overrides` and waits for its end.
   * A provider's failure is a `failed` outcome (recorded like any failed call).
   * @throws ForbiddenError below member; GenerationNotFoundError (`generation_not_found`);
   *   InvalidInputError (`invalid_overrides`, `invalid_prompt_variables`, `tool_results_not_recorded`,
   *   `tools_not_supported` for tools on a model the catalog or the project says has none);
   *   NotFoundError (`prompt_not_found`, `prompt_version_not_found`); UnknownModelError
   *   (`model_not_found`, with the catalog's closest models) for a model no longer routed;
   *   BudgetExceededError and the other refusals the gateway makes before sending anything.
   */
  async replay(
    access: ProjectAccess,
    generationId: string,
    overrides: ReplayOverrides,
    options: ReplayOptions = {},
  ): Promise<ReplayOutcome> {
    if (!roleAtLeast(access.role, 'member')) throw new ForbiddenError();
    checkOverrides(overrides);
    const recorded = isRequestOf(options.recorded, access.projectId, generationId)
      ? options.recorded
      : await this.requests.get(access.projectId, generationId);
    const { body, prompt } = await this.requestOf(access.projectId, recorded, overrides);
    checkFeatures(body, this.routed(access.projectId, body, recorded));
    const masked = maskedValues(body.messages, this.redaction.maskTokens(access.projectId), 'messages');
    const changes = changesOf(overrides);
    const trace: TraceContext = {
      tags: options.tags ?? [],
      metadata: {
        ...options.metadata,
        ...promptMetadata(prompt),
        // What changed, for the replay's diff (the model shows there as `a → b`).
        ...(changes.length ? { [CHANGES_METADATA]: changes.join('; ') } : {}),
      },
      replayOf: generationId,
    };
    const signal = options.signal ?? new AbortController().signal;
    await this.gateway.budgetsReady(access.projectId);
    const call = this.gateway.call(
      CHAT_COMPLETIONS,
      access,
      body,
      trace,
      new DiscardingSink(),
      signal,
      'replay',
    );
    const { spanId, traceId } = call.recording.span;
    const refused = await call.answered.then(
      () => undefined,
      (error: unknown) => error ?? new Error('The replay failed'),
    );
    const end = await call.recording.outcome;
    if (!end) throw refused; // refused before a provider was tried (unknown model...): nothing recorded
    return { generationId: spanId, traceId, replayOf: generationId, masked, ...outcomeOf(end) };
  }

  /**
   * The model a replay of `recorded` with `overrides` goes to (a prompt version may set it),
   * refused when it lacks a feature the request asks of it according to the catalog (or the
   * project); nothing is sent. A bulk replay checks this once per kind of request before it starts,
   * and prices its estimate at that model. A model no rule routes is refused here too, with the
   * catalog's closest models (as a single replay is), rather than every replay of it failing.
   * @throws InvalidInputError `tools_not_supported`, `structured_output_not_supported`; the prompt
   *   override's NotFoundError and `invalid_prompt_variables`; UnknownModelError `model_not_found`
   */
  async checkModelFeatures(
    projectId: string,
    recorded: GenerationRequested,
    overrides: ReplayOverrides,
  ): Promise<string> {
    checkOverrides(overrides);
    const { body } = await this.requestOf(projectId, recorded, { ...overrides, toolResults: 'none' });
    checkFeatures(body, this.routed(projectId, body, recorded));
    return String(body.model);
  }

  /** The request to send: the recorded one with the overrides applied, in their documented order. */
  private async requestOf(
    projectId: string,
    recorded: GenerationRequested,
    overrides: ReplayOverrides,
  ): Promise<{ body: Body; prompt: { name: string; version: number } | undefined }> {
    let body = recordedBody(recorded.data);
    let prompt = recordedPrompt(recorded.data);
    if (overrides.toolResults === 'recorded') body = await this.withToolResults(recorded, body);
    // Variables alone fill again the version the request was recorded with.
    const ref = overrides.prompt ?? (overrides.variables && prompt && `${prompt.name}@${prompt.version}`);
    if (overrides.variables && !ref)
      throw new InvalidInputError(
        'variables fill a prompt version: name one in prompt (the request was recorded without a prompt)',
        'invalid_prompt_variables',
        'overrides.prompt',
      );
    if (ref) {
      const { name, selector } = promptRef(ref);
      const next = this.prompts.get(projectId, name, selector);
      const previous = prompt && this.previousVersion(projectId, prompt);
      body = withPromptVersion(body, next, previous, overrides.variables);
      prompt = { name: next.name, version: next.version };
    }
    if (overrides.system !== undefined) body = withSystem(body, overrides.system);
    if (overrides.params) body = withParams(body, overrides.params);
    if (overrides.model) body = { ...body, model: overrides.model.trim() };
    return { body, prompt };
  }

  /**
   * The catalog entry of the model the replay goes to (undefined when only a prefix or family
   * routes it). A model no rule routes any more is refused here, before anything is sent, saying
   * why (a project model removed since) and offering the catalog's closest models.
   */
  private routed(projectId: string, body: Body, recorded: GenerationRequested): CatalogModel | undefined {
    const requested = String(body.model);
    try {
      return this.catalog.resolve(requested, this.projectModels.forProject(projectId)).model;
    } catch (error) {
      if (!(error instanceof UnknownModelError)) throw error;
      const asRecorded = requested === recorded.data.model;
      throw goneModelError(
        {
          requested,
          provider: asRecorded ? recorded.data.provider : undefined,
          removed: this.ownModels.removedNamed(projectId, requested),
        },
        this.catalog.models,
      );
    }
  }

  /** The version a request was recorded with, if it still exists. */
  private previousVersion(projectId: string, used: { name: string; version: number }) {
    try {
      return this.prompts.get(projectId, used.name, { version: used.version });
    } catch {
      return undefined; // deleted since: its messages are read as the leading system messages
    }
  }

  private async withToolResults(recorded: GenerationRequested, body: Body): Promise<Body> {
    const { projectId, traceId, spanId } = recorded;
    const [ends, spans] = await Promise.all([
      this.archive.eventsOfSpans([{ projectId, traceId, spanId }], ['generation.completed']),
      this.archive.eventsOfTrace(projectId, traceId, ['span.recorded']),
    ]);
    return withRecordedToolResults(body, firstChoiceOf(ends), toolSpansOf(spans));
  }
}

function isRequestOf(
  recorded: GenerationRequested | undefined,
  projectId: string,
  generationId: string,
): recorded is GenerationRequested {
  return recorded?.projectId === projectId && recorded.spanId === generationId;
}

function firstChoiceOf(events: readonly SightlineEvent[]): OutputChoice | undefined {
  const completed = events.find((e) => e.type === 'generation.completed');
  return completed?.type === 'generation.completed' ? completed.data.output.choices[0] : undefined;
}

/** `prompt.name` and `prompt.version` as the gateway records them, of the version the replay used. */
function promptMetadata(prompt: { name: string; version: number } | undefined): Record<string, string> {
  return prompt ? { 'prompt.name': prompt.name, 'prompt.version': String(prompt.version) } : {};
}

/**
 * Tools or a JSON schema sent to a model known to take none would fail at the provider, or be
 * ignored: refused before anything is sent, naming the model and the feature.
 */
function checkFeatures(body: Body, model: CatalogModel | undefined): void {
  if (!model) return;
  if (Array.isArray(body.tools) && body.tools.length && !model.tools)
    throw new InvalidInputError(
      `${String(body.model)} does not support tools: replay on a model that does, or without them (params {"tools": null})`,
      'tools_not_supported',
      'model',
    );
  const format = body.response_format as { type?: unknown } | undefined;
  if (format?.type === 'json_schema' && !model.structuredOutput)
    throw new InvalidInputError(
      `${String(body.model)} does not support structured output (a JSON schema in response_format): replay on a model that does, or without it (params {"response_format": null})`,
      'structured_output_not_supported',
      'model',
    );
}
