import { ConflictError, InvalidInputError } from '../../common/errors';
import { given, NOW, SYSTEM, user } from '../../../test/support/control-given';
import { assertStrongPassword, type RegisterUser } from './users';

const register = (email: string, name = ''): RegisterUser => ({
  type: 'register-user',
  actor: SYSTEM,
  now: NOW,
  user: { userId: 'usr_new', email, name, passwordHashEnc: null },
});

describe('register user', () => {
  it('stores the email lower-cased; the name defaults to it', () => {
    given()
      .when(register(' New@Example.COM ', ' '))
      .then(
        user('usr_new', 'new@example.com', {
          name: 'new@example.com',
          passwordHashEnc: null,
          createdAt: NOW.toISOString(),
        }),
      );
  });

  it('keeps emails unique, whatever their case', () => {
    given(user('ann', 'ann@example.com'))
      .when(register('ANN@example.com'))
      .thenFails(ConflictError, 'email_taken');
  });

  it('refuses what is not an email address', () => {
    given().when(register('ann at example.com')).thenFails(InvalidInputError, 'invalid_email');
  });
});

describe('set password', () => {
  it('replaces the sealed hash of a known user', () => {
    const ann = user('ann');
    given(ann)
      .when({ type: 'set-password', actor: SYSTEM, now: NOW, userId: 'ann', passwordHashEnc: 'sealed' })
      .then({
        ...ann,
        type: 'user.password-set',
        data: { ...ann.data, passwordHashEnc: 'sealed' },
      } as typeof ann);
    given()
      .when({ type: 'set-password', actor: SYSTEM, now: NOW, userId: 'ann', passwordHashEnc: 'sealed' })
      .thenFails(InvalidInputError, 'unknown_user');
  });

  it('needs ten characters (checked before hashing)', () => {
    expect(() => assertStrongPassword('123456789')).toThrow(InvalidInputError);
    expect(() => assertStrongPassword('1234567890')).not.toThrow();
  });
});
