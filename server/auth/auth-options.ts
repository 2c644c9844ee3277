import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { getDb } from "@/db";
import type { Db } from "@/db/client";
import { SIGN_IN_THROTTLED } from "@/lib/sign-in";
import { endSessions, signInWithPassword } from "./authenticate";
import { clientIp } from "./client-ip";
import { SESSION_IDLE_SECONDS, SESSION_REFRESH_SECONDS } from "./session-lifetime";


/** next-auth's options on a database: the app's (below), or a test's. */
export function buildAuthOptions(database: () => Promise<Db>): NextAuthOptions {
  return {
    // maxAge is the idle lifetime: the token expires that long after it was last issued, and
    // proxy.ts re-issues it while the user is active (server/auth/session-lifetime.ts)
    session: { strategy: "jwt", maxAge: SESSION_IDLE_SECONDS, updateAge: SESSION_REFRESH_SECONDS },
    // the token's own `exp`: next-auth 4 defaults it to 30 days whatever session.maxAge says, so a
    // copied token would outlive the cookie it came from
    jwt: { maxAge: SESSION_IDLE_SECONDS },
    pages: { signIn: "/sign-in" },
    providers: [
      CredentialsProvider({
        name: "credentials",
        credentials: { email: { type: "email" }, password: { type: "password" } },
        async authorize(credentials, req) {
          const email = typeof credentials?.email === "string" ? credentials.email : "";
          const password = typeof credentials?.password === "string" ? credentials.password : "";
          const ip = clientIp((req?.headers ?? {}) as Record<string, string | undefined>);
          const r = await signInWithPassword(await database(), { email, password, ip });
          if (r.status === "throttled") throw new Error(SIGN_IN_THROTTLED);
          if (r.status !== "ok") return null;
          return { id: r.user.id, email: r.user.email, name: r.user.name, sv: r.user.sessionVersion };
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) {
          token.uid = user.id;
          token.sv = (user as { sv?: number }).sv ?? 0;
          token.authAt = Math.floor(Date.now() / 1000); // the absolute lifetime counts from here
        }
        return token;
      },
      session({ session, token }) {
        // the token is checked against the database and both lifetimes on every request (session.ts)
        return { ...session, uid: token.uid, sv: token.sv, authAt: token.authAt, iat: token.iat } as typeof session;
      },
    },
    events: {
      async signOut({ token }) {
        if (typeof token?.uid === "string") await endSessions(await database(), token.uid);
      },
    },
  };
}

export const authOptions = buildAuthOptions(getDb);
