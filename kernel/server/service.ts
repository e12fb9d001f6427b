/**
 * The kernel's request handlers, apart from any transport so they can be tested directly.
 * Every request's params are validated on arrival; bad params or bad specs become typed
 * errors with `path: message` problems, never a crash.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CancelledError, InputError } from '../core/errors';
import { availableDevices } from '../dense/providers';
import { experiments, experimentKinds, jsonSchemaFor } from '../experiments/registry';
import { protocolProblems, requestParamSchemas } from '../protocol/schemas';
import { KernelErrorCodes, type Notifications, type Requests, type Trace } from '../protocol/types';
import { specFacts } from '../inline/facts';
import { NotebookSessions } from '../notebook/sessions';
import { attributeRun, type AttributionGet } from '../runs/attribution';
import { startRun } from '../runs/runner';
import { listRuns, readRunDetails, runsRoot } from '../runs/store';
import { validateSpecText } from '../runs/validate';
import { versions } from '../runs/versions';
import { sweepsRoot } from '../sweeps/store';
import { startSweep } from './sweeps';

/** An error with a JSON-RPC code and optional data, mapped 1:1 onto a ResponseError. */
export class ServiceError extends Error {
  constructor(readonly code: number, message: string, readonly data?: unknown) {
    super(message);
  }
}

export type Notify = <M extends keyof Notifications>(method: M, params: Notifications[M]) => void;

export class KernelService {
  private readonly active = new Map<string, AbortController>();
  private readonly sweeps = new Map<string, AbortController>();
  /** Notebook code contexts, one worker per notebook. */
  readonly notebooks = new NotebookSessions();

  constructor(private readonly notify: Notify) {}

  /** Validate then dispatch one request; `signal` cancels the requests that take long (attribution/get). */
  async handle<M extends keyof Requests>(method: M, params: unknown, signal?: AbortSignal): Promise<Requests[M][1]> {
    if (!Object.hasOwn(requestParamSchemas, method)) throw new ServiceError(-32601, `unknown method ${method}`); // not "__proto__" either
    const schema = requestParamSchemas[method];
    const parsed = schema.safeParse(params);
    if (!parsed.success) {
      const problems = protocolProblems(parsed.error);
      throw new ServiceError(-32602, `invalid params for ${method}: ${problems.join('; ')}`, { problems });
    }
    try {
      return (await (this as any)[handlerName(method)](parsed.data, signal)) as Requests[M][1];
    } catch (e) {
      if (e instanceof InputError) throw new ServiceError(KernelErrorCodes.BadInput, e.message, { problems: e.problems, source: e.source });
      if (e instanceof CancelledError) throw new ServiceError(KernelErrorCodes.Cancelled, `${method} cancelled`);
      throw e;
    }
  }

  /** Runs in progress. */
  get activeRuns(): string[] {
    return [...this.active.keys()];
  }

  kernelInfo(): Requests['kernel/info'][1] {
    return { ...versionInfo(), pid: process.pid, kinds: experimentKinds(), devices: availableDevices() };
  }

  experimentsList(): Requests['experiments/list'][1] {
    return { experiments: experiments.map(({ kind, title, description, paper, engine, metrics }) => ({ kind, title, description, paper, engine, metrics })) };
  }

  experimentsSchema(p: Requests['experiments/schema'][0]): Requests['experiments/schema'][1] {
    return { schema: jsonSchemaFor(p.kind) };
  }

  runStart(p: Requests['run/start'][0]): Requests['run/start'][1] {
    const abort = new AbortController();
    const runIdBox: { id?: string } = {};
    const started = startRun(
      p,
      {
        progress: (fraction, message) => this.notify('run/progress', { runId: runIdBox.id!, fraction, message }),
        metric: (record) => this.notify('run/metric', { runId: runIdBox.id!, record }),
        trace: (name, trace: Trace) => this.notify('run/trace', { runId: runIdBox.id!, name, trace }),
        log: (level, message) => this.notify('run/log', { runId: runIdBox.id, level, message }),
      },
      abort.signal,
    );
    runIdBox.id = started.runId;
    this.active.set(started.runId, abort);
    void started.done.then(
      (summary) => {
        this.active.delete(started.runId);
        this.notify('run/end', { runId: started.runId, status: summary.status, summary });
      },
      (e) => {
        // Writing the summary itself failed (disk full, folder removed): report, keep serving.
        this.active.delete(started.runId);
        this.notify('run/log', { runId: started.runId, level: 'error', message: `run ${started.runId} could not be finished: ${(e as Error).message}` });
      },
    );
    return { runId: started.runId, dir: started.dir, kind: started.kind };
  }

  runCancel(p: Requests['run/cancel'][0]): Requests['run/cancel'][1] {
    const abort = this.active.get(p.runId);
    if (!abort) throw new ServiceError(KernelErrorCodes.UnknownRun, `no active run ${p.runId}`);
    abort.abort();
    return { cancelled: true };
  }

  runsList(p: Requests['runs/list'][0]): Requests['runs/list'][1] {
    const root = p.root ?? (p.workspace ? runsRoot(p.workspace) : undefined);
    if (!root) throw new InputError(['(params): give workspace or root']);
    return { runs: listRuns(root) };
  }

  runsGet(p: Requests['runs/get'][0]): Requests['runs/get'][1] {
    if (!fs.existsSync(path.join(p.dir, 'spec.json'))) throw new InputError([`dir: ${p.dir} is not a run folder (no spec.json)`]);
    return readRunDetails(p.dir) as Requests['runs/get'][1];
  }

  /** Plan (validating every trial), claim and start a sweep; progress and end come as notifications. */
  async sweepStart(p: Requests['sweep/start'][0]): Promise<Requests['sweep/start'][1]> {
    return startSweep(p, p.outDir ?? sweepsRoot(p.workspace), this.sweeps, this.notify);
  }

  sweepCancel(p: Requests['sweep/cancel'][0]): Requests['sweep/cancel'][1] {
    const abort = this.sweeps.get(p.sweepId);
    if (!abort) throw new ServiceError(KernelErrorCodes.UnknownRun, `no active sweep ${p.sweepId}`);
    abort.abort();
    return { cancelled: true };
  }

  /** Every problem of a spec text, located for an editor (never an error: a bad spec is the answer). */
  specValidate(p: Requests['spec/validate'][0]): Requests['spec/validate'][1] {
    return validateSpecText(p);
  }

  /** Attributions of a run's model, with `attribution/progress` notifications when the request carries a progressToken. */
  async attributionGet(p: AttributionGet, signal?: AbortSignal): Promise<Requests['attribution/get'][1]> {
    const token = p.progressToken;
    return attributeRun(p, { signal, progress: token ? (fraction, message) => this.notify('attribution/progress', { progressToken: token, fraction, message }) : undefined });
  }

  /** Run a notebook cell; each output also goes out as `cell/output` while the cell runs. */
  cellExecute(p: Requests['cell/execute'][0]): Promise<Requests['cell/execute'][1]> {
    return this.notebooks.execute(p, (output) => this.notify('cell/output', { executionId: p.executionId, output }));
  }

  cellInterrupt(p: Requests['cell/interrupt'][0]): Promise<Requests['cell/interrupt'][1]> {
    return this.notebooks.interrupt(p.notebook);
  }

  async notebookRestart(p: Requests['notebook/restart'][0]): Promise<Requests['notebook/restart'][1]> {
    const had = this.notebooks.notebooks.includes(p.notebook);
    await this.notebooks.restart(p.notebook);
    return { restarted: had };
  }

  specFacts(p: Requests['spec/facts'][0]): Promise<Requests['spec/facts'][1]> {
    return specFacts(p);
  }

  /** Cancel everything (kernel shutting down). */
  cancelAll(): void {
    for (const a of this.active.values()) a.abort();
    for (const a of this.sweeps.values()) a.abort();
    void this.notebooks.disposeAll();
  }
}

function handlerName(method: string): string {
  return method.replace(/[/-](\w)/g, (_, c: string) => c.toUpperCase());
}

function versionInfo() {
  const v = versions();
  return { version: v.neurite, node: v.node, platform: `${v.platform} ${os.cpus().length} cpus` };
}
