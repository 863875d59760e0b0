import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { DemoResolver } from './demo.resolver';
import { DemoTraffic } from './demo-traffic';

/** Demo traffic through the app's own doors (see `demo.graphql`). Needs `CallerResolver` (global). */
@Module({ imports: [CqrsModule], providers: [DemoTraffic, DemoResolver], exports: [DemoTraffic] })
export class DemoModule {}
