const STEPS: Record<string, string> = {
  snapshots: 'reading snapshots',
  activity: 'reading activity',
  fitting: 'fitting',
  evaluating: 'checking on held-out weeks',
  scoring: 'scoring',
};

/**
 * Reports a training or backtest's progress to a stream: a bar redrawn in place on a terminal,
 * one line per step (and per tenth of a long step) otherwise, so logs stay readable.
 *
 * @example
 * await trainModel(db, projectId, { onProgress: progressReporter(process.stderr) });
 */
export function progressReporter(stream: NodeJS.WriteStream) {
  const started = Date.now();
  let lastLine = '';
  return ({ step, done, total }: { step: string; done: number; total: number }) => {
    const share = total > 0 ? done / total : 1;
    const seconds = ((Date.now() - started) / 1000).toFixed(0);
    const name = (STEPS[step] ?? step).padEnd(28);
    if (stream.isTTY) {
      const width = 24;
      const filled = Math.round(share * width);
      stream.write(
        `\r  ${name} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}  ${seconds} s`,
      );
      if (done === total) stream.write('\n');
      return;
    }
    const line = `  ${name} ${Math.floor(share * 10) * 10}%`;
    if (line === lastLine) return;
    lastLine = line;
    stream.write(`${line}  (${done}/${total}, ${seconds} s)\n`);
  };
}
