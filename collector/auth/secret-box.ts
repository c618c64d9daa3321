// Secrets the Worker must use again later (an alert's signing secret: the Worker computes the
// HMAC, so a hash will not do) are sealed at rest: AES-GCM under a key derived from HASH_SECRET
// with HKDF, so a copy of the database alone does not reveal them.

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const VERSION = "v1";

async function keyFor(deploymentSecret: string, purpose: string): Promise<CryptoKey> {
  const base = await crypto.subtle.importKey("raw", encoder.encode(deploymentSecret), "HKDF", false, ["deriveKey"]);
  return crypto.subtle.deriveKey(
    { name: "HKDF", hash: "SHA-256", salt: encoder.encode("foothold secret box"), info: encoder.encode(purpose) },
    base,
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt", "decrypt"],
  );
}

const b64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const unb64 = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

/** `v1:<iv>:<ciphertext>` (base64): the secret sealed for `purpose` (e.g. "alert:<id>"). */
export async function seal(deploymentSecret: string, purpose: string, secret: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv }, await keyFor(deploymentSecret, purpose), encoder.encode(secret)));
  return `${VERSION}:${b64(iv)}:${b64(sealed)}`;
}

/** The secret back; throws when it was sealed under another HASH_SECRET or purpose, or was changed. */
export async function open(deploymentSecret: string, purpose: string, box: string): Promise<string> {
  const [version, iv, sealed] = box.split(":");
  if (version !== VERSION || !iv || !sealed) throw new Error("secret box: not a sealed secret");
  const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: unb64(iv) }, await keyFor(deploymentSecret, purpose), unb64(sealed));
  return decoder.decode(plain);
}
