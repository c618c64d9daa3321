import { describe, expect, it } from "vitest";
import { formatTable, moneyText } from "../../../cli/table";

describe("formatTable", () => {
  it("right-aligns numbers, pads text, and cuts long cells", () => {
    const rows = [{ name: "Acme Corporation International", score: "12.5" }, { name: "Globex", score: "3.0" }];
    const text = formatTable(rows, [{ title: "Account", value: (r) => r.name, max: 10 }, { title: "Score", value: (r) => r.score, align: "right" }]);
    expect(text.split("\n")).toEqual(["Account     Score", "──────────  ─────", "Acme Corp…   12.5", "Globex        3.0"]);
  });

  it("prints money with cents and the currency, and a dash for no value", () => {
    expect(moneyText(1234.5, "USD")).toBe("1,234.50 USD");
    expect(moneyText(null, "USD")).toBe("—");
  });
});
