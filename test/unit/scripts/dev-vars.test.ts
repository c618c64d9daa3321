import { describe, expect, it } from "vitest";
import { completeDevVars, passedVars } from "../../../scripts/dev-vars.mjs";

describe("npm run dev's .dev.vars", () => {
  it("writes a local ADMIN_TOKEN and the given HASH_SECRET when there is no file", () => {
    const r = completeDevVars(null, new Set(), "f00d");
    expect(r.added).toEqual(["ADMIN_TOKEN", "HASH_SECRET"]);
    expect(r.text).toMatch(/^# Local only/);
    expect(r.text).toContain("\nADMIN_TOKEN=dev-admin-token\nHASH_SECRET=f00d\n");
  });

  it("adds HASH_SECRET to an older file that has only ADMIN_TOKEN, keeping what is there", () => {
    const r = completeDevVars("ADMIN_TOKEN=mine", new Set(), "beef");
    expect(r.text).toBe("ADMIN_TOKEN=mine\nHASH_SECRET=beef\n");
    expect(r.added).toEqual(["HASH_SECRET"]);
  });

  it("leaves a complete file alone, and skips what --var passes", () => {
    expect(completeDevVars("ADMIN_TOKEN=a\nHASH_SECRET=b\n", new Set()).text).toBeNull();
    const r = completeDevVars(null, passedVars(["--port", "9000", "--var", "ADMIN_TOKEN:s3cret"]), "cafe");
    expect(r.added).toEqual(["HASH_SECRET"]);
    expect(r.text).not.toContain("ADMIN_TOKEN=");
  });

  it("makes a fresh random secret each time it has to", () => {
    const a = completeDevVars(null, new Set()).text!;
    const b = completeDevVars(null, new Set()).text!;
    const secret = (t: string) => /HASH_SECRET=([0-9a-f]+)/.exec(t)![1];
    expect(secret(a)).toHaveLength(64);
    expect(secret(a)).not.toBe(secret(b));
  });
});
