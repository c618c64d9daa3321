import { defineConfig } from "drizzle-kit";

// The drizzle schema is the source of truth; `npm run db:generate` writes the SQL migrations
// that wrangler (dev, deploy) and the test setup apply.
export default defineConfig({
  dialect: "sqlite",
  schema: "./schema/*.ts",
  out: "./schema/migrations",
});
