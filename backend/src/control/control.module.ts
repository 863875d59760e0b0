import { Global, Module } from '@nestjs/common';
import { Clock } from '../common/clock';
import { Random } from '../common/random';
import { ControlPlane } from './control-plane';

@Global()
@Module({ providers: [ControlPlane, Clock, Random], exports: [ControlPlane] })
export class ControlModule {}
