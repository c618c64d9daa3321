// The settings table: one row per key, a text value (JSON for structured settings), and when it
// changed. Every module that keeps a setting or a counter there reads and writes it through these.

/** The statement that stores `value` under `key` (for the caller's batch, or `.run()` alone). */
export function settingUpsert(d1: D1Database, key: string, value: string, at: string): D1PreparedStatement {
  return d1
    .prepare(
      `INSERT INTO settings (key, value, updated_at) VALUES (?1, ?2, ?3)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    )
    .bind(key, value, at);
}

export async function readSetting(d1: D1Database, key: string): Promise<string | null> {
  const row = await d1.prepare("SELECT value FROM settings WHERE key = ?1").bind(key).first<{ value: string }>();
  return row?.value ?? null;
}

/** A JSON setting, or null when it is absent or no longer parses. */
export async function readJsonSetting<T>(d1: D1Database, key: string): Promise<T | null> {
  const value = await readSetting(d1, key);
  if (value === null) return null;
  try {
    return JSON.parse(value) as T;
  } catch {
    return null;
  }
}
