/** The data layer: what dense experiments import. */
export type { ImageSet, LoadedData } from './dataset';
export { dataProblems, dataSpec, knownTrainingImages, splitProblems, type DataSpec } from './spec';
export { loadData, type LoadOptions } from './load';
export { splitSizes, splitTrainValidation } from './split';
export { batches, byteBatches, type Batch } from './batches';
export { rotate, LabelSwapStream } from './transforms';
export { datasets, datasetNames, type DatasetName } from './registry';
