import type { Readable, Writable } from 'node:stream';

/** Everything on a piped stdin, minus the one trailing newline `echo` or a file adds. */
async function readPiped(input: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of input) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/** One line typed at the terminal without echo (raw mode: the characters are never printed). */
function readHidden(input: NodeJS.ReadStream, output: Writable, prompt: string): Promise<string> {
  output.write(prompt);
  input.setRawMode(true);
  input.resume();
  input.setEncoding('utf8');
  let typed = '';
  return new Promise((resolve, reject) => {
    const done = (error?: Error) => {
      input.setRawMode(false);
      input.pause();
      input.off('data', onData);
      output.write('\n');
      if (error) reject(error);
      else resolve(typed);
    };
    const onData = (text: string) => {
      for (const char of text) {
        if (char === '\r' || char === '\n') return done();
        if (char === '\u0003') return done(new Error('Cancelled'));
        if (char === '\u007f' || char === '\b') typed = typed.slice(0, -1);
        else typed += char;
      }
    };
    input.on('data', onData);
  });
}

/**
 * The password for a CLI command: read from standard input when it is not a terminal (so a
 * script can pipe it in and it never appears in `ps` or the shell history), else prompted
 * twice without echo.
 */
export async function readPassword(
  input: NodeJS.ReadStream = process.stdin,
  output: Writable = process.stderr,
): Promise<string> {
  if (!input.isTTY) return readPiped(input);
  const first = await readHidden(input, output, 'Password: ');
  const again = await readHidden(input, output, 'Repeat the password: ');
  if (first !== again) throw new Error('The passwords do not match');
  return first;
}
