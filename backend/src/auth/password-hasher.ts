import { Injectable } from '@nestjs/common';
import argon2 from 'argon2';

/** argon2id password hashing, behind a class so tests can use cheaper settings. */
@Injectable()
export class PasswordHasher {
  private dummy: Promise<string> | undefined;

  hash(password: string): Promise<string> {
    return argon2.hash(password, { type: argon2.argon2id });
  }

  verify(hash: string, password: string): Promise<boolean> {
    return argon2.verify(hash, password);
  }

  /** A hash to verify against when the account does not exist, so timing does not tell. */
  dummyHash(): Promise<string> {
    this.dummy ??= this.hash('no such account, no such password');
    return this.dummy;
  }
}
