import { as, given, NOW } from '../../test/support/control-given';
import { InvalidInputError } from '../common/errors';
import { controlEvent } from './control-events';
import { emptyControlState, evolve } from './control-state';
import {
  CLAIM_LEASE_MS,
  claimed,
  decideOnce,
  IdempotencyKeyReusedError,
  onceRequest,
  recorded,
  settle,
} from './idempotency';

const request = (input: unknown = { name: 'Monthly cap', limit: '50' }, key = 'k-1') =>
  onceRequest(as('ada'), 'p', 'createBudget', key, input)!;
const later = (ms: number) => new Date(NOW.getTime() + ms);

describe('idempotency keys', () => {
  it('given nothing recorded, when a call comes, then it runs first', () => {
    expect(decideOnce(request(), given().state, NOW)).toEqual({ kind: 'first' });
  });

  it('given a recorded result, when the same key and input come again, then the first result answers', () => {
    const state = given(recorded(request(), 'c1', 'sealed-result', NOW, NOW)).state;
    expect(decideOnce(request(), state, later(1000))).toEqual({ kind: 'done', resultEnc: 'sealed-result' });
  });

  it('the input is compared as canonical JSON: key order does not matter, values do', () => {
    const state = given(recorded(request({ a: 1, b: [1, 2] }), 'c1', 'r', NOW, NOW)).state;
    expect(decideOnce(request({ b: [1, 2], a: 1 }), state, NOW).kind).toBe('done');
    expect(() => decideOnce(request({ a: 1, b: [2, 1] }), state, NOW)).toThrow(IdempotencyKeyReusedError);
  });

  it('given a recorded result, when the same key comes with another input, then it is refused as reused', () => {
    const state = given(recorded(request(), 'c1', 'r', NOW, NOW)).state;
    expect(() => decideOnce(request({ name: 'Other' }), state, NOW)).toThrow(
      expect.objectContaining({ kind: 'conflict', reason: 'idempotency_key_reused' }),
    );
  });

  it('keys are per project and mutation: the same key elsewhere is another request', () => {
    const state = given(recorded(request(), 'c1', 'r', NOW, NOW)).state;
    const otherProject = onceRequest(as('ada'), 'q', 'createBudget', 'k-1', {
      name: 'Monthly cap',
      limit: '50',
    })!;
    const otherMutation = onceRequest(as('ada'), 'p', 'saveView', 'k-1', {
      name: 'Monthly cap',
      limit: '50',
    })!;
    expect(decideOnce(otherProject, state, NOW).kind).toBe('first');
    expect(decideOnce(otherMutation, state, NOW).kind).toBe('first');
    expect(decideOnce(request({}, 'k-2'), state, NOW).kind).toBe('first');
  });

  it('given a pending claim, a retry waits while it is fresh and takes it over once the lease lapsed', () => {
    const state = given(claimed(request(), 'c1', NOW)).state;
    expect(decideOnce(request(), state, later(CLAIM_LEASE_MS))).toEqual({ kind: 'running' });
    expect(decideOnce(request(), state, later(CLAIM_LEASE_MS + 1))).toEqual({ kind: 'first' });
  });

  it('given a pending claim, when its call succeeds, then its result is recorded with the claim time', () => {
    const state = given(claimed(request(), 'c1', NOW)).state;
    expect(settle(request(), 'c1', 'r', state, later(5))).toEqual([
      recorded(request(), 'c1', 'r', NOW, later(5)),
    ]);
  });

  it('given a pending claim, when its call fails, then the key is released and a retry runs again', () => {
    const history = given(claimed(request(), 'c1', NOW));
    const [release] = settle(request(), 'c1', null, history.state, later(5));
    expect(release).toMatchObject({
      type: 'idempotency.released',
      data: { status: 'released', resultEnc: null },
    });
    const after = evolve(history.state, controlEvent(as('ada'), later(5), release));
    expect(decideOnce(request(), after, later(6))).toEqual({ kind: 'first' });
  });

  it('given a claim another call took over, when the first call ends, then it records nothing', () => {
    const state = given(
      claimed(request(), 'c1', NOW),
      claimed(request(), 'c2', later(CLAIM_LEASE_MS + 1)),
    ).state;
    expect(settle(request(), 'c1', 'r', state, later(CLAIM_LEASE_MS + 2))).toEqual([]);
    expect(settle(request(), 'c2', 'r', state, later(CLAIM_LEASE_MS + 2))).toHaveLength(1);
  });

  it('projecting the same record events again changes nothing', () => {
    const events = [claimed(request(), 'c1', NOW), recorded(request(), 'c1', 'r', NOW, later(1))].map((e) =>
      controlEvent(as('ada'), NOW, e),
    );
    const once = events.reduce(evolve, emptyControlState());
    expect([...events, ...events].reduce(evolve, emptyControlState())).toEqual(once);
  });

  it('no key is no request; a blank or over-long key is refused with its field', () => {
    expect(onceRequest(as('ada'), 'p', 'createBudget', null, {})).toBeUndefined();
    expect(onceRequest(as('ada'), 'p', 'createBudget', undefined, {})).toBeUndefined();
    for (const key of ['', '  ', 'x'.repeat(129)])
      expect(() => onceRequest(as('ada'), 'p', 'createBudget', key, {})).toThrow(
        expect.objectContaining({ reason: 'invalid_idempotency_key', param: 'idempotencyKey' }),
      );
    expect(() => onceRequest(as('ada'), 'p', 'createBudget', '', {})).toThrow(InvalidInputError);
    expect(request().keyHash).not.toContain('k-1'); // the key is kept only hashed
  });
});
