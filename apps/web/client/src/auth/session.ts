import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { User } from '../api/types.js';

export interface Session {
  user: User;
  signOut(): void;
  /** After the person chose a new password: the answer of the change, with `mustChangePassword` cleared. */
  passwordChanged(user: User): void;
}

/** Where someone whose password an administrator reset is kept until they choose a new one. */
export const changePasswordPath = '/account/password';

/** True while the signed-in person must choose a new password before anything else. */
export const mustChangePassword = (user: User) => user.mustChangePassword === true;

export const SessionContext = createContext<Session | null>(null);

/** The signed-in session; only used below the app shell, where a user always exists. */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession() used outside a signed-in shell');
  return session;
}
