import { integer, primaryKey, real, sqliteTable, text } from "drizzle-orm/sqlite-core";

// Ad spend imported from the ad platforms (PUT /v1/spend, SPEC §10): what /v1/revenue's return
// columns and /v1/campaigns divide by. Written only by the import; one row per day and
// (channel, source, medium, campaign), so re-importing a day's export replaces it.

export const spend = sqliteTable(
  "spend",
  {
    /** the UTC day the money was spent, YYYY-MM-DD */
    date: text("date").notNull(),
    /** one of the collector's channels (given, or classified from source and medium) */
    channel: text("channel").notNull(),
    /** the UTM values the ads' links carry, "" when the export has none (part of the key) */
    source: text("source").notNull().default(""),
    medium: text("medium").notNull().default(""),
    campaign: text("campaign").notNull().default(""),
    amount: real("amount").notNull(),
    /** ISO 4217, upper case */
    currency: text("currency").notNull(),
    clicks: integer("clicks").notNull().default(0),
    impressions: integer("impressions").notNull().default(0),
    importedAt: text("imported_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  // WITHOUT ROWID in the migration: the key leads with the day, so a window is one range scan.
  (t) => [primaryKey({ columns: [t.date, t.channel, t.source, t.medium, t.campaign] })],
);
