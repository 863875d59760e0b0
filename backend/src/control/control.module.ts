import { Global, Module } from '@nestjs/common';
import { ControlPlane } from './control-plane';

@Global()
@Module({ providers: [ControlPlane], exports: [ControlPlane] })
export class ControlModule {}
