import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

// Three projects: pure functions in Node (unit), the collector inside workerd against the real
// migrations (worker), and Node-side clients — Segment SDK, Chromium, DuckDB — against a
// collector started with wrangler (e2e).
export default defineConfig(async () => {
  const migrations = await readD1Migrations(path.join(import.meta.dirname, "schema/migrations"));
  return {
    test: {
      projects: [
        {
          test: { name: "unit", include: ["test/unit/**/*.test.ts"], environment: "node" },
        },
        {
          plugins: [
            cloudflareTest({
              wrangler: { configPath: "./wrangler.toml" },
              miniflare: {
                bindings: { ADMIN_TOKEN: "test-admin-token", HASH_SECRET: "test-hash-secret", TEST_MIGRATIONS: migrations },
              },
            }),
          ],
          test: {
            name: "worker",
            testTimeout: 30_000,
            include: ["test/worker/**/*.test.ts"],
            setupFiles: ["test/worker/setup.ts"],
          },
        },
        {
          test: {
            name: "e2e",
            include: ["test/e2e/**/*.test.ts"],
            environment: "node",
            testTimeout: 120_000,
            hookTimeout: 120_000,
            // Each file starts its own wrangler dev; two cores fit two at a time.
            maxWorkers: 2,
          },
        },
      ],
    },
  };
});
