// Plain-text tables for the terminal: numbers right-aligned, text left, one header rule.

export interface Column<T> {
  title: string;
  value: (row: T) => string;
  align?: "left" | "right";
  /** cut longer cells with "…" */
  max?: number;
}

export function formatTable<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  const cells = rows.map((r) => columns.map((c) => clip(c.value(r), c.max)));
  const widths = columns.map((c, i) => Math.max(c.title.length, ...cells.map((row) => row[i].length)));
  const line = (values: string[]) =>
    values
      .map((v, i) => (columns[i].align === "right" ? v.padStart(widths[i]) : v.padEnd(widths[i])))
      .join("  ")
      .trimEnd();
  return [line(columns.map((c) => c.title)), line(widths.map((w) => "─".repeat(w))), ...cells.map(line)].join("\n");
}

function clip(text: string, max?: number): string {
  return max !== undefined && text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

const grouped = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
export const int = (n: number) => grouped.format(n);
export const fixed = (n: number, digits: number) => n.toFixed(digits);

export function moneyText(n: number | null, currency: string | null): string {
  if (n === null) return "—";
  const amount = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(n);
  return currency ? `${amount} ${currency}` : amount;
}
