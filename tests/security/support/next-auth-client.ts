// A browser's view of next-auth, driven through next-auth's own request handler and
// getServerSession with the app's options (server/auth/auth-options.ts) on a test database: the
// real CSRF check, authorize(), JWT callbacks, cookies and signOut event — only the HTTP plumbing
// of Next's route handler is left out. Cookies persist in a jar, like a browser's.
import NextAuth, { getServerSession, type NextAuthOptions } from "next-auth";
import type { Db } from "@/db/client";
import { buildAuthOptions } from "@/server/auth/auth-options";

export const TEST_AUTH_SECRET = "test-secret-0123456789abcdef0123456789abcdef";

export function testAuthOptions(db: Db, errors: unknown[] = []): NextAuthOptions {
  return {
    ...buildAuthOptions(async () => db),
    secret: TEST_AUTH_SECRET,
    // next-auth logs to the console by default; a test collects what it reports instead
    logger: { error: (code, meta) => errors.push({ code, meta }), warn: () => {}, debug: () => {} },
  };
}

type TAnswer = { status: number; body: unknown; location: string | null; cookies: string[] };

export class AuthClient {
  readonly jar = new Map<string, string>();
  constructor(
    private readonly options: NextAuthOptions,
    /** request headers every call sends, e.g. the client's address */
    public headers: Record<string, string> = {},
  ) {}

  private async call(method: "GET" | "POST", action: string[], body?: Record<string, string>): Promise<TAnswer> {
    const out = new Map<string, string | string[]>();
    let status = 200;
    let payload: unknown;
    const res = {
      status(s: number) {
        status = s;
        return res;
      },
      setHeader(k: string, v: string | string[]) {
        out.set(k.toLowerCase(), v);
        return res;
      },
      getHeader: (k: string) => out.get(k.toLowerCase()),
      json(b: unknown) {
        payload = b;
        return res;
      },
      send(b: unknown) {
        payload = b;
        return res;
      },
      end: () => res,
    };
    const req = {
      method,
      query: { nextauth: action },
      body,
      cookies: Object.fromEntries(this.jar),
      headers: { host: "localhost:3000", "content-type": "application/x-www-form-urlencoded", ...this.headers },
    };
    await NextAuth(req as never, res as never, this.options);
    const cookies = [out.get("set-cookie") ?? []].flat();
    for (const c of cookies) {
      const [pair] = c.split(";");
      const name = pair!.slice(0, pair!.indexOf("="));
      const value = decodeURIComponent(pair!.slice(pair!.indexOf("=") + 1));
      const expired = /expires=Thu, 01 Jan 1970/i.test(c) || /max-age=0/i.test(c);
      if (expired || !value) this.jar.delete(name);
      else this.jar.set(name, value);
    }
    const url = (payload as { url?: string } | undefined)?.url ?? (out.get("location") as string | undefined) ?? null;
    return { status, body: payload, location: url, cookies };
  }

  async csrfToken() {
    const r = await this.call("GET", ["csrf"]);
    return (r.body as { csrfToken: string }).csrfToken;
  }

  /** What `signIn("credentials", { redirect: false, … })` does: the answer's `error` is what the form shows. */
  async signIn(email: string, password: string, { csrf = true } = {}) {
    const csrfToken = csrf ? await this.csrfToken() : "";
    const r = await this.call("POST", ["callback", "credentials"], { email, password, csrfToken, callbackUrl: "/", json: "true" });
    const error = r.location ? new URL(r.location, "http://localhost:3000").searchParams.get("error") : null;
    return { ...r, error, ok: !!this.sessionToken && !error && !r.location?.includes("csrf=true") };
  }

  async signOut({ csrf = true } = {}) {
    const csrfToken = csrf ? await this.csrfToken() : "";
    return this.call("POST", ["signout"], { csrfToken, callbackUrl: "/", json: "true" });
  }

  get sessionToken() {
    return this.jar.get("next-auth.session-token");
  }

  /** What the app's getActor() gets from next-auth for this jar's cookie, another token, or none (null). */
  async session(token?: string | null) {
    const value = token === undefined ? this.sessionToken : token;
    const cookies = value ? { "next-auth.session-token": value } : {};
    const res = { getHeader() {}, setCookie() {}, setHeader() {} };
    return getServerSession({ headers: { host: "localhost:3000" }, cookies } as never, res as never, this.options);
  }
}
