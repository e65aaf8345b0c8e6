import { describe, expect, it } from '@jest/globals';
import { ONE_TIME_PASSWORD_ALPHABET, ONE_TIME_PASSWORD_LENGTH, oneTimePassword } from './one-time-password.js';

describe('oneTimePassword', () => {
  it('is 10 characters of the unambiguous alphabet', () => {
    for (let i = 0; i < 200; i++) {
      const password = oneTimePassword();
      expect(password).toHaveLength(ONE_TIME_PASSWORD_LENGTH);
      expect(password).toMatch(new RegExp(`^[${ONE_TIME_PASSWORD_ALPHABET}]{10}$`));
    }
  });

  it.each(['0', 'O', 'o', '1', 'l', 'I', 'i', '2', 'Z', 'z', '5', 'S', 's', '8', 'B', 'U', 'V', 'u', 'v'])(
    'never uses the look-alike %s',
    (ambiguous) => {
      expect(ONE_TIME_PASSWORD_ALPHABET).not.toContain(ambiguous);
    },
  );

  it('has no repeated letter in its alphabet, so every character is equally likely', () => {
    expect(new Set(ONE_TIME_PASSWORD_ALPHABET).size).toBe(ONE_TIME_PASSWORD_ALPHABET.length);
  });

  it('takes each character from the random source', () => {
    expect(oneTimePassword(() => 0)).toBe(ONE_TIME_PASSWORD_ALPHABET[0]!.repeat(10));
    const last = ONE_TIME_PASSWORD_ALPHABET.length - 1;
    expect(oneTimePassword((max) => max - 1)).toBe(ONE_TIME_PASSWORD_ALPHABET[last]!.repeat(10));
  });

  it('differs from one call to the next', () => {
    expect(new Set(Array.from({ length: 50 }, () => oneTimePassword())).size).toBe(50);
  });
});
