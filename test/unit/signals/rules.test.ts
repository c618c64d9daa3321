import { describe, expect, it } from "vitest";
import { pathMatches, receiverUrlProblem, whenProblem } from "../../../collector/signals/rules";

describe("pathMatches", () => {
  it("lets * match any characters, / included, as SPEC §11's example says", () => {
    expect(pathMatches("/pricing*", "/pricing")).toBe(true);
    expect(pathMatches("/pricing*", "/pricing/enterprise")).toBe(true);
    expect(pathMatches("/pricing*", "/pricing-old")).toBe(true);
    expect(pathMatches("/pricing*", "/about/pricing")).toBe(false);
    expect(pathMatches("*pricing*", "/about/pricing")).toBe(true);
    expect(pathMatches("/docs/*/api", "/docs/v2/beta/api")).toBe(true);
    expect(pathMatches("/docs/*/api", "/docs/api")).toBe(false);
    expect(pathMatches("*", "/")).toBe(true);
  });

  it("matches a glob without * against the whole path, ignoring case, a trailing slash, query and fragment", () => {
    expect(pathMatches("/pricing", "/pricing")).toBe(true);
    expect(pathMatches("/pricing", "/Pricing/")).toBe(true);
    expect(pathMatches("/pricing", "/pricing?plan=teams")).toBe(true);
    expect(pathMatches("/pricing", "/pricing/enterprise")).toBe(false);
    expect(pathMatches("/", "/")).toBe(true);
    expect(pathMatches("/", "/pricing")).toBe(false);
  });

  it("does not let one literal part be used twice (/a*a needs two a's)", () => {
    expect(pathMatches("/a*a", "/a")).toBe(false);
    expect(pathMatches("/a*a", "/aa")).toBe(true);
    expect(pathMatches("/demo*/book", "/demo/book")).toBe(true);
  });
});

describe("receiverUrlProblem", () => {
  it("takes any http(s) address and names any other scheme", () => {
    expect(receiverUrlProblem("https://hooks.slack.com/services/T0/B0/x")).toBeNull();
    expect(receiverUrlProblem("http://10.0.0.5:8080/in")).toBeNull();
    expect(receiverUrlProblem("file:///etc/passwd")).toBe("`url` must use http:// or https://, not file:// (alerts are sent as HTTP POST requests).");
    expect(receiverUrlProblem("mailto:sales@example.com")).toBe("`url` must use http:// or https://, not mailto:// (alerts are sent as HTTP POST requests).");
    expect(receiverUrlProblem("/relative")).toBe('`url` must be an absolute http:// or https:// address, got "/relative".');
    expect(receiverUrlProblem("https://user:pw@example.com/")).toBe("`url` must not carry a user name or password; put a token in the path or query instead.");
  });
});

describe("whenProblem", () => {
  it("asks for the field each kind needs and refuses fields of other kinds", () => {
    expect(whenProblem({ kind: "page_view", path: "/pricing*" })).toBeNull();
    expect(whenProblem({ kind: "form_submit" })).toBeNull();
    expect(whenProblem({ kind: "form_submit", path: "/demo" })).toBeNull();
    expect(whenProblem({ kind: "surging", segment: "target" })).toBeNull();
    expect(whenProblem({ kind: "score_above", threshold: 50 })).toBeNull();
    expect(whenProblem({ kind: "page_view" })).toMatch(/^`when.path` is required/);
    expect(whenProblem({ kind: "page_view", path: "pricing" })).toBe("`when.path` must start with / (or *), e.g. /pricing*.");
    expect(whenProblem({ kind: "score_above" })).toMatch(/^`when.threshold` is required/);
    expect(whenProblem({ kind: "surging", threshold: 3 })).toBe("`when.threshold` applies to score_above, not surging.");
  });
});
