import argon2 from 'argon2';

// Verified when the login is unknown, so a wrong login costs as much time as a wrong password.
const DECOY_HASH = argon2.hash('lectern-decoy-password');

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

export async function verifyPassword(hash: string | null | undefined, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash ?? (await DECOY_HASH), password);
  } catch {
    return false;
  }
}
