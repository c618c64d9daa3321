// A progress bar on stderr. On a terminal it redraws one line; in a pipe or a CI log it prints
// one plain line per step instead, so logs stay readable.

export interface Progress {
  /** `total` changes it (work that grows as it is found) */
  update(done: number, total?: number): void;
  finish(): void;
}

export function progressBar(label: string, total: number, stream: NodeJS.WriteStream = process.stderr, unit = "rows"): Progress {
  const tty = Boolean(stream.isTTY);
  const width = 28;
  let last = "";
  const render = (done: number) => {
    const share = total === 0 ? 1 : Math.min(1, done / total);
    const filled = Math.round(share * width);
    const text = `${label} [${"█".repeat(filled)}${"░".repeat(width - filled)}] ${Math.round(share * 100)}% ${done}/${total} ${unit}`;
    if (text === last) return;
    last = text;
    stream.write(tty ? `\r${text}` : `${text}\n`);
  };
  render(0);
  return {
    update(done, next) {
      if (next !== undefined) total = next;
      render(done);
    },
    finish() {
      if (tty) stream.write("\n");
    },
  };
}
