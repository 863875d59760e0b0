import { Global, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { Clock } from '../common/clock';
import { BudgetGuard } from './budget-guard';
import { BUDGET_COMMAND_HANDLERS } from './budgets.commands';
import { BudgetsResolver } from './budgets.resolver';
import { SpendHistory } from './spend-history';

/**
 * Budgets: spend limits of a project (control-plane events, GraphQL, Settings → Budgets) and the
 * `BudgetGuard` the gateway asks before every call. Needs `ControlPlane`, `ClickHouse` and `Pricing` (global).
 */
@Global()
@Module({
  imports: [CqrsModule],
  providers: [Clock, SpendHistory, BudgetGuard, BudgetsResolver, ...BUDGET_COMMAND_HANDLERS],
  exports: [BudgetGuard],
})
export class BudgetsModule {}
