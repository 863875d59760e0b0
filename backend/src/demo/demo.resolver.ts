import { Inject } from '@nestjs/common';
import { Args, Context, Mutation, Query, Resolver } from '@nestjs/graphql';
import { actorOf, CallerResolver } from '../auth/caller';
import { callerOf } from '../auth/graphql-caller';
import { onceRequest } from '../control/idempotency';
import { Idempotency } from '../control/idempotent-mutations';
import type { GraphqlContext } from '../graphql/graphql-context';
import { DEMO_DURATION_MS } from './demo-plan';
import { DemoTraffic, type DemoRun } from './demo-traffic';

function shown(run: DemoRun | undefined) {
  if (!run) return null;
  const left = DEMO_DURATION_MS - (Date.now() - run.startedAt.getTime());
  return {
    id: run.id,
    status: run.status.toUpperCase(),
    total: run.total,
    done: run.counts.done,
    traces: run.counts.traces,
    plannedErrors: run.counts.plannedErrors,
    unexpectedErrors: run.counts.unexpected,
    startedAt: run.startedAt.toISOString(),
    finishedAt: run.finishedAt?.toISOString() ?? null,
    etaSeconds: run.status === 'running' ? Math.max(0, Math.ceil(left / 1000)) : null,
    message: run.message,
  };
}

/** Demo traffic: admins start and cancel it, viewers watch it. */
@Resolver()
export class DemoResolver {
  constructor(
    @Inject(CallerResolver) private readonly callers: CallerResolver,
    @Inject(DemoTraffic) private readonly demo: DemoTraffic,
    @Inject(Idempotency) private readonly idempotency: Idempotency,
  ) {}

  @Query('demoTraffic')
  demoTraffic(@Args('projectId') projectId: string | null, @Context() context: GraphqlContext) {
    const access = this.callers.authorize(callerOf(this.callers, context), projectId, 'viewer');
    return shown(this.demo.get(access.projectId));
  }

  @Mutation('startDemoTraffic')
  async start(
    @Args('projectId') projectId: string | null,
    @Args('again') again: boolean,
    @Args('idempotencyKey') idempotencyKey: string | null,
    @Context() context: GraphqlContext,
  ) {
    const caller = callerOf(this.callers, context);
    const access = this.callers.authorize(caller, projectId, 'admin');
    const actor = actorOf(caller);
    const once = onceRequest(actor, access.projectId, 'startDemoTraffic', idempotencyKey, { again });
    return this.idempotency.run(once, async () =>
      shown(await this.demo.start(access.projectId, actor, again)),
    );
  }

  @Mutation('cancelDemoTraffic')
  async cancel(@Args('projectId') projectId: string | null, @Context() context: GraphqlContext) {
    const access = this.callers.authorize(callerOf(this.callers, context), projectId, 'admin');
    return shown(await this.demo.cancel(access.projectId));
  }
}
