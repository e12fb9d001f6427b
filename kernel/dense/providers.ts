/**
 * Execution providers for dense models: which are usable here, and the device a run gets for
 * its `device` request. CPU is always there. CUDA needs onnxruntime-node's CUDA add-on, which
 * its install script downloads only when asked (`ONNXRUNTIME_NODE_INSTALL=cuda12`). WebGPU is
 * bundled but needs a GPU adapter (Vulkan, Metal or D3D12), probed once on request.
 */
import * as fs from 'fs';
import * as path from 'path';
import { InputError } from '../core/errors';
import type { DeviceRequest } from '../protocol/types';
import { Graph } from './graph';
import { serialize } from './onnx/serialize';
import { relu } from './ops';
import { ORT_INSTALL_HINT, ortInstalled } from './ort';

export type { DeviceRequest };
/** An execution provider a dense run actually uses. */
export type Device = Exclude<DeviceRequest, 'auto'>;

const CUDA_HINT = 'install the CUDA add-on with `ONNXRUNTIME_NODE_INSTALL=cuda12 npm rebuild onnxruntime-node` (needs an NVIDIA driver, CUDA 12 and cuDNN 9), or use device "cpu"';

function ortBinDir(): string {
  const pkg = path.dirname(require.resolve('onnxruntime-node/package.json'));
  return path.join(pkg, 'bin', 'napi-v6', process.platform, process.arch);
}

/** True when onnxruntime-node's CUDA provider library is installed. */
export function cudaInstalled(): boolean {
  const lib = process.platform === 'win32' ? 'onnxruntime_providers_cuda.dll' : 'libonnxruntime_providers_cuda.so';
  try {
    return fs.existsSync(path.join(ortBinDir(), lib));
  } catch {
    return false;
  }
}

let webgpuProbe: string | null | undefined;

/** Why WebGPU cannot run here (null when it can); probed once with a one-node model. */
export function webgpuProblem(): string | null {
  if (webgpuProbe !== undefined) return webgpuProbe;
  try {
    // The binding's synchronous loader lets device resolution stay synchronous (before any work).
    const { binding, initOrt } = require('onnxruntime-node/dist/binding');
    initOrt();
    const g = new Graph();
    g.output('y', relu(g.input('x', [1])));
    const bytes = serialize(g);
    const s = new binding.InferenceSession();
    s.loadModel(bytes.buffer, bytes.byteOffset, bytes.byteLength, { executionProviders: ['webgpu'] });
    s.dispose();
    webgpuProbe = null;
  } catch (e) {
    const msg = String((e as Error).message ?? e);
    webgpuProbe = /adapter|RequestAdapter/i.test(msg) ? 'no WebGPU adapter was found (no Vulkan/Metal/D3D12 GPU driver)' : msg.split('\n')[0].slice(0, 200);
  }
  return webgpuProbe;
}

/** The providers this machine can run, best first (WebGPU only when probed and working). */
export function availableDevices(probeWebgpu = false): Device[] {
  const out: Device[] = [];
  if (cudaInstalled()) out.push('cuda');
  if (probeWebgpu && webgpuProblem() === null) out.push('webgpu');
  out.push('cpu');
  return out;
}

/**
 * The device for a request. `auto` takes CUDA when its add-on is installed, else the CPU;
 * WebGPU is used only when asked for, since onnxruntime's WebGPU provider targets inference
 * and we cannot test its training kernels here. An absent provider is a located InputError.
 */
export function resolveDenseDevice(requested: DeviceRequest): Device {
  if (!ortInstalled()) throw new InputError([`device: the dense engine needs onnxruntime-node, which is not installed; ${ORT_INSTALL_HINT}`]);
  if (requested === 'auto') return cudaInstalled() ? 'cuda' : 'cpu';
  if (requested === 'cpu') return 'cpu';
  if (requested === 'cuda') {
    if (!cudaInstalled()) throw new InputError([`device: "cuda" is not available: onnxruntime-node's CUDA provider is not installed; ${CUDA_HINT}`]);
    return 'cuda';
  }
  const problem = webgpuProblem();
  if (problem) throw new InputError([`device: "webgpu" is not available: ${problem}; use device "cpu" or "auto"`]);
  return 'webgpu';
}
