// What every command is: its words, its options, its help, and a run that answers an exit code.
import type { FootholdClient } from "./client/client";

export interface OptionSpec {
  type: "string" | "boolean";
  multiple?: boolean;
  short?: string;
  /** shown in --help; "<value>" names the argument */
  help: string;
}

export type Values = Record<string, string | boolean | Array<string | boolean> | undefined>;

export interface RunContext {
  values: Values;
  positionals: string[];
  /** the API client; throws a UsageError when no token was given */
  client(): FootholdClient;
  /** the collector's origin, for links and the snippet */
  url: string;
  out(text: string): void;
  err(text: string): void;
}

export interface Command {
  /** e.g. ["sites", "create"] */
  words: string[];
  args?: string;
  summary: string;
  options: Record<string, OptionSpec>;
  /** extra lines for --help: examples, formats */
  details?: string[];
  run(ctx: RunContext): Promise<number>;
}

/** A mistake in how the CLI was called: exit code 2 and a pointer to --help. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly command?: Command,
  ) {
    super(message);
    this.name = "UsageError";
  }
}

export const EXIT = { ok: 0, failed: 1, usage: 2, partial: 3 } as const;

export const str = (v: Values[string]): string | undefined => (typeof v === "string" ? v : undefined);
export const list = (v: Values[string]): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : typeof v === "string" ? [v] : []);

export function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], name: string, fallback: T): T {
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`--${name} must be one of ${allowed.join(", ")}.`);
  return value as T;
}

export function optionalOneOf<T extends string>(value: string | undefined, allowed: readonly T[], name: string): T | undefined {
  return value === undefined ? undefined : oneOf(value, allowed, name, allowed[0]);
}

export function positiveInt(value: string | undefined, name: string, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > max) throw new UsageError(`--${name} must be a whole number from 1 to ${max}.`);
  return Number(value);
}
