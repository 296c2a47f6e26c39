import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from "react";
import { mutate, onSessionEnded, query, sessionChanged } from "../graphql-client";
import type { User } from "./queries";
import { LOGIN, LOGOUT, ME_QUERY } from "./queries";

interface Session {
  user: User | null;
  /** True while asking the server who is signed in (the session cookie is not readable here). */
  checking: boolean;
  /** Why the server ended the session while it was in use (idle, expired, revoked), for the sign-in form. */
  endedBecause: string | null;
  signIn(email: string, password: string): Promise<void>;
  signOut(): Promise<void>;
  /** Reloads the signed-in user (after their own name or role changed). */
  refreshUser(): Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null>(null);
  const [checking, setChecking] = useState(true);
  const [endedBecause, setEndedBecause] = useState<string | null>(null);
  const signedIn = useRef(false);
  signedIn.current = user !== null;

  useEffect(() => {
    let current = true;
    query(ME_QUERY)
      .then(({ me }) => current && setUser(me))
      .catch(() => current && setUser(null))
      .finally(() => current && setChecking(false));
    // The server said the session is over (idle, expired, revoked): back to the sign-in form.
    const unlisten = onSessionEnded((message) => {
      if (!signedIn.current) return; // a refused sign-in, not an ended session
      // The first refusal says why (idle, expired, revoked). Requests in flight beside it are refused
      // too, later and without the cookie the first answer cleared ("Sign in first"): they must not
      // replace the reason before React re-renders.
      signedIn.current = false;
      setEndedBecause(message.replace(/ with login\(email, password\)/, ""));
      setUser(null);
    });
    return () => {
      current = false;
      unlisten();
    };
  }, []);

  const signIn = useCallback(async (email: string, password: string) => {
    const { login } = await mutate(LOGIN, { email, password });
    sessionChanged();
    setEndedBecause(null);
    setUser(login.user);
  }, []);

  const signOut = useCallback(async () => {
    setUser(null);
    try {
      await mutate(LOGOUT);
    } catch {
      // already signed out (expired or revoked): the server cleared the cookie anyway
    }
    sessionChanged();
  }, []);

  const refreshUser = useCallback(async () => {
    try {
      const { me } = await query(ME_QUERY);
      setUser(me);
    } catch {
      // keep what is shown; the next request reports the problem
    }
  }, []);

  const value = useMemo(
    () => ({ user, checking, endedBecause, signIn, signOut, refreshUser }),
    [user, checking, endedBecause, signIn, signOut, refreshUser],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error("useSession needs a <SessionProvider>");
  return session;
}

/** The signed-in user; only inside the signed-in part of the war room. */
export function useUser(): User {
  const { user } = useSession();
  if (!user) throw new Error("Not signed in");
  return user;
}
