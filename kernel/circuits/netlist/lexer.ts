/**
 * Netlist text → cards. A card is one logical line: a physical line plus any `+` continuation
 * lines, split into located tokens. Comments are whole lines starting with `*` or `#` (as in
 * JoSIM); `;` starts an inline comment. Tokens keep their 1-based line and column so every
 * later error can point at the text that caused it.
 */

/** A word (`B01`, `2.16`, `area`), one of the punctuation marks `( ) = ,`, or a `{…}`/`'…'` expression. */
export interface Token {
  text: string;
  kind: 'word' | 'punct' | 'expr';
  line: number;
  col: number;
}

export interface Card {
  tokens: Token[];
  /** Line of the first token. */
  line: number;
}

/** A located problem in the netlist text. */
export interface Problem {
  line: number;
  col: number;
  message: string;
}

const PUNCT = new Set(['(', ')', '=', ',']);
const SPACE = /\s/;
/** What ends a word: a space or any character with a branch of its own in tokenize. */
const WORD_END = /[\s;(),={}']/;

export function lex(text: string): { cards: Card[]; problems: Problem[] } {
  const cards: Card[] = [];
  const problems: Problem[] = [];
  const lines = text.split(/\r?\n|\r/);
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const raw = lines[i];
    const first = raw.search(/\S/);
    if (first < 0) continue;
    const c = raw[first];
    if (c === '*' || c === '#') continue; // a comment line
    const tokens = tokenize(raw, lineNo, c === '+' ? first + 1 : first, problems);
    if (c === '+') {
      const prev = cards[cards.length - 1];
      if (!prev) problems.push({ line: lineNo, col: first + 1, message: 'continuation line ("+") with no line before it' });
      else prev.tokens.push(...tokens);
      continue;
    }
    if (tokens.length) cards.push({ tokens, line: lineNo });
  }
  return { cards, problems };
}

/**
 * Every character is one of: `;` (ends the line), a space (any Unicode space, so a no-break
 * space pasted from a document separates like a space), punctuation, an expression opener,
 * a stray `}`, or the start of a word. Each branch consumes at least one character, so the
 * scan always moves on.
 */
function tokenize(raw: string, line: number, start: number, problems: Problem[]): Token[] {
  const out: Token[] = [];
  let i = start;
  while (i < raw.length) {
    const c = raw[i];
    if (c === ';') break; // inline comment
    if (SPACE.test(c)) {
      i++;
      continue;
    }
    if (PUNCT.has(c)) {
      out.push({ text: c, kind: 'punct', line, col: i + 1 });
      i++;
      continue;
    }
    if (c === '{' || c === "'") {
      const close = c === '{' ? '}' : "'";
      const end = raw.indexOf(close, i + 1);
      if (end < 0) {
        problems.push({ line, col: i + 1, message: `unterminated expression: "${c}" has no closing "${close}" on this line` });
        break;
      }
      out.push({ text: raw.slice(i + 1, end), kind: 'expr', line, col: i + 2 });
      i = end + 1;
      continue;
    }
    if (c === '}') {
      problems.push({ line, col: i + 1, message: '"}" without an opening "{"' });
      i++;
      continue;
    }
    let j = i + 1; // raw[i] starts a word: none of the branches above took it
    while (j < raw.length && !WORD_END.test(raw[j])) j++;
    out.push({ text: raw.slice(i, j), kind: 'word', line, col: i + 1 });
    i = j;
  }
  return out;
}

/** `file:line:col: message`, the form editors make clickable. */
export function formatProblem(source: string, p: Problem): string {
  return `${source}:${p.line}:${p.col}: ${p.message}`;
}
