/** Run progress for a terminal (a redrawn bar) or a pipe (plain lines, every 10%). */
export class ProgressDisplay {
  private lastDecile = -1;
  private drawn = false;

  constructor(private readonly out: NodeJS.WriteStream, private readonly label: string) {}

  get isTTY(): boolean {
    return Boolean(this.out.isTTY);
  }

  update(fraction: number, message?: string): void {
    const pct = Math.round(fraction * 100);
    if (this.isTTY) {
      const width = 30;
      const filled = Math.round(fraction * width);
      const text = `${this.label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(pct).padStart(3)}% ${message ?? ''}`;
      const cols = this.out.columns ?? 100;
      this.out.write(`\r${text.slice(0, cols - 1).padEnd(Math.min(cols - 1, text.length + 10))}`);
      this.drawn = true;
    } else {
      const decile = Math.floor(pct / 10);
      if (decile === this.lastDecile) return;
      this.lastDecile = decile;
      this.out.write(`${this.label}: ${pct}%${message ? ` ${message}` : ''}\n`);
    }
  }

  /** Print a line without tearing the bar. */
  line(text: string): void {
    if (this.drawn) this.out.write('\r\x1b[K');
    this.out.write(text + '\n');
  }

  end(): void {
    if (this.drawn) this.out.write('\n');
    this.drawn = false;
  }
}
