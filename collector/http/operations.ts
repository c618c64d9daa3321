import { readStatus } from "../lifecycle/status";
import { readRetention, writeRetention } from "../storage/retention";
import * as api from "./api/operations";
import { implement, type App } from "./routes";

// Operations (SPEC §12): how D1 is doing, and how long data is kept.

export function operationsRoutes(app: App): void {
  implement(app, api.status, async (c) => c.json(await readStatus(c.env), 200));
  implement(app, api.getRetention, async (c) => c.json(await readRetention(c.env.DB), 200));
  implement(app, api.putRetention, async (c) => {
    const next = { ...(await readRetention(c.env.DB)), ...c.req.valid("json") };
    await writeRetention(c.env.DB, next, new Date().toISOString());
    return c.json(next, 200);
  });
}
