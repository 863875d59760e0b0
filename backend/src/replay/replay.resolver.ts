import { Inject } from '@nestjs/common';
import { Args, Context, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { actorOf, CallerResolver } from '../auth/caller';
import { callerOf } from '../auth/graphql-caller';
import { InvalidInputError } from '../common/errors';
import { onceRequest } from '../control/idempotency';
import { Idempotency } from '../control/idempotent-mutations';
import type { GenerationView } from '../generations/generation.view';
import type { GraphqlContext } from '../graphql/graphql-context';
import { ProjectRedaction } from '../redaction/project-redaction';
import { maskedValues } from './masked-values';
import type { ReplayOutcome } from './replay-outcome';
import type { ReplayOverrides } from './replay-overrides';
import { ReplayReads } from './replay-reads';
import { ReplayService } from './replay.service';

interface ReplayOverridesInput {
  model?: string | null;
  params?: string | null;
  system?: string | null;
  prompt?: string | null;
  variables?: string | null;
  toolResults?: 'NONE' | 'RECORDED' | null;
}

/** The GraphQL input as service overrides; `params` is JSON text. @throws InvalidInputError `invalid_overrides` */
export function overridesOf(input: ReplayOverridesInput | null): ReplayOverrides {
  if (!input) return {};
  let params: Record<string, unknown> | undefined;
  if (input.params != null && input.params.trim() !== '') {
    try {
      params = JSON.parse(input.params) as Record<string, unknown>;
    } catch {
      throw new InvalidInputError('params must be a JSON object', 'invalid_overrides', 'overrides.params');
    }
  }
  let variables: Record<string, string> | undefined;
  if (input.variables != null && input.variables.trim() !== '') {
    try {
      variables = JSON.parse(input.variables) as Record<string, string>;
    } catch {
      throw new InvalidInputError(
        'variables must be a JSON object of texts',
        'invalid_overrides',
        'overrides.variables',
      );
    }
  }
  return {
    ...(variables !== undefined ? { variables } : {}),
    ...(input.model ? { model: input.model } : {}),
    ...(params !== undefined ? { params } : {}),
    ...(input.system != null ? { system: input.system } : {}),
    ...(input.prompt ? { prompt: input.prompt } : {}),
    toolResults: input.toolResults === 'RECORDED' ? 'recorded' : 'none',
  };
}

/** 1234n nano-USD → `"0.000001234"`. */
export function usdOf(nano: bigint): string {
  return `${nano / 1_000_000_000n}.${(nano % 1_000_000_000n).toString().padStart(9, '0')}`;
}

/** The GraphQL shape, plain JSON (an idempotency record keeps it). */
const outcomeView = ({ costNanoUsd, ...o }: ReplayOutcome) => ({
  ...o,
  status: o.status === 'completed' ? 'COMPLETED' : 'FAILED',
  cost: costNanoUsd === null ? null : usdOf(costNanoUsd),
  error: o.error ?? null,
});

@Resolver('Generation')
export class ReplayResolver {
  constructor(
    @Inject(CallerResolver) private readonly callers: CallerResolver,
    @Inject(ReplayService) private readonly replays: ReplayService,
    @Inject(ReplayReads) private readonly reads: ReplayReads,
    @Inject(ProjectRedaction) private readonly redaction: ProjectRedaction,
    @Inject(Idempotency) private readonly idempotency: Idempotency,
  ) {}

  @Mutation('replayGeneration')
  async replayGeneration(
    @Args('projectId') projectId: string | null,
    @Args('generationId') generationId: string,
    @Args('overrides') overrides: ReplayOverridesInput | null,
    @Args('idempotencyKey') idempotencyKey: string | null,
    @Context() context: GraphqlContext,
  ) {
    const caller = callerOf(this.callers, context);
    const access = this.callers.authorize(caller, projectId, 'member');
    const input = { generationId, overrides: overridesOf(overrides) };
    const once = onceRequest(actorOf(caller), access.projectId, 'replayGeneration', idempotencyKey, input);
    return this.idempotency.run(once, async () =>
      outcomeView(await this.replays.replay(access, generationId, input.overrides)),
    );
  }

  @Query('generation')
  generation(
    @Args('projectId') projectId: string | null,
    @Args('id') id: string,
    @Context() context: GraphqlContext,
  ): Promise<GenerationView> {
    const access = this.callers.authorize(callerOf(this.callers, context), projectId, 'viewer');
    return this.reads.generation(access.projectId, id);
  }

  // The parent generation was already authorized for its project.
  @ResolveField('replays')
  replaysOf(@Parent() generation: GenerationView): Promise<GenerationView[]> {
    return this.reads.replaysOf(generation.projectId, generation.spanId);
  }

  @ResolveField('maskedInputs')
  maskedInputs(@Parent() generation: GenerationView) {
    let input: unknown;
    try {
      input = JSON.parse(generation.input);
    } catch {
      input = generation.input;
    }
    return maskedValues(input, this.redaction.maskTokens(generation.projectId), 'messages');
  }
}
