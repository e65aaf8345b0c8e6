import { randomInt } from 'node:crypto';

/**
 * Letters and digits that cannot be mistaken for one another when read aloud or copied from paper:
 * no 0/O/o, 1/l/I/i, 2/Z/z, 5/S/s, 8/B, U/V/u/v.
 */
export const ONE_TIME_PASSWORD_ALPHABET = 'ACDEFGHJKMNPQRTWXYabcdefghjkmnpqrtwxy34679';
export const ONE_TIME_PASSWORD_LENGTH = 10;

/** A password an administrator hands over once; its holder must replace it at first sign-in. */
export function oneTimePassword(pick: (max: number) => number = randomInt): string {
  let password = '';
  for (let i = 0; i < ONE_TIME_PASSWORD_LENGTH; i++) password += ONE_TIME_PASSWORD_ALPHABET[pick(ONE_TIME_PASSWORD_ALPHABET.length)];
  return password;
}
