/**
 * A code cell as a script the notebook's context can run like a REPL line:
 *   1. TypeScript → JavaScript with esbuild (types stripped; a source map keeps the lines).
 *   2. The top level wrapped in an async arrow function, so `await` works at the top.
 *   3. Top-level declarations made global (`var` hoisted to the script, `let`/`const`/`class`
 *      turned into assignments, functions exported at the start), so later cells see them and
 *      running a cell again redeclares nothing.
 *   4. The last expression statement returned: the cell's result.
 *   5. A call to the interrupt check at the top of every loop body, so `while (true) {}` stops
 *      when the cell is interrupted and the context (with its variables) survives.
 * Every edit stays on its line (nothing adds or removes a line break before the last line), so
 * an error's line in the script is its line in the cell (through the source map for TypeScript).
 */
import { parse, type Node } from 'acorn';
import { SourceMap } from 'module';
import type { CellLanguage } from '../protocol/notebook';

/** The global the loop checks call; the worker defines it. */
export const TICK = '__neurite_tick';

export interface CellScript {
  code: string;
  /** The cell's line (1-based) of a script line. */
  cellLine(scriptLine: number): number;
}

/** A cell's source that cannot run: the message names the cell's line. */
export class CellSyntaxError extends Error {
  constructor(message: string, readonly line: number, readonly column: number) {
    super(message);
    this.name = 'SyntaxError';
  }
}

export async function compileCell(source: string, language: Exclude<CellLanguage, 'yaml'>): Promise<CellScript> {
  let js = source;
  let map: SourceMap | undefined;
  if (language === 'typescript') {
    const esbuild = await import('esbuild');
    try {
      const out = await esbuild.transform(source, { loader: 'ts', sourcemap: 'external', sourcefile: 'cell', sourcesContent: false });
      js = out.code;
      map = new SourceMap(JSON.parse(out.map));
    } catch (e) {
      const first = (e as { errors?: { text: string; location?: { line: number; column: number } }[] }).errors?.[0];
      if (first) throw new CellSyntaxError(first.text, first.location?.line ?? 1, first.location?.column ?? 0);
      throw e;
    }
  }
  const code = wrap(js);
  return {
    code,
    cellLine: (line) => {
      if (!map) return line;
      const hit = map.findEntry(line - 1, 0) as { originalLine?: number };
      return hit.originalLine !== undefined ? hit.originalLine + 1 : line;
    },
  };
}

type AnyNode = Node & Record<string, any>;

/** Steps 2–5 on JavaScript source. */
export function wrap(js: string): string {
  let program: AnyNode;
  try {
    program = parse(js, { ecmaVersion: 'latest', sourceType: 'script', allowAwaitOutsideFunction: true, locations: true }) as AnyNode;
  } catch (e) {
    const loc = (e as { loc?: { line: number; column: number } }).loc;
    throw new CellSyntaxError((e as Error).message.replace(/ \(\d+:\d+\)$/, ''), loc?.line ?? 1, loc?.column ?? 0);
  }
  const edits: { at: number; text: string; end?: number }[] = [];
  const hoisted = new Set<string>();
  const functions: string[] = [];
  const body: AnyNode[] = program.body;
  for (const node of body) {
    if (node.type === 'VariableDeclaration') {
      for (const d of node.declarations) for (const name of boundNames(d.id)) hoisted.add(name);
      // `const {a, b} = o;` → `;({a, b} = o);`: an assignment to the hoisted globals
      edits.push({ at: node.start, end: node.start + node.kind.length, text: ';(' });
      const semi = js[node.end - 1] === ';';
      edits.push({ at: semi ? node.end - 1 : node.end, end: semi ? node.end : undefined, text: semi ? ');' : ')' });
    } else if (node.type === 'FunctionDeclaration') {
      hoisted.add(node.id.name);
      functions.push(node.id.name);
    } else if (node.type === 'ClassDeclaration') {
      hoisted.add(node.id.name);
      edits.push({ at: node.start, text: `${node.id.name} = ` }, { at: node.end, text: ';' });
    }
  }
  const last = body[body.length - 1];
  if (last?.type === 'ExpressionStatement') edits.push({ at: last.expression.start, text: 'return (' }, { at: last.expression.end, text: ')' });
  instrumentLoops(program, edits);
  edits.sort((a, b) => a.at - b.at || (a.end !== undefined ? 1 : 0) - (b.end !== undefined ? 1 : 0));
  let out = '';
  let pos = 0;
  for (const e of edits) {
    out += js.slice(pos, e.at) + e.text;
    pos = Math.max(pos, e.end ?? e.at);
  }
  out += js.slice(pos);
  const head = `${hoisted.size ? `var ${[...hoisted].join(', ')}; ` : ''}(async () => { ${functions.map((f) => `globalThis.${f} = ${f}; `).join('')}`;
  return `${head}${out}\n})()`;
}

/** The names a declaration binds (`a`, `{ b, c: [d] }`, `...rest`). */
function boundNames(p: AnyNode): string[] {
  switch (p.type) {
    case 'Identifier':
      return [p.name];
    case 'ObjectPattern':
      return p.properties.flatMap((q: AnyNode) => boundNames(q.type === 'RestElement' ? q.argument : q.value));
    case 'ArrayPattern':
      return p.elements.filter(Boolean).flatMap(boundNames);
    case 'RestElement':
      return boundNames(p.argument);
    case 'AssignmentPattern':
      return boundNames(p.left);
    default:
      return [];
  }
}

const loops = new Set(['WhileStatement', 'DoWhileStatement', 'ForStatement', 'ForInStatement', 'ForOfStatement']);

/** Every loop body, at any depth, starts with the interrupt check. */
function instrumentLoops(node: AnyNode, edits: { at: number; text: string }[]): void {
  if (loops.has(node.type)) {
    const b = node.body as AnyNode;
    if (b.type === 'BlockStatement') edits.push({ at: b.start + 1, text: `${TICK}();` });
    else edits.push({ at: b.start, text: `{${TICK}();` }, { at: b.end, text: '}' });
  }
  for (const key of Object.keys(node)) {
    const v = node[key];
    if (Array.isArray(v)) for (const c of v) c && typeof c.type === 'string' && instrumentLoops(c, edits);
    else if (v && typeof v === 'object' && typeof v.type === 'string') instrumentLoops(v, edits);
  }
}
