/**
 * What the columns of a waveform CSV hold, read from their names: the time column (`time` in
 * seconds as JoSIM writes it, `t_ms`, `time_ps`, …) and each value column's unit (JoSIM's
 * `V(node)`, `I(element)`, `P(junction)`; a spiking state file `<population>.<variable>.csv`).
 * Values are kept in SI units (seconds, volts, amperes) so traces of one run share an axis.
 */

/** Seconds per unit of the time units Neurite writes. */
export const timeUnits: Record<string, number> = { s: 1, ms: 1e-3, us: 1e-6, 'µs': 1e-6, ns: 1e-9, ps: 1e-12, fs: 1e-15 };

/** The scale to seconds of a time column (`time`, `t`, `t_ms`, `time_ps`), or undefined when it is not one. */
export function timeColumnScale(name: string): number | undefined {
  const n = name.trim().toLowerCase();
  if (n === 'time' || n === 't') return 1;
  const m = /^(?:t|time)[_ ]?\(?([a-zµ]+)\)?$/.exec(n);
  return m && timeUnits[m[1]] !== undefined ? timeUnits[m[1]] : undefined;
}

export interface ColumnMeaning {
  /** SI unit of the stored values ('' when unknown). */
  unit: string;
  /** Multiply the file's numbers by this to get `unit`. */
  scale: number;
  /** What traces that may share a lane have in common: voltage, current, phase, or the variable's name. */
  quantity: string;
}

/** Spiking state variables whose values are in mV (membrane potential, adaptive threshold). */
const millivoltVariables = new Set(['v', 'theta', 'vthresh']);

/** The meaning of a value column of `file` (its base name, e.g. `P.v.csv`). */
export function columnMeaning(column: string, file: string): ColumnMeaning {
  const josim = /^([VIP])\(/.exec(column.trim());
  if (josim) return { V: { unit: 'V', scale: 1, quantity: 'voltage' }, I: { unit: 'A', scale: 1, quantity: 'current' }, P: { unit: 'rad', scale: 1, quantity: 'phase' } }[josim[1] as 'V' | 'I' | 'P'];
  const variable = /\.([A-Za-z]\w*)\.csv$/.exec(file)?.[1];
  if (variable && millivoltVariables.has(variable.toLowerCase())) return { unit: 'V', scale: 1e-3, quantity: variable === 'v' ? 'voltage' : variable };
  return { unit: '', scale: 1, quantity: variable ?? column };
}

/** A spike list CSV: a time column and a neuron column (`t_ms,neuron`). */
export function isSpikeHeader(columns: string[]): boolean {
  return columns.length === 2 && timeColumnScale(columns[0]) !== undefined && /^(neuron|id|index|cell)$/i.test(columns[1].trim());
}
