import { Global, Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module';
import { CatalogPricing } from './catalog-pricing';
import { Pricing } from './pricing';

/** Prices and costs: `Pricing` for every feature that needs a cost (global). */
@Global()
@Module({
  imports: [CatalogModule],
  providers: [CatalogPricing, { provide: Pricing, useExisting: CatalogPricing }],
  exports: [Pricing],
})
export class CostsModule {}
