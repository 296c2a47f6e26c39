import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from "react";
import { getToken, mutate, onTokenChange, query, setToken, toRequestError } from "../graphql-client";
import type { User } from "./queries";
import { LOGIN, ME_QUERY } from "./queries";

interface Session {
  user: User | null;
  /** True while the stored token is being checked. */
  checking: boolean;
  signIn(email: string, password: string): Promise<void>;
  signOut(): void;
  /** Reloads the signed-in user (after their own name or role changed). */
  refreshUser(): Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null>(null);
  const [checking, setChecking] = useState(() => getToken() !== null);

  useEffect(() => {
    let current = true;
    const check = () => {
      if (!getToken()) {
        setUser(null);
        setChecking(false);
        return;
      }
      setChecking(true);
      query(ME_QUERY)
        .then(({ me }) => {
          if (!current) return;
          if (!me) setToken(null);
          setUser(me);
        })
        .catch((error) => {
          if (!current) return;
          if (toRequestError(error).code === "UNAUTHENTICATED") setToken(null);
          setUser(null);
        })
        .finally(() => current && setChecking(false));
    };
    check();
    const unlisten = onTokenChange(() => {
      if (!getToken()) setUser(null);
    });
    return () => {
      current = false;
      unlisten();
    };
  }, []);

  const signIn = useCallback(async (email: string, password: string) => {
    const { login } = await mutate(LOGIN, { email, password });
    setToken(login.token);
    setUser(login.user);
  }, []);

  const signOut = useCallback(() => {
    setToken(null);
    setUser(null);
  }, []);

  const refreshUser = useCallback(async () => {
    if (!getToken()) return;
    try {
      const { me } = await query(ME_QUERY);
      if (!me) setToken(null);
      setUser(me);
    } catch {
      // keep what is shown; the next request reports the problem
    }
  }, []);

  const value = useMemo(
    () => ({ user, checking, signIn, signOut, refreshUser }),
    [user, checking, signIn, signOut, refreshUser],
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
