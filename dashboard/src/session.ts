// The signed-in API key: kept in sessionStorage (gone when the tab closes), sent only as a
// bearer token by the shared client — never put in a URL.
import { createClient, FootholdError, type FootholdClient } from "../../cli/client/client";

const STORAGE_KEY = "foothold.apiKey";

export function storedKey(): string | null {
  try {
    return sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

export function forgetKey(): void {
  try {
    sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // storage disabled: nothing was kept
  }
}

export const clientFor = (key: string): FootholdClient => createClient({ baseUrl: "", token: key });

/** Checks a key against the API before keeping it; answers the sentence to show, or null when fine. */
export async function signIn(key: string): Promise<string | null> {
  const trimmed = key.trim();
  if (!trimmed) return "Paste an API key to sign in.";
  try {
    await clientFor(trimmed).accounts.list({ limit: 1 });
  } catch (err) {
    return signInError(err);
  }
  try {
    sessionStorage.setItem(STORAGE_KEY, trimmed);
  } catch {
    return "This browser blocks session storage, so the dashboard cannot keep you signed in.";
  }
  return null;
}

function signInError(err: unknown): string {
  if (err instanceof FootholdError) {
    if (err.status === 401) return "That API key was not accepted: it is wrong or was revoked. Check it and try again.";
    if (err.status === 403) return "That API key works but lacks the read scope the dashboard needs. Create one with `read`.";
    if (err.status === 0) return "The collector did not answer. Check that it is running and try again.";
    return `The collector refused the sign-in (${err.status}): ${err.message}`;
  }
  return "Signing in failed unexpectedly. Try again.";
}

/** A sentence for any API failure; a 401 mid-session means the key was revoked. */
export function describe(err: unknown): string {
  if (err instanceof FootholdError) {
    if (err.status === 0) return "The collector did not answer. Check your connection and reload.";
    return err.message;
  }
  return err instanceof Error ? err.message : String(err);
}

export const isUnauthorized = (err: unknown) => err instanceof FootholdError && err.status === 401;
