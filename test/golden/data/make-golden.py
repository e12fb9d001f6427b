#!/usr/bin/python3
"""Reference values for the data layer's tests, computed independently of Neurite:
Python's gzip + numpy read Debian's Fashion-MNIST files, and scipy.ndimage rotates images.

Run: /usr/bin/python3 test/golden/data/make-golden.py  (writes fashion-mnist.json next to it)
"""
import gzip, json, os, sys
import numpy as np
import scipy
from scipy import ndimage

SRC = '/usr/share/datasets/fashion-mnist'
ANGLES = [45.0, -30.0, 12.5, 135.0]
N_ROT = 3  # first test images rotated


def read(name, offset):
    with gzip.open(os.path.join(SRC, name + '.gz'), 'rb') as f:
        return np.frombuffer(f.read(), dtype=np.uint8, offset=offset)


out = {'tool': f'numpy {np.__version__}, scipy {scipy.__version__}', 'source': SRC, 'sets': {}}
for part, prefix in [('train', 'train'), ('test', 't10k')]:
    labels = read(f'{prefix}-labels-idx1-ubyte', 8)
    images = read(f'{prefix}-images-idx3-ubyte', 16).reshape(len(labels), 28, 28)
    out['sets'][part] = {
        'count': int(len(labels)),
        'firstLabels': labels[:20].tolist(),
        'histogram': np.bincount(labels, minlength=10).tolist(),
        'pixelSum': int(images.sum(dtype=np.int64)),
        'firstImageSum': int(images[0].sum(dtype=np.int64)),
        'lastImageSum': int(images[-1].sum(dtype=np.int64)),
    }
    if part == 'test':
        rot = []
        for angle in ANGLES:
            for i in range(N_ROT):
                r = ndimage.rotate(images[i].astype(np.float64), angle, reshape=False, order=1, mode='grid-constant', cval=0.0)
                rot.append({'image': i, 'degrees': angle, 'pixels': [round(float(v), 4) for v in r.ravel()]})
        out['rotations'] = {'call': "ndimage.rotate(img.astype(float64), degrees, reshape=False, order=1, mode='grid-constant')", 'cases': rot}

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'fashion-mnist.json'), 'w') as f:
    json.dump(out, f, separators=(',', ':'))
print('wrote fashion-mnist.json')
