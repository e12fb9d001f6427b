/**
 * Neurite's output MIME types as the renderer matches them. The webview takes only types from
 * kernel/protocol (no runtime code, no zod in the bundle): the `satisfies` check keeps these
 * strings equal to kernel/protocol/notebook.ts's NeuriteMime at compile time.
 */
import type { NeuriteMime } from '../../kernel/protocol/notebook';

export const Mime = {
  run: 'application/vnd.neurite.run+json',
  chart: 'application/vnd.neurite.chart+json',
  table: 'application/vnd.neurite.table+json',
  attribution: 'application/vnd.neurite.attribution+json',
  waveform: 'application/vnd.neurite.waveform+json',
  progress: 'application/vnd.neurite.progress+json',
} as const satisfies typeof NeuriteMime;
