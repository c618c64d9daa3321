import { env } from "cloudflare:workers";

// D1 that misbehaves on cue, for the consumer's failure paths: the real database underneath.

export type Mode = "fail" | "ambiguous" | "ok";

/**
 * D1 whose `method` (the consumer's commit is `batch`) fails on the calls `when` picks, counted
 * from 1 — or, "ambiguous", commits and then reports a failure (a lost answer).
 */
export function flakyD1(when: (call: number) => Mode | boolean, method: "batch" | "prepare" = "batch"): D1Database {
  let calls = 0;
  return new Proxy(env.DB, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== "function") return value;
      if (prop !== method) return value.bind(target);
      return (...args: unknown[]) => {
        const picked = when(++calls);
        const mode = picked === true ? "fail" : picked === false ? "ok" : picked;
        if (mode === "fail") throw new Error("D1_ERROR: injected failure");
        const out = value.apply(target, args);
        if (mode !== "ambiguous") return out;
        return Promise.resolve(out).then(() => {
          throw new Error("D1_ERROR: network connection lost (the commit went through)");
        });
      };
    },
  });
}

/** D1 that answers nothing at all. */
export const downD1 = (): D1Database => new Proxy(env.DB, { get: () => () => { throw new Error("D1_ERROR: database unavailable"); } });
