/**
 * Declarations of what the shared dense training loop (kernel/dense/train.ts) streams and
 * summarises, for every kind that trains with it: running means per logged step (series
 * `train`), one record per epoch (series `epoch`), and its counts. Each kind adds its own
 * metrics around these (kernel/protocol/metrics.ts).
 */
import type { MetricDecl, SeriesDecl } from '../protocol/metrics';

export const trainingSeries: Record<string, SeriesDecl> = { train: { label: 'per step', x: 'training step' }, epoch: { label: 'per epoch', x: 'epoch' } };

export const trainingAccuracy: MetricDecl[] = [
  { name: 'train_accuracy', label: 'training accuracy', group: 'Accuracy', percent: true, better: 'higher' },
  { name: 'val_accuracy', label: 'validation accuracy', group: 'Accuracy', percent: true, better: 'higher' },
  { name: 'accuracy', label: 'training accuracy (running mean)', group: 'Accuracy', percent: true, better: 'higher' },
];

export const trainingLoss: MetricDecl[] = [
  { name: 'train_loss', label: 'training loss', group: 'Loss', better: 'lower' },
  { name: 'val_loss', label: 'validation loss', group: 'Loss', better: 'lower' },
  { name: 'loss', label: 'training loss (running mean)', group: 'Loss', better: 'lower' },
];

export const trainingRest: MetricDecl[] = [
  { name: 'lr', label: 'learning rate', group: 'Learning rate' },
  { name: 'seconds', label: 'epoch time', unit: 's', group: 'Epoch time', better: 'lower' },
  { name: 'steps_per_s', label: 'training speed', unit: 'steps/s', group: 'Speed', better: 'higher' },
  { name: 'epochs', label: 'epochs trained', group: 'Training' },
  { name: 'best_epoch', label: 'best epoch', group: 'Training' },
  { name: 'steps', label: 'training steps', group: 'Training' },
];
