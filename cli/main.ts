// `foothold`: the collector's chores from a terminal. Commands are words then options;
// --url/--token (or FOOTHOLD_URL/FOOTHOLD_TOKEN) say which collector and who is asking.
// Exit codes: 0 done, 1 failed, 2 called wrongly, 3 imported with some rows refused.
import { parseArgs } from "node:util";
import { createClient, FootholdError } from "./client/client";
import { type Command, EXIT, type OptionSpec, type RunContext, str, UsageError } from "./command";
import { alertsCreate, alertsDelete, alertsDeliveries, alertsList, alertsTest } from "./commands/alerts";
import { exportDownload, exportFiles } from "./commands/export";
import { importAccounts, importDeals, importSpend } from "./commands/import";
import { campaignsTable, contentTable } from "./commands/marketing";
import { retentionSettings, statusReport } from "./commands/operations";
import { erase, erasures } from "./commands/privacy";
import { customersTable, funnelTable, pipelineTable, planTable } from "./commands/pipeline";
import { accountsTop, coverageReport, revenueTable } from "./commands/reports";
import { keysCreate, keysList, keysRevoke, sitesCreate, sitesList } from "./commands/sites-keys";
import { commandHelp, mainHelp } from "./help";

export const COMMANDS: Command[] = [sitesCreate, sitesList, keysCreate, keysList, keysRevoke, importAccounts, importDeals, importSpend, accountsTop, revenueTable, pipelineTable, funnelTable, planTable, customersTable, campaignsTable, contentTable, coverageReport, exportFiles, exportDownload, statusReport, retentionSettings, alertsCreate, alertsList, alertsTest, alertsDeliveries, alertsDelete, erase, erasures];

export const GLOBAL_OPTIONS: Record<string, OptionSpec> = {
  url: { type: "string", help: "<url>  the collector (env FOOTHOLD_URL; default http://localhost:8787)" },
  token: { type: "string", help: "<token>  an API key or the admin token (env FOOTHOLD_TOKEN)" },
  help: { type: "boolean", short: "h", help: "show help" },
};

function findCommand(argv: string[]): { command: Command; rest: string[] } | null {
  // The longest match wins: "sites create" before a lone "sites".
  const matches = COMMANDS.filter((c) => c.words.every((w, i) => argv[i] === w)).sort((a, b) => b.words.length - a.words.length);
  return matches[0] ? { command: matches[0], rest: argv.slice(matches[0].words.length) } : null;
}

export async function main(argv: string[], env: NodeJS.ProcessEnv, io = { out: (s: string) => console.log(s), err: (s: string) => console.error(s) }): Promise<number> {
  if (argv.length === 0 || argv[0] === "help" || argv[0] === "--help" || argv[0] === "-h") {
    io.out(mainHelp(COMMANDS, GLOBAL_OPTIONS));
    return argv.length === 0 ? EXIT.usage : EXIT.ok;
  }
  const found = findCommand(argv);
  if (!found) {
    const group = COMMANDS.filter((c) => c.words[0] === argv[0]);
    io.err(group.length ? `foothold ${argv[0]} needs one of: ${group.map((c) => c.words[1]).join(", ")}.` : `Unknown command: ${argv[0]}.`);
    io.err("Run foothold --help to see the commands.");
    return EXIT.usage;
  }
  const { command, rest } = found;
  try {
    const { values, positionals } = parseArgs({ args: rest, options: { ...GLOBAL_OPTIONS, ...command.options }, allowPositionals: true, strict: true });
    if (values.help) {
      io.out(commandHelp(command, GLOBAL_OPTIONS));
      return EXIT.ok;
    }
    const url = (str(values.url) ?? env.FOOTHOLD_URL ?? "http://localhost:8787").replace(/\/+$/, "");
    if (!/^https?:\/\/[^/]+/.test(url)) throw new UsageError(`--url must be the collector's http(s) address, e.g. http://localhost:8787 (got ${url}).`);
    const token = str(values.token) ?? env.FOOTHOLD_TOKEN;
    const ctx: RunContext = {
      values,
      positionals,
      url,
      out: io.out,
      err: io.err,
      client() {
        if (!token) throw new UsageError("No token: pass --token or set FOOTHOLD_TOKEN to an API key (or the admin token).");
        return createClient({ baseUrl: url, token });
      },
    };
    return await command.run(ctx);
  } catch (err) {
    return report(err, command, io.err);
  }
}

function report(err: unknown, command: Command, printErr: (s: string) => void): number {
  if (err instanceof UsageError || (err instanceof TypeError && "code" in err && String(err.code).startsWith("ERR_PARSE_ARGS"))) {
    printErr(`error: ${err.message}`);
    printErr(`Run foothold ${command.words.join(" ")} --help for its options.`);
    return EXIT.usage;
  }
  const api = err instanceof FootholdError ? err : err instanceof Error && err.cause instanceof FootholdError ? err.cause : null;
  printErr(`error: ${err instanceof Error ? err.message : String(err)}`);
  if (api?.status === 401) printErr("Check the token (--token or FOOTHOLD_TOKEN): it is wrong or was revoked.");
  if (api?.status === 403) printErr("The key lacks the scope this command needs; create one with foothold keys create <name> --scope <scope>.");
  if (api?.status === 0) printErr("Is the collector running at that address? Set it with --url or FOOTHOLD_URL.");
  return EXIT.failed;
}
