import { Module } from '@nestjs/common';
import { LiveHub } from './live-hub';

@Module({ providers: [LiveHub], exports: [LiveHub] })
export class LiveModule {}
