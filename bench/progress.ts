/** A one-line progress bar on stderr (redrawn in place on a terminal, every 10% otherwise). */
export function progressBar(label: string, total: number) {
  const started = Date.now();
  const tty = process.stderr.isTTY;
  let lastDecile = -1;
  const draw = (done: number) => {
    const fraction = total ? Math.min(1, done / total) : 1;
    const width = 30;
    const filled = Math.round(fraction * width);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const line = `${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${Math.floor(fraction * 100)}% ${done}/${total} ${seconds} s`;
    if (tty) process.stderr.write(`\r${line}`);
    else if (Math.floor(fraction * 10) > lastDecile) {
      lastDecile = Math.floor(fraction * 10);
      process.stderr.write(`${line}\n`);
    }
  };
  draw(0);
  return {
    update: draw,
    done: () => {
      draw(total);
      if (tty) process.stderr.write('\n');
    },
  };
}
