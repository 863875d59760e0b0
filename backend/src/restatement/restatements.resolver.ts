import { Inject } from '@nestjs/common';
import { Args, Context, Mutation, Query, Resolver, Subscription } from '@nestjs/graphql';
import { CallerResolver } from '../auth/caller';
import { callerOf } from '../auth/graphql-caller';
import { InvalidInputError } from '../common/errors';
import type { GraphqlContext } from '../graphql/graphql-context';
import { toRestatementView, type RestatementView } from './restatement.view';
import { Restatements } from './restatements.service';

const MAX_LIST = 50;
const MAX_KEY_LENGTH = 128;

function badInput(message: string): InvalidInputError {
  return new InvalidInputError(message, 'invalid_argument');
}

/** Restatement jobs: admins start, cancel and resume them; viewers follow them. */
@Resolver('Restatement')
export class RestatementsResolver {
  constructor(
    @Inject(Restatements) private readonly restatements: Restatements,
    @Inject(CallerResolver) private readonly callers: CallerResolver,
  ) {}

  @Query('restatements')
  async list(
    @Args('projectId') projectId: string | null,
    @Args('first') first: number,
    @Context() context: GraphqlContext,
  ): Promise<RestatementView[]> {
    if (!Number.isInteger(first) || first < 1 || first > MAX_LIST) {
      throw badInput(`first must be between 1 and ${MAX_LIST}`);
    }
    const access = this.callers.authorize(callerOf(this.callers, context), projectId, 'viewer');
    const jobs = await this.restatements.jobs(access.projectId, first);
    return jobs.map((job) => this.view(job.id, job));
  }

  @Query('restatement')
  async one(
    @Args('projectId') projectId: string | null,
    @Args('id') id: string,
    @Context() context: GraphqlContext,
  ): Promise<RestatementView> {
    const access = this.callers.authorize(callerOf(this.callers, context), projectId, 'viewer');
    return this.view(id, await this.restatements.job(access.projectId, id));
  }

  @Mutation('startRestatement')
  async start(
    @Args('projectId') projectId: string | null,
    @Args('idempotencyKey') idempotencyKey: string,
    @Context() context: GraphqlContext,
  ): Promise<RestatementView> {
    if (!idempotencyKey.trim() || idempotencyKey.length > MAX_KEY_LENGTH) {
      throw badInput(`idempotencyKey must be 1 to ${MAX_KEY_LENGTH} characters`);
    }
    const access = this.callers.authorize(callerOf(this.callers, context), projectId, 'admin');
    const job = await this.restatements.start(access.projectId, idempotencyKey);
    return this.view(job.id, job);
  }

  @Mutation('cancelRestatement')
  async cancel(
    @Args('projectId') projectId: string | null,
    @Args('id') id: string,
    @Context() context: GraphqlContext,
  ): Promise<RestatementView> {
    const access = this.callers.authorize(callerOf(this.callers, context), projectId, 'admin');
    return this.view(id, await this.restatements.cancel(access.projectId, id));
  }

  @Mutation('resumeRestatement')
  async resume(
    @Args('projectId') projectId: string | null,
    @Args('id') id: string,
    @Context() context: GraphqlContext,
  ): Promise<RestatementView> {
    const access = this.callers.authorize(callerOf(this.callers, context), projectId, 'admin');
    return this.view(id, await this.restatements.resume(access.projectId, id));
  }

  @Subscription('restatementProgress', { resolve: (view: unknown) => view })
  async progress(
    @Args('projectId') projectId: string | null,
    @Args('id') id: string,
    @Context() context: GraphqlContext,
  ): Promise<AsyncIterable<RestatementView>> {
    const caller = callerOf(this.callers, context);
    const access = this.callers.authorize(caller, projectId, 'viewer');
    await this.restatements.job(access.projectId, id); // NOT_FOUND before the stream starts
    const jobs = this.restatements.watch(access.projectId, id);
    const allowed = () => this.callers.stillAllowed(caller, access.projectId, 'viewer');
    const view = (job: Parameters<typeof toRestatementView>[0]) => this.view(job.id, job);
    return (async function* () {
      for await (const job of jobs) {
        if (!allowed()) return;
        yield view(job);
      }
    })();
  }

  private view(id: string, job: Parameters<typeof toRestatementView>[0]): RestatementView {
    return toRestatementView(job, this.restatements.isActive(id));
  }
}
