/** The neuron models a spec may name, listed explicitly (nothing registers itself). */
import { izhikevich } from './izhikevich';
import { lifCond } from './lif-cond';
import { lifDelta } from './lif-delta';
import { lifExp } from './lif-exp';
import type { NeuronModel } from './types';

export const neuronModels: Record<string, NeuronModel> = {
  [lifDelta.name]: lifDelta,
  [lifExp.name]: lifExp,
  [lifCond.name]: lifCond,
  [izhikevich.name]: izhikevich,
};
