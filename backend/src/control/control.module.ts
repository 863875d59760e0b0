import { Global, Module } from '@nestjs/common';
import { Clock } from '../common/clock';
import { Random } from '../common/random';
import { ControlPlane } from './control-plane';
import { Idempotency } from './idempotent-mutations';

@Global()
@Module({ providers: [ControlPlane, Idempotency, Clock, Random], exports: [ControlPlane, Idempotency] })
export class ControlModule {}
