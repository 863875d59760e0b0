import { Global, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { CatalogModule } from '../catalog/catalog.module';
import { Clock } from '../common/clock';
import { CatalogPricing } from './catalog-pricing';
import { CostAnalytics } from './cost-analytics';
import { CostsResolver } from './costs.resolver';
import { CUSTOM_PRICE_COMMAND_HANDLERS } from './custom-prices.commands';
import { Pricing } from './pricing';

/**
 * Prices and costs: `Pricing` for every feature that needs a cost (global); GraphQL custom prices,
 * estimates and spend analytics. Needs `ControlPlane`, `ClickHouse` and `CallerResolver` (global).
 */
@Global()
@Module({
  imports: [CqrsModule, CatalogModule],
  providers: [
    Clock,
    CatalogPricing,
    { provide: Pricing, useExisting: CatalogPricing },
    CostAnalytics,
    CostsResolver,
    ...CUSTOM_PRICE_COMMAND_HANDLERS,
  ],
  exports: [Pricing],
})
export class CostsModule {}
