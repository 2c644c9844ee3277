// Security headers, set by proxy.ts on pages and route handlers (next.config.js adds the static
// ones to every other response, static assets included). Pure, so tests check the policy itself.

/**
 * The pages' Content-Security-Policy. Scripts run only with this response's nonce: Next reads it
 * from the request's CSP header (proxy.ts) and puts it on its own inline and bundle scripts, and
 * 'strict-dynamic' lets those load the rest of the bundle. An injected <script>, inline handler
 * or javascript: URL carries no nonce and does not run. Styles allow 'unsafe-inline': React and
 * the charts write style attributes, which nonces cannot cover (and with a nonce present
 * 'unsafe-inline' would be ignored); CSS cannot run script. Development adds 'unsafe-eval'
 * (React's dev tooling) and websockets (hot reload).
 */
export function pageContentSecurityPolicy(nonce: string, { dev = false, https = false } = {}) {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${dev ? " ws: wss:" : ""}`,
    "frame-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

/**
 * Route handlers answer data and files, never pages: nothing may run or frame them. Evidence
 * files (PDF or image, opened inline) need their images and the viewer's inline styles.
 */
export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'; sandbox";

/** On every response. */
export const COMMON_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "X-Content-Type-Options": "nosniff",
  "X-Frame-Options": "DENY",
  "Referrer-Policy": "strict-origin-when-cross-origin",
  "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
};

export const HSTS = "max-age=63072000; includeSubDomains";

/** Served over HTTPS: TLS reported by the proxy in front, or an https NEXTAUTH_URL. */
export function isHttps(req: { headers: Headers; nextUrl?: { protocol: string } }, nextAuthUrl = process.env.NEXTAUTH_URL) {
  const proto = req.headers.get("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase();
  return proto === "https" || req.nextUrl?.protocol === "https:" || !!nextAuthUrl?.startsWith("https://");
}

/** A fresh, unguessable nonce for one response. */
export function newNonce() {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(18))).toString("base64");
}
