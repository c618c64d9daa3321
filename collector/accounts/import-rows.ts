// PUT /v1/accounts rows: JSON objects or CSV records → validated account rows, or a reason.
import { csvRecords } from "../csv";
import { registrableDomain } from "../identity/email";
import { quote } from "../quote";

export interface AccountInput {
  /** 1-based position of the row in the request */
  row: number;
  domain: string;
  name: string | null;
  crm_id: string | null;
  segment: string | null;
  domains: string[];
  asns: number[];
}

export interface RowError {
  row: number;
  reason: string;
}

export const MAX_ROWS = 10_000;
const COLUMNS = ["domain", "name", "crm_id", "segment", "domains", "asns"];

/** CSV with a header row; `domains` and `asns` hold extra values separated by `;`. */
export function recordsFromCsv(text: string): Record<string, unknown>[] | { error: string } {
  const { columns, records } = csvRecords(text);
  if (!columns.includes("domain")) return { error: `The CSV needs a header row with a \`domain\` column (columns: ${COLUMNS.join(", ")}).` };
  return records.map((r) => {
    const out: Record<string, unknown> = { ...r };
    for (const list of ["domains", "asns"]) {
      const v = r[list];
      out[list] = v ? v.split(";").map((x) => x.trim()).filter(Boolean) : [];
    }
    return out;
  });
}

const text = (v: unknown, name: string, max: number): string | null | { error: string } => {
  if (v === undefined || v === null || v === "") return null;
  if (typeof v !== "string" && typeof v !== "number") return { error: `\`${name}\` must be text.` };
  const s = String(v).trim();
  if (s.length > max) return { error: `\`${name}\` may be at most ${max} characters.` };
  return s === "" ? null : s;
};

function asn(v: unknown): number | null {
  const s = typeof v === "number" ? String(v) : typeof v === "string" ? v.trim().replace(/^AS/i, "") : "";
  if (!/^\d{1,10}$/.test(s)) return null;
  const n = Number(s);
  return n >= 1 && n <= 4_294_967_295 ? n : null;
}

/** Validates one record; a row with any bad value is refused whole (nothing half-imported). */
export function accountInput(record: unknown, row: number): AccountInput | RowError {
  if (typeof record !== "object" || record === null || Array.isArray(record)) return { row, reason: "A row must be an object with at least `domain`." };
  const r = record as Record<string, unknown>;
  if (typeof r.domain !== "string" || r.domain.trim() === "") return { row, reason: "`domain` is required." };
  const domain = registrableDomain(r.domain);
  if (domain === null) return { row, reason: `\`domain\` ${JSON.stringify(r.domain.slice(0, 100))} is not a registrable domain.` };
  const name = text(r.name, "name", 200);
  const crm = text(r.crm_id, "crm_id", 100);
  const segment = text(r.segment, "segment", 50);
  for (const v of [name, crm, segment]) if (v !== null && typeof v === "object") return { row, reason: v.error };
  const extraDomains = r.domains ?? [];
  const extraAsns = r.asns ?? [];
  if (!Array.isArray(extraDomains) || extraDomains.length > 100) return { row, reason: "`domains` must be a list of at most 100 domains." };
  if (!Array.isArray(extraAsns) || extraAsns.length > 100) return { row, reason: "`asns` must be a list of at most 100 AS numbers." };
  const domains: string[] = [];
  for (const d of extraDomains) {
    const clean = typeof d === "string" ? registrableDomain(d) : null;
    if (clean === null) return { row, reason: `${quote(d)} in \`domains\` is not a registrable domain.` };
    if (clean !== domain && !domains.includes(clean)) domains.push(clean);
  }
  const asns: number[] = [];
  for (const a of extraAsns) {
    const n = asn(a);
    if (n === null) return { row, reason: `${quote(a, 20)} in \`asns\` is not an AS number (1 to 4294967295).` };
    if (!asns.includes(n)) asns.push(n);
  }
  return { row, domain, name: name as string | null, crm_id: crm as string | null, segment: (segment as string | null)?.toLowerCase() ?? null, domains, asns };
}
