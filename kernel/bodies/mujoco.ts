/**
 * DeepMind's MuJoCo, compiled to WebAssembly (npm `mujoco-js`), loaded once per process (the
 * kernel, the CLI, each episode worker thread) and only when a body is first needed: the module
 * is an 11 MB script with the binary inlined and takes ~0.4 s to instantiate.
 *
 * Models are compiled from MJCF text through the module's in-memory file system. A model and
 * its data live in the WebAssembly heap, outside the JavaScript garbage collector: whoever
 * makes them calls `delete()` (MjBody.dispose), or the heap grows with every episode.
 */
import type { MainModule, MjData, MjModel } from 'mujoco-js' with { 'resolution-mode': 'import' };

export type { MainModule, MjData, MjModel };

let loading: Promise<MainModule> | undefined;

/** The MuJoCo module of this process (instantiated on first call). */
export function mujoco(): Promise<MainModule> {
  loading ??= import('mujoco-js').then((m) => m.default());
  return loading;
}

let fileCount = 0;

/** A model compiled from MJCF text; throws MuJoCo's message when the text is wrong. */
export function compileModel(mj: MainModule, mjcf: string): MjModel {
  const file = `/tmp/neurite-${process.pid}-${fileCount++}.xml`;
  mj.FS.writeFile(file, mjcf);
  try {
    return mj.MjModel.loadFromXML(file);
  } finally {
    mj.FS.unlink(file);
  }
}

/** A compiled model and one data block for it, freed together. */
export class MjBody {
  readonly data: MjData;
  private disposed = false;

  constructor(readonly mj: MainModule, readonly model: MjModel) {
    this.data = new mj.MjData(model);
  }

  /** The size of the WebAssembly heap in bytes (it grows, never shrinks): a leak shows here. */
  heapBytes(): number {
    return (this.data.qpos as Float64Array).buffer.byteLength;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.data.delete();
    this.model.delete();
  }
}
