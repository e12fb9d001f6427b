"""Shared by the golden scripts: run Brian2 quietly and write small JSON next to this file."""
import json
import os
import sys
import warnings

warnings.filterwarnings('ignore')
import brian2  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def write(name, data):
    data = {'brian2': brian2.__version__, 'target': brian2.prefs.codegen.target, **data}
    path = os.path.join(HERE, name)
    with open(path, 'w') as f:
        json.dump(data, f, separators=(',', ':'))
        f.write('\n')
    print(f'wrote {path} ({os.path.getsize(path)} bytes)', file=sys.stderr)


def steps(t, dt):
    """Brian2 stamps a spike at the start of the step whose update crossed threshold."""
    return [int(round(x)) for x in (t / dt)]
