// The executable: run main with the process's arguments and exit with its code.
import { main } from "./main";

main(process.argv.slice(2), process.env).then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    console.error(`error: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  },
);
