import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { Actor, BudgetState } from '@sightline/schemas';
import { ControlCommandHandler } from '../auth/commands/control-command';
import { randomId } from '../control/credentials';
import type { BudgetInput } from '../control/decide/budgets';
import type { OnceRequest } from '../control/idempotency';
import { BudgetGuard } from './budget-guard';

export class CreateBudgetCommand extends Command<BudgetState> {
  constructor(
    readonly actor: Actor,
    readonly projectId: string,
    readonly budget: BudgetInput,
    readonly once?: OnceRequest,
  ) {
    super();
  }
}

@CommandHandler(CreateBudgetCommand)
export class CreateBudgetHandler
  extends ControlCommandHandler
  implements ICommandHandler<CreateBudgetCommand, BudgetState>
{
  @Inject(BudgetGuard) private readonly guard!: BudgetGuard;

  async execute({ actor, projectId, budget, once }: CreateBudgetCommand): Promise<BudgetState> {
    const budgetId = randomId('bud');
    const command = {
      type: 'create-budget',
      actor,
      now: this.clock.now(),
      projectId,
      budgetId,
      budget,
    } as const;
    const created = await this.appendOnce(once, command, (state) => state.budgets.get(budgetId)!);
    // A project's first budget loads what it spent already: answered once that is known.
    await this.guard.ready(projectId);
    return created;
  }
}

export class UpdateBudgetCommand extends Command<BudgetState> {
  constructor(
    readonly actor: Actor,
    readonly projectId: string,
    readonly budgetId: string,
    readonly budget: BudgetInput,
  ) {
    super();
  }
}

@CommandHandler(UpdateBudgetCommand)
export class UpdateBudgetHandler
  extends ControlCommandHandler
  implements ICommandHandler<UpdateBudgetCommand, BudgetState>
{
  async execute({ actor, projectId, budgetId, budget }: UpdateBudgetCommand): Promise<BudgetState> {
    await this.append({ type: 'update-budget', actor, now: this.clock.now(), projectId, budgetId, budget });
    return this.state.budgets.get(budgetId)!;
  }
}

export class RemoveBudgetCommand extends Command<void> {
  constructor(
    readonly actor: Actor,
    readonly projectId: string,
    readonly budgetId: string,
  ) {
    super();
  }
}

@CommandHandler(RemoveBudgetCommand)
export class RemoveBudgetHandler
  extends ControlCommandHandler
  implements ICommandHandler<RemoveBudgetCommand, void>
{
  async execute({ actor, projectId, budgetId }: RemoveBudgetCommand): Promise<void> {
    await this.append({ type: 'remove-budget', actor, now: this.clock.now(), projectId, budgetId });
  }
}

export const BUDGET_COMMAND_HANDLERS = [CreateBudgetHandler, UpdateBudgetHandler, RemoveBudgetHandler];
