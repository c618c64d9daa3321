import { index, integer, real, sqliteTable, text } from "drizzle-orm/sqlite-core";

// Deals imported from the CRM (PUT /v1/deals, SPEC §4, §10): what GET /v1/revenue and /v1/pipeline attribute.
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
    /**
     * new_business | expansion as imported (SPEC §10); null: read from the account's won history
     * (its first won deal is new business, later ones expansion), see collector/revenue/deal-type.ts
     */
    type: text("type"),
    importedAt: text("imported_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  // deals_created: GET /v1/pipeline and /v1/funnel read the deals created in a window.
  (t) => [index("deals_won_closed").on(t.won, t.closedAt), index("deals_account").on(t.accountId), index("deals_created").on(t.createdAt)],
);
