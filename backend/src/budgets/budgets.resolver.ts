import { Inject } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Args, Context, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { BudgetAlertState, BudgetScope, BudgetState, BudgetWindow } from '@sightline/schemas';
import { actorOf, CallerResolver } from '../auth/caller';
import { callerOf } from '../auth/graphql-caller';
import { Clock } from '../common/clock';
import { InvalidInputError } from '../common/errors';
import { ControlPlane } from '../control/control-plane';
import { onceRequest } from '../control/idempotency';
import type { BudgetInput } from '../control/decide/budgets';
import type { GraphqlContext } from '../graphql/graphql-context';
import { BudgetGuard } from './budget-guard';
import { windowEnd, windowStart } from './budget-rules';
import { CreateBudgetCommand, RemoveBudgetCommand, UpdateBudgetCommand } from './budgets.commands';
import { formatUsd } from './usd';

/** GraphQL enum values ↔ the events' own. */
const SCOPES = { PROJECT: 'project', API_KEY: 'api-key', END_USER: 'end-user' } as const;
const WINDOWS = { DAY: 'day', MONTH: 'month' } as const;
type ScopeEnum = keyof typeof SCOPES;
type WindowEnum = keyof typeof WINDOWS;
const enumOf = <K extends string, V>(map: Record<K, V>, value: V): K =>
  (Object.keys(map) as K[]).find((k) => map[k] === value)!;

interface BudgetInputArg {
  readonly name: string;
  readonly scope: ScopeEnum;
  readonly target?: string | null;
  readonly window: WindowEnum;
  readonly softLimitUsd?: string | null;
  readonly hardLimitUsd?: string | null;
}

const inputOf = (input: BudgetInputArg): BudgetInput => ({
  name: input.name,
  scope: SCOPES[input.scope] as BudgetScope,
  target: input.target ?? null,
  window: WINDOWS[input.window] as BudgetWindow,
  softLimitUsd: input.softLimitUsd ?? null,
  hardLimitUsd: input.hardLimitUsd ?? null,
});

/** Settings → Budgets: read by viewers, changed by admins. */
@Resolver()
export class BudgetsResolver {
  constructor(
    @Inject(CallerResolver) private readonly callers: CallerResolver,
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(ControlPlane) private readonly control: ControlPlane,
    @Inject(BudgetGuard) private readonly guard: BudgetGuard,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  private shown(b: BudgetState) {
    const now = this.clock.now();
    const user = b.createdBy ? this.control.current.users.get(b.createdBy) : undefined;
    return {
      id: b.budgetId,
      name: b.name,
      scope: enumOf(SCOPES, b.scope),
      target: b.target,
      window: enumOf(WINDOWS, b.window),
      softLimitUsd: b.softLimitUsd,
      hardLimitUsd: b.hardLimitUsd,
      windowStart: windowStart(b.window, now),
      resetsAt: windowEnd(b.window, now).toISOString(),
      spend: this.guard.spendOf(b, now).map((s) => ({
        subject: s.subject,
        spentUsd: formatUsd(s.settled),
        reservedUsd: formatUsd(s.reserved),
      })),
      createdAt: b.createdAt,
      createdBy: user ? { id: user.userId, email: user.email, name: user.name } : null,
      updatedAt: b.updatedAt,
    };
  }

  private alertShown(a: BudgetAlertState) {
    return {
      id: a.alertId,
      budgetId: a.budgetId,
      budgetName: this.control.current.budgets.get(a.budgetId)?.name ?? a.budgetId,
      level: a.level === 'soft' ? 'SOFT' : 'HARD',
      subject: a.subject,
      windowStart: a.windowStart,
      spentUsd: a.spentUsd,
      limitUsd: a.limitUsd,
      raisedAt: a.raisedAt,
    };
  }

  @Query('budgets')
  async list(@Args('projectId') projectId: string | null, @Context() context: GraphqlContext) {
    const access = this.callers.authorize(callerOf(this.callers, context), projectId, 'viewer');
    await this.guard.ready(access.projectId); // the spend shown includes what was spent before a first budget
    return [...this.control.current.budgets.values()]
      .filter((b) => b.projectId === access.projectId && !b.removedAt)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
      .map((b) => this.shown(b));
  }

  @Query('budgetAlerts')
  alerts(
    @Args('projectId') projectId: string | null,
    @Args('first') first: number,
    @Context() context: GraphqlContext,
  ) {
    const access = this.callers.authorize(callerOf(this.callers, context), projectId, 'viewer');
    if (!Number.isInteger(first) || first < 1 || first > 200)
      throw new InvalidInputError('`first` must be 1–200', 'invalid_page_size', 'first');
    return [...this.control.current.budgetAlerts.values()]
      .filter((a) => a.projectId === access.projectId)
      .sort((a, b) => b.raisedAt.localeCompare(a.raisedAt))
      .slice(0, first)
      .map((a) => this.alertShown(a));
  }

  @Mutation('createBudget')
  async create(
    @Args('projectId') projectId: string | null,
    @Args('input') input: BudgetInputArg,
    @Args('idempotencyKey') idempotencyKey: string | null,
    @Context() context: GraphqlContext,
  ) {
    const { actor, project } = this.admin(context, projectId);
    const once = onceRequest(actor, project, 'createBudget', idempotencyKey, input);
    return this.shown(
      await this.commands.execute(new CreateBudgetCommand(actor, project, inputOf(input), once)),
    );
  }

  @Mutation('updateBudget')
  async update(
    @Args('projectId') projectId: string | null,
    @Args('id') id: string,
    @Args('input') input: BudgetInputArg,
    @Context() context: GraphqlContext,
  ) {
    const { actor, project } = this.admin(context, projectId);
    return this.shown(
      await this.commands.execute(new UpdateBudgetCommand(actor, project, id, inputOf(input))),
    );
  }

  @Mutation('removeBudget')
  async remove(
    @Args('projectId') projectId: string | null,
    @Args('id') id: string,
    @Context() context: GraphqlContext,
  ) {
    const { actor, project } = this.admin(context, projectId);
    await this.commands.execute(new RemoveBudgetCommand(actor, project, id));
    return true;
  }

  private admin(context: GraphqlContext, projectId: string | null) {
    const caller = callerOf(this.callers, context);
    return { actor: actorOf(caller), project: this.callers.authorize(caller, projectId, 'admin').projectId };
  }
}
