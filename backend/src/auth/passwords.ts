import { Inject, Injectable } from '@nestjs/common';
import type { UserState } from '@sightline/schemas';
import { assertStrongPassword } from '../control/decide/users';
import { SecretBox } from '../security/secret-box';
import { PasswordHasher } from './password-hasher';

/** Account passwords at rest: argon2id hashes, encrypted with the instance's secret box. */
@Injectable()
export class Passwords {
  constructor(
    @Inject(PasswordHasher) private readonly hasher: PasswordHasher,
    @Inject(SecretBox) private readonly secrets: SecretBox,
  ) {}

  /** The sealed hash to store for `password`; throws a typed error if it is too weak. */
  async seal(password: string): Promise<string> {
    assertStrongPassword(password);
    return this.secrets.encrypt(await this.hasher.hash(password), 'password');
  }

  /** Whether `password` is `user`'s (false without one), taking about as long either way. */
  async match(user: UserState | undefined, password: string): Promise<boolean> {
    if (!user?.passwordHashEnc) {
      await this.hasher.verify(await this.hasher.dummyHash(), password);
      return false;
    }
    return this.hasher.verify(this.secrets.decrypt(user.passwordHashEnc, 'password'), password);
  }
}
