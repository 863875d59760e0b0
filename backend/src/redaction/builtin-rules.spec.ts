import { API_KEY, CARD, EMAIL, luhn, redactApiKeys, redactCardNumbers, redactEmails } from './builtin-rules';

describe('built-in redaction rules', () => {
  it('masks e-mail addresses, keeping the text around them', () => {
    expect(redactEmails('write to ada.lovelace+ai@mail.example.co.uk, or bob@x.io.')).toBe(
      `write to ${EMAIL}, or ${EMAIL}.`,
    );
    expect(redactEmails('"email":"X_Y%z@sub-domain.example.com"')).toBe(`"email":"${EMAIL}"`);
  });

  it('leaves what is not an address alone', () => {
    for (const text of ['a @ b', 'user@localhost', '@handle', 'me@', 'x@y.c', 'x@y.12', 'two@@x.com', '']) {
      expect(redactEmails(text)).toBe(text);
    }
  });

  it('masks card numbers that pass the Luhn check, grouped or not', () => {
    expect(redactCardNumbers('card 4111 1111 1111 1111 exp 12/29')).toBe(`card ${CARD} exp 12/29`);
    expect(redactCardNumbers('4111-1111-1111-1111')).toBe(CARD);
    expect(redactCardNumbers('amex 378282246310005.')).toBe(`amex ${CARD}.`);
    expect(redactCardNumbers('{"pan":"5555555555554444"}')).toBe(`{"pan":"${CARD}"}`);
  });

  it('keeps numbers that fail the check or are not card-sized', () => {
    for (const text of [
      '4111 1111 1111 1112',
      'order 123456789012',
      'id 41111111111111111111111',
      'ID4111111111111111',
      '2026-11-30 12:00:00',
    ]) {
      expect(redactCardNumbers(text)).toBe(text);
    }
  });

  it('computes the Luhn checksum', () => {
    expect(luhn('79927398713')).toBe(true);
    expect(luhn('79927398710')).toBe(false);
    expect(luhn('0')).toBe(true);
  });

  it('masks generated-looking keys, not words, hex ids, UUIDs or base64 data', () => {
    const key = 'Zx9Qm2LkP7rT4vWb8NcY';
    expect(redactApiKeys(`token=${key}&x=1`)).toBe(`token=${API_KEY}&x=1`);
    expect(redactApiKeys(`key: ab_${key}_${key}`)).toBe(`key: ${API_KEY}`);
    for (const text of [
      'internationalization_and_localization',
      '4bf92f3577b34da6a3ce929d0e0e4736',
      '0191c1a2-7b3c-7d4e-8f9a-0b1c2d3e4f50',
      'CamelCaseWordsWithoutManyDigits1',
      `data:image/png;base64,${'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk'.repeat(6)}`,
    ]) {
      expect(redactApiKeys(text)).toBe(text);
    }
  });

  it('is idempotent', () => {
    const text = 'bob@x.io 4111111111111111 Zx9Qm2LkP7rT4vWb8NcY';
    const once = redactApiKeys(redactCardNumbers(redactEmails(text)));
    expect(once).toBe(`${EMAIL} ${CARD} ${API_KEY}`);
    expect(redactApiKeys(redactCardNumbers(redactEmails(once)))).toBe(once);
  });

  // Linear scans: hostile text costs about as much as ordinary text of its length.
  it('does not take long on hostile input', () => {
    const hostile = [
      `${'a'.repeat(500_000)}@${'b.'.repeat(250_000)}`,
      '@'.repeat(500_000),
      '1 '.repeat(500_000),
      `${'Aa1'.repeat(300_000)}`,
      `${'a+'.repeat(300_000)}`,
    ];
    const started = performance.now();
    for (const text of hostile) redactApiKeys(redactCardNumbers(redactEmails(text)));
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
