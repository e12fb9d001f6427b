/** A data slice for the attribution engine from an image set: the items `ids`, in that order. */
import { byteBatches, batches, type ImageSet } from '../../data';
import type { InputType } from '../step';
import type { AttributionData } from './engine';

/** The images `ids` of `set`, fed as bytes (the model scales them) or as floats in [0, 1]. */
export function imageSlice(set: ImageSet, ids: Int32Array, inputType: InputType = 'uint8'): AttributionData {
  return {
    count: ids.length,
    ids,
    batches: (size) => (inputType === 'uint8' ? byteBatches(set, ids, size) : batches(set, ids, size)),
  };
}
