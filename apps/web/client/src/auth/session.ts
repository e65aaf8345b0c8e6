import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { User } from '../api/types.js';

export interface Session {
  user: User;
  signOut(): void;
}

export const SessionContext = createContext<Session | null>(null);

/** The signed-in session; only used below the app shell, where a user always exists. */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession() used outside a signed-in shell');
  return session;
}
