/**
 * The parsed netlist before subcircuits are expanded: definitions keep their value tokens
 * unevaluated, because a value may name a `.param` that differs per subcircuit instance.
 * All names are upper-case (netlists are case-insensitive, as in JoSIM).
 */
import type { Token } from './lexer';

export interface Loc {
  line: number;
  col: number;
}

/** `pwl(…)`, `pulse(…)`, `sin(…)`, `exp(…)`, `noise(…)`, `dc v` or a bare value. */
export interface SourceDef {
  type: 'pwl' | 'pulse' | 'sin' | 'exp' | 'noise' | 'dc';
  args: Token[];
  at: Loc;
}

export type ElementDef =
  | { type: 'R' | 'L' | 'C'; name: string; at: Loc; nodes: [Token, Token]; value: Token; opts: Map<string, Token> }
  | { type: 'B'; name: string; at: Loc; nodes: [Token, Token]; model: Token; opts: Map<string, Token> }
  | { type: 'K'; name: string; at: Loc; inductors: [Token, Token]; value: Token }
  | { type: 'I' | 'V'; name: string; at: Loc; nodes: [Token, Token]; source: SourceDef }
  | { type: 'X'; name: string; at: Loc; words: Token[]; overrides: Map<string, Token> };

export interface ModelDef {
  name: string;
  at: Loc;
  params: Map<string, Token>;
  /** Where each parameter's key is, to point at unknown ones. */
  keys: Map<string, Token>;
}

export interface ParamDef {
  name: string;
  at: Loc;
  value: Token[];
}

/** The main circuit or one `.subckt`: its own elements, parameters and models. */
export interface Scope {
  name: string;
  at: Loc;
  ports: Token[];
  elements: ElementDef[];
  /** The same elements by name (a netlist of 100,000 cards is checked for duplicates in linear time). */
  byName: Map<string, ElementDef>;
  params: Map<string, ParamDef>;
  models: Map<string, ModelDef>;
}

export interface TranDef {
  at: Loc;
  tstep: Token;
  tstop: Token;
  pstart?: Token;
  pstep?: Token;
}

/** One `.print` request: a device quantity, or a node quantity (optionally a difference). */
export interface PrintDef {
  at: Loc;
  what: 'V' | 'I' | 'P';
  target: 'device' | 'node' | 'either';
  names: Token[];
}

export interface NetlistDef {
  main: Scope;
  subckts: Map<string, Scope>;
  tran?: TranDef;
  prints: PrintDef[];
  temp?: Token;
  neb?: Token;
  warnings: string[];
}

export const GROUND = new Set(['0', 'GND']);
