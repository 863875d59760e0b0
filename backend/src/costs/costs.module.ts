import { Global, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { CatalogModule } from '../catalog/catalog.module';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { CatalogPricing } from './catalog-pricing';
import { CostAnalytics } from './cost-analytics';
import { CostsResolver } from './costs.resolver';
import { CUSTOM_PRICE_COMMAND_HANDLERS } from './custom-prices.commands';
import { NoPricing } from './no-pricing';
import { Pricing } from './pricing';

/**
 * Prices and costs: `Pricing` for every feature that needs a cost (global); GraphQL custom prices,
 * estimates and spend analytics. Needs `AppConfig`, `ControlPlane`, `ClickHouse` and `CallerResolver` (global).
 */
@Global()
@Module({
  imports: [CqrsModule, CatalogModule],
  providers: [
    Clock,
    CatalogPricing,
    {
      provide: Pricing,
      inject: [AppConfig, CatalogPricing],
      useFactory: (config: AppConfig, pricing: CatalogPricing) =>
        config.benchNoPricing ? new NoPricing() : pricing,
    },
    CostAnalytics,
    CostsResolver,
    ...CUSTOM_PRICE_COMMAND_HANDLERS,
  ],
  exports: [Pricing],
})
export class CostsModule {}
