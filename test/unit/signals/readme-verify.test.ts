import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";

// The README's signature checks, run as a receiver would paste them, on a body and signature
// worked out with openssl:
//   printf %s '{"id":"dlv_1","kind":"page_view"}' | openssl dgst -sha256 -hmac whsec_test
const README = readFileSync(path.resolve(import.meta.dirname, "../../../README.md"), "utf8");
const section = README.slice(README.indexOf("**Verifying the signature.**"));
const block = (lang: string) => new RegExp("```" + lang + "\\n([\\s\\S]*?)```").exec(section)![1];
const BODY = '{"id":"dlv_1","kind":"page_view"}';
const GOOD = "sha256=4365250caa15e5ed669a9774280f51216a5b1eab992628c9127a26fe88b9461a";
const BAD = "sha256=4365250caa15e5ed669a9774280f51216a5b1eab992628c9127a26fe88b9461b";

describe("README: verifying the signature", () => {
  it("the Node snippet accepts the right signature and refuses a wrong or missing one", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "foothold-readme-"));
    try {
      const file = path.join(dir, "verify.mjs");
      writeFileSync(file, `${block("js")}\nexport { fromFoothold };\n`);
      const { fromFoothold } = (await import(pathToFileURL(file).href)) as { fromFoothold: (raw: Buffer, sig: string | undefined, secret: string) => boolean };
      expect(fromFoothold(Buffer.from(BODY), GOOD, "whsec_test")).toBe(true);
      expect(fromFoothold(Buffer.from(BODY), BAD, "whsec_test")).toBe(false);
      expect(fromFoothold(Buffer.from(BODY), undefined, "whsec_test")).toBe(false);
      expect(fromFoothold(Buffer.from(BODY + " "), GOOD, "whsec_test")).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  const python = spawnSync("python3", ["--version"]).status === 0;
  it.runIf(python)("the Python snippet does the same (where python3 is installed)", () => {
    const script = `${block("python")}\nimport sys\nprint(from_foothold(${JSON.stringify(BODY)}.encode(), sys.argv[1], "whsec_test"))\n`;
    const run = (sig: string) => spawnSync("python3", ["-c", script, sig], { encoding: "utf8" }).stdout.trim();
    expect(run(GOOD)).toBe("True");
    expect(run(BAD)).toBe("False");
  });
});
