import { hash, verify } from "@node-rs/argon2";

// argon2id with the library's defaults (m=19 MiB, t=2, p=1: OWASP's recommended minimum).
export const hashPassword = (password: string) => hash(password);

export async function verifyPassword(passwordHash: string, password: string) {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false; // malformed hash: never a 500, never a match
  }
}

// A hash of a random string, verified against when the account does not exist, so the response
// time does not reveal whether an email is registered.
let dummy: Promise<string> | undefined;
export const dummyHash = () => (dummy ??= hash(`no-such-user-${Math.random()}`));
