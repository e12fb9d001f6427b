/** A PyTorch process for benchmarks: started with its own interpreter and environment, one JSON command per stdin line, one JSON answer per stdout line. */
import { spawn, type ChildProcessWithoutNullStreams } from 'child_process';
import * as readline from 'readline';

export class TorchProcess {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly lines: AsyncIterableIterator<string>;

  constructor(python: string, args: string[], env: Record<string, string>) {
    this.child = spawn(python, args, { env: { ...process.env, ...env } });
    this.child.stderr.pipe(process.stderr);
    this.lines = readline.createInterface({ input: this.child.stdout })[Symbol.asyncIterator]();
  }

  async next(): Promise<any> {
    const r = await this.lines.next();
    if (r.done) throw new Error('the PyTorch process ended');
    return JSON.parse(r.value);
  }

  async ask(cmd: object): Promise<any> {
    this.child.stdin.write(JSON.stringify(cmd) + '\n');
    return this.next();
  }

  stop(): void {
    this.child.stdin.end();
  }
}
