import type { Command, OptionSpec } from "./command";

const usage = (c: Command) => `foothold ${c.words.join(" ")}${c.args ? ` ${c.args}` : ""} [options]`;

function optionLines(options: Record<string, OptionSpec>): string[] {
  return Object.entries(options).map(([name, o]) => {
    const [arg, text] = o.help.startsWith("<") ? [o.help.slice(0, o.help.indexOf(">") + 1), o.help.slice(o.help.indexOf(">") + 1).trim()] : ["", o.help];
    const flag = `${o.short ? `-${o.short}, ` : "    "}--${name}${arg ? ` ${arg}` : ""}`;
    return `  ${flag.padEnd(34)} ${text}`;
  });
}

export function mainHelp(commands: readonly Command[], globals: Record<string, OptionSpec>): string {
  return [
    "foothold — manage a Foothold collector from the command line",
    "",
    "Usage: foothold <command> [options]",
    "",
    "Commands:",
    ...commands.map((c) => `  ${`${c.words.join(" ")}${c.args ? ` ${c.args}` : ""}`.padEnd(30)} ${c.summary}`),
    "",
    "Options for every command:",
    ...optionLines(globals),
    "",
    "Examples:",
    "  export FOOTHOLD_URL=https://t.example.com FOOTHOLD_TOKEN=fh_…",
    "  foothold import accounts targets.csv",
    "  foothold accounts --segment target --window 7d",
    "  foothold revenue --by channel --model w_shaped",
    "  foothold erase --email jane@acme.com",
    "  foothold pipeline --by channel --model first_touch --window 90d",
    "  foothold plan --revenue 10000000 --per year --deal-size 1100000",
    "",
    "Exit codes: 0 done, 1 failed, 2 called wrongly, 3 imported with some rows refused.",
    "Run foothold <command> --help for a command's options.",
  ].join("\n");
}

export function commandHelp(c: Command, globals: Record<string, OptionSpec>): string {
  return [
    `${c.summary}.`,
    "",
    `Usage: ${usage(c)}`,
    "",
    ...(Object.keys(c.options).length ? ["Options:", ...optionLines(c.options), ""] : []),
    "Options for every command:",
    ...optionLines(globals),
    ...(c.details?.length ? ["", ...c.details] : []),
  ].join("\n");
}
