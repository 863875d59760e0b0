import { Global, Module } from '@nestjs/common';
import { CallerResolver } from './caller';

@Global()
@Module({ providers: [CallerResolver], exports: [CallerResolver] })
export class AuthModule {}
