// D1 allows 1,000 queries per Worker invocation on Workers Paid (50 on Free), counting each
// statement of a db.batch: https://developers.cloudflare.com/d1/platform/limits/
// The queue consumer counts what it spends through this wrapper and stops starting work that
// might not fit, retrying those messages instead of failing the whole invocation half-way.

export const D1_QUERIES_PER_INVOCATION = 1_000;

export class QueryBudget {
  used = 0;
  constructor(readonly limit = D1_QUERIES_PER_INVOCATION) {}
  get remaining(): number {
    return this.limit - this.used;
  }
}

class CountedStatement {
  constructor(
    readonly inner: D1PreparedStatement,
    private readonly budget: QueryBudget,
  ) {}
  bind(...values: unknown[]): CountedStatement {
    return new CountedStatement(this.inner.bind(...values), this.budget);
  }
  first<T>(column?: string): Promise<T | null> {
    this.budget.used++;
    return column === undefined ? this.inner.first<T>() : this.inner.first<T>(column);
  }
  all<T>(): Promise<D1Result<T>> {
    this.budget.used++;
    return this.inner.all<T>();
  }
  run<T>(): Promise<D1Result<T>> {
    this.budget.used++;
    return this.inner.run<T>();
  }
  raw<T>(): Promise<T[]> {
    this.budget.used++;
    return this.inner.raw<T>();
  }
}

/** `d1` with every query counted against `budget`. */
export function countedD1(d1: D1Database, budget: QueryBudget): D1Database {
  const counted = {
    prepare: (sql: string) => new CountedStatement(d1.prepare(sql), budget),
    batch: <T>(statements: CountedStatement[]) => {
      budget.used += statements.length;
      return d1.batch<T>(statements.map((s) => s.inner));
    },
    exec: (sql: string) => {
      budget.used++;
      return d1.exec(sql);
    },
    withSession: () => {
      throw new Error("countedD1: sessions are not used by the consumer");
    },
    dump: () => d1.dump(),
  };
  return counted as unknown as D1Database;
}
