/**
 * The controller terminal for `pause` prompts: one line typed by the user (echoed unless `echo: false`,
 * backspace edits it, Enter ends it, Ctrl+C cancels the run as it does everywhere else). Only when stdin is a
 * terminal and is not the JSON answer channel of `--events -`.
 */
export type PauseInput = (echo: boolean, signal: AbortSignal) => Promise<string>;

export function terminalPauseInput(stdin: NodeJS.ReadStream = process.stdin, out: NodeJS.WriteStream = process.stdout): PauseInput | undefined {
  if (!stdin.isTTY) return undefined;
  return (echo, signal) =>
    new Promise<string>((resolve) => {
      let text = '';
      const finish = () => {
        stdin.off('data', onData);
        signal.removeEventListener('abort', finish);
        stdin.setRawMode(false);
        stdin.pause();
        out.write('\n');
        resolve(text);
      };
      const onData = (chunk: Buffer) => {
        for (const ch of chunk.toString('utf8')) {
          if (ch === '\r' || ch === '\n') return finish();
          if (ch === '\u0003') {
            finish();
            process.kill(process.pid, 'SIGINT');
            return;
          }
          if (ch === '\u007f' || ch === '\b') {
            if (text && echo) out.write('\b \b');
            text = [...text].slice(0, -1).join('');
          } else {
            text += ch;
            if (echo) out.write(ch);
          }
        }
      };
      stdin.setRawMode(true);
      stdin.resume();
      stdin.on('data', onData);
      signal.addEventListener('abort', finish, { once: true });
    });
}
