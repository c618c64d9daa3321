import { index, integer, real, sqliteTable, text } from "drizzle-orm/sqlite-core";

// Deals imported from the CRM (PUT /v1/deals, SPEC §4): what GET /v1/revenue attributes.
// Written only by the import; the account is resolved at import time (domain or CRM id).

export const deals = sqliteTable(
  "deals",
  {
    /** the CRM's deal id: re-importing the same id updates the deal */
    id: text("id").primaryKey(),
    accountId: integer("account_id").notNull(),
    /** the account as the import named it (domain or crm_id), for reading the import back */
    accountRef: text("account_ref").notNull(),
    amount: real("amount").notNull(),
    /** ISO 4217, upper case */
    currency: text("currency").notNull(),
    stage: text("stage"),
    /** ISO 8601 UTC; W-shaped's opportunity creation is the last touch before it */
    createdAt: text("created_at"),
    /** ISO 8601 UTC; the attribution lookback ends here */
    closedAt: text("closed_at"),
    won: integer("won", { mode: "boolean" }).notNull().default(false),
    importedAt: text("imported_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [index("deals_won_closed").on(t.won, t.closedAt), index("deals_account").on(t.accountId)],
);
