/**
 * Fuzzing the kernel protocol: every request's and notification's schema, and the run panel's
 * messages to the host, on valid messages damaged (a value replaced, a key removed or added) and
 * on random JSON; the kernel service's handler on any method name and params; and the JSON-RPC
 * connection the kernel serves, fed messages of any shape. Validation returns a result or
 * `path: message` problems; the handler answers or throws a ServiceError; the connection keeps
 * answering, logging no failure.
 */
import * as assert from 'assert';
import fc from 'fast-check';
import { AbstractMessageReader, AbstractMessageWriter, createMessageConnection, type DataCallback, type Message } from 'vscode-jsonrpc/node';
import { runPanelOutbound } from '../../../kernel/protocol/panels';
import { notificationSchemas, protocolProblems, requestParamSchemas } from '../../../kernel/protocol/schemas';
import { serve } from '../../../kernel/server/main';
import { KernelService, ServiceError } from '../../../kernel/server/service';
import { found, fuzzSuite } from './harness';
import { oddValue } from './inputs';

const ws = '/nonexistent/neurite-fuzz-workspace';
const runSummary = { id: 'r1', kind: 'dendrite.sdr', status: 'completed', metrics: { p: 0.5, q: null } };

/** One valid example of each message's params. */
const requests: Record<string, unknown> = {
  'kernel/info': {},
  'experiments/list': null,
  'experiments/schema': { kind: 'dendrite.sdr' },
  'run/start': { workspace: ws, spec: { kind: 'dendrite.sdr' }, overrides: ['seed=2'], seed: 3, device: 'cpu' },
  'run/cancel': { runId: 'r1' },
  'runs/list': { workspace: ws },
  'runs/get': { dir: ws },
  'sweep/start': { workspace: ws, specPath: 'a.yaml', executor: 'slurm', jobs: 4, slurm: { partition: 'p', time: '1:00', cpus: 2, memory: '1G' } },
  'sweep/cancel': { sweepId: 's1' },
};
const notifications: Record<string, unknown> = {
  'run/progress': { runId: 'r1', fraction: 0.5, message: 'half' },
  'run/metric': { runId: 'r1', record: { t: 1, step: 2, series: 'train', values: { loss: 0.1, acc: null } } },
  'run/trace': { runId: 'r1', name: 'v', trace: { type: 'xy', series: [{ name: 'a', x: [0, 1], y: [1, null] }] } },
  'run/log': { runId: 'r1', level: 'warn', message: 'm' },
  'run/end': { runId: 'r1', status: 'completed', summary: runSummary },
  'sweep/progress': { sweepId: 's1', total: 4, fraction: 0.25, counts: { queued: 3, completed: 1 }, trial: { index: 0, status: 'completed', runDir: '/x' } },
  'sweep/end': { sweepId: 's1', dir: '/x', status: 'completed', counts: { completed: 4 }, table: { json: 'a.json', csv: 'a.csv' } },
};
const schemas: Record<string, { safeParse: (v: unknown) => any }> = { ...requestParamSchemas, ...notificationSchemas, 'run panel → host': runPanelOutbound };
const examples: Record<string, unknown> = { ...requests, ...notifications, 'run panel → host': { type: 'reveal', file: 'spec.json' } };

/** Every path to a value inside `v`, with the root itself. */
function paths(v: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (typeof v !== 'object' || v === null) return [at];
  const keys: (string | number)[] = Array.isArray(v) ? v.map((_, i) => i) : Object.keys(v);
  return [at, ...keys.flatMap((k) => paths((v as any)[k], [...at, k]))];
}

type Change = { op: 'set' | 'delete' | 'add'; at: number; key: string; value: unknown };
const change = fc.record({
  op: fc.constantFrom<Change['op']>('set', 'delete', 'add'),
  at: fc.nat(),
  key: fc.oneof(fc.constantFrom('runId', 'workspace', 'spec', 'kind', '__proto__', 'constructor', 'x'), fc.string({ maxLength: 5 })),
  value: oddValue,
});

function applyChange(v: unknown, c: Change): unknown {
  const all = paths(v);
  const p = all[c.at % all.length];
  if (p.length === 0) return c.op === 'set' ? c.value : v;
  const out = structuredClone(v);
  const parent = p.slice(0, -1).reduce<any>((o, k) => o[k], out);
  const last = p[p.length - 1];
  if (c.op === 'set') parent[last] = c.value;
  else if (c.op === 'delete') Array.isArray(parent) ? parent.splice(Number(last), 1) : delete parent[last];
  else if (typeof parent === 'object' && parent !== null && !Array.isArray(parent)) Object.defineProperty(parent, c.key, { value: c.value, enumerable: true, writable: true, configurable: true });
  return out;
}

/** A method and its example params with 1–3 changes, or any JSON value. */
const message = (methods: string[]) =>
  fc.tuple(
    fc.constantFrom(...methods),
    fc.oneof(
      { weight: 3, arbitrary: fc.array(change, { minLength: 1, maxLength: 3 }) },
      { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((j) => [{ op: 'set', at: 0, key: '', value: j } as Change]) },
    ),
  ).map(([m, cs]): [string, unknown] => [m, cs.reduce(applyChange, examples[m])]);

/** Validation: a result, or problems that each name a path. */
function checkSchema([method, params]: [string, unknown]): void {
  const r = schemas[method].safeParse(params);
  if (r.success) return;
  const problems = protocolProblems(r.error);
  assert.ok(problems.length > 0 && problems.every((p) => /^[^\n]+: \S/.test(p)), JSON.stringify(problems));
}

/** Methods whose handlers only read (the run and sweep starters write run folders: only their schemas are fuzzed). */
const readOnly = ['kernel/info', 'experiments/list', 'experiments/schema', 'run/cancel', 'runs/get', 'sweep/cancel'];
const anyMethod = fc.oneof(fc.constantFrom(...readOnly), fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'run/', '', 'runs/list/'), fc.string({ maxLength: 12 }));

/** The handler: an answer, or a ServiceError with a JSON-RPC code. */
async function checkHandle([method, params]: [string, unknown]): Promise<void> {
  const service = new KernelService(() => {});
  try {
    await service.handle(method as never, params);
  } catch (e) {
    if (!(e instanceof ServiceError)) throw e;
    assert.ok(Number.isInteger(e.code), `code ${e.code}`);
  }
}

/** In-memory JSON-RPC transport: messages go in as parsed objects, as node IPC delivers them. */
class Inbox extends AbstractMessageReader {
  private callback?: DataCallback;
  listen(callback: DataCallback) {
    this.callback = callback;
    return { dispose: () => (this.callback = undefined) };
  }
  push(m: unknown): void {
    this.callback!(m as Message);
  }
}
class Outbox extends AbstractMessageWriter {
  private readonly waiting = new Map<string, (m: any) => void>();
  async write(m: Message): Promise<void> {
    const id = (m as { id?: unknown }).id;
    if (typeof id === 'string') this.waiting.get(id)?.(m);
  }
  /** The response to request `id`, or undefined if none comes within `ms`. */
  response(id: string, ms: number): Promise<any> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(undefined), ms);
      this.waiting.set(id, (m) => {
        clearTimeout(timer);
        this.waiting.delete(id);
        resolve(m);
      });
    });
  }
  end(): void {}
}

let wire: { inbox: Inbox; outbox: Outbox; logged: string[] } | undefined;
let probe = 0;

/** One kernel connection for all cases; what it writes to stderr is captured (a failure logs there). */
function kernelWire() {
  if (wire) return wire;
  const inbox = new Inbox();
  const outbox = new Outbox();
  const logged: string[] = [];
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: any[]) => {
    const text = String(chunk);
    if (!text.startsWith('[kernel]')) return write(chunk as never, ...rest);
    if (text.includes('failed')) logged.push(text); // "ignored notification" is expected here
    return true;
  }) as typeof process.stderr.write;
  const connection = createMessageConnection(inbox, outbox);
  serve(connection);
  connection.listen();
  return (wire = { inbox, outbox, logged });
}

/** Garbage in, then a probe request (without params): the connection answers it and has logged no failure. */
async function checkWire(garbage: unknown): Promise<void> {
  const { inbox, outbox, logged } = kernelWire();
  inbox.push(garbage);
  const id = `probe-${probe++}`;
  const answer = outbox.response(id, 1000);
  inbox.push({ jsonrpc: '2.0', id, method: 'experiments/list' });
  const m = await answer;
  assert.ok(m?.result, `the kernel stopped answering: ${JSON.stringify(m?.error ?? 'no response')}`);
  assert.deepStrictEqual(logged, [], 'a handler failed');
}

const rpc = fc.oneof(
  message(readOnly).chain(([method, params]) =>
    fc.record(
      {
        jsonrpc: fc.constantFrom('2.0', '1.0', undefined),
        id: fc.oneof(fc.integer(), fc.string({ maxLength: 4 }), fc.constant(null), fc.jsonValue({ maxDepth: 1 })),
        method: fc.oneof(fc.constant(method), anyMethod),
        params: fc.constant(params),
      },
      { requiredKeys: ['method'] },
    ),
  ),
  fc.jsonValue({ maxDepth: 3 }),
);

fuzzSuite(__filename, 'fuzz: protocol, inputs found and kept', {
  'a request for the method "__proto__" is an unknown method (it threw a TypeError)': found('__proto__', async (m) => {
    await assert.rejects(new KernelService(() => {}).handle(m as never, {}), (e: ServiceError) => e instanceof ServiceError && e.code === -32601);
  }),

  'a request without params is answered (the handler took the cancellation token for its params)': found({ jsonrpc: '2.0', method: 'kernel/nothing' }, checkWire),
});

fuzzSuite(__filename, 'fuzz: protocol', {
  'every message schema validates damaged and random params without throwing, naming each problem\'s path': { runs: 3000, input: () => message(Object.keys(schemas)), check: checkSchema },
  'the kernel service answers any method and params or throws a ServiceError': { runs: 1500, input: () => fc.tuple(anyMethod, message(readOnly).map(([, p]) => p)), check: checkHandle },
  'the kernel connection keeps answering after any message': { runs: 1500, input: () => rpc, check: checkWire },
});
