"""Shared by the golden scripts: run Brian2 quietly and write small JSON next to this file."""
import json
import os
import sys
import time
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


def timed_run(net, duration):
    """Run `net` for `duration`, timing the simulation only: a first `net.run(0 * ms)` does code
    generation and loads the compiled (cached) code. Returns (seconds, cpuSeconds, setupSeconds)."""
    t0 = time.perf_counter()
    net.run(0 * brian2.ms)
    setup = time.perf_counter() - t0
    t0, c0 = time.perf_counter(), time.process_time()
    net.run(duration)
    return time.perf_counter() - t0, time.process_time() - c0, setup


def steps(t, dt):
    """Brian2 stamps a spike at the start of the step whose update crossed threshold."""
    return [int(round(x)) for x in (t / dt)]
