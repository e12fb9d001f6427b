"""Shared by the golden scripts: run Brian2 quietly and write small JSON next to this file; and,
for the benchmark (bench/spiking.ts), Brian2's C++ standalone mode with its timings."""
import json
import os
import resource
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


def steps(t, dt):
    """Brian2 stamps a spike at the start of the step whose update crossed threshold."""
    return [int(round(x)) for x in (t / dt)]


def peak_rss_mb():
    """This process's peak resident set size (Linux reports ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# C++ put around Network::run in main.cpp: wall and CPU seconds of the simulation loop (the span
# Brian2's own _last_run_time covers), and the binary's peak RSS at the end.
_TIMER_START = '''struct timespec _nt_w0, _nt_c0;
clock_gettime(CLOCK_MONOTONIC, &_nt_w0);
clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &_nt_c0);'''
_TIMER_END = '''{
    struct timespec w1, c1;
    clock_gettime(CLOCK_MONOTONIC, &w1);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
    std::ofstream f("results/sim_seconds.txt");
    f.precision(9);
    f << (w1.tv_sec - _nt_w0.tv_sec) + 1e-9 * (w1.tv_nsec - _nt_w0.tv_nsec) << " "
      << (c1.tv_sec - _nt_c0.tv_sec) + 1e-9 * (c1.tv_nsec - _nt_c0.tv_nsec) << "\\n";
}'''
_PEAK_RSS = '''{
    std::ifstream s("/proc/self/status");
    std::ofstream f("results/peak_rss_kb.txt");
    std::string line;
    while (std::getline(s, line)) if (line.rfind("VmHWM:", 0) == 0) f << line.substr(6) << "\\n";
}'''
# The seed comes from the command line (`main SEED`), as Brian2's seed() would set it, so that one
# compiled binary serves every round (seed() writes the value into main.cpp, which recompiles).
_SEED_FROM_ARGV = '''if (argc > 1)
    for (size_t _i = 0; _i < brian::_mersenne_twister_states.size(); _i++)
        rk_seed(atol(argv[1]) + _i, brian::_mersenne_twister_states[_i]);'''


def use_standalone(threads):
    """Switch to C++ standalone (before any object is made), Brian2's default g++ flags
    (-O3 -ffast-math -march=native), `threads` OpenMP threads (0: built without OpenMP)."""
    brian2.set_device('cpp_standalone', build_on_run=False)
    brian2.prefs.devices.cpp_standalone.openmp_threads = threads
    brian2.device.insert_code('main', _SEED_FROM_ARGV)
    brian2.device.insert_code('before_network_run', _TIMER_START)
    brian2.device.insert_code('after_network_run', _TIMER_END)
    brian2.device.insert_code('before_end', _PEAK_RSS)


def run_standalone(directory, seed, run=True):
    """Generate, compile (make, incremental in a kept directory) and run the project (with
    run=False only generate and compile: returns the compile and setup seconds).
    Returns the simulation loop's wall and CPU seconds, Brian2's own _last_run_time (wall with
    OpenMP, CPU without), the compilation (make) apart, everything else (code generation, make,
    the binary's set-up and writing results) as setup, and the binary's peak RSS."""
    t0 = time.perf_counter()
    brian2.device.build(directory=directory, compile=True, run=run, with_output=False, run_args=[str(seed)])
    total = time.perf_counter() - t0
    if not run:
        return {'compileSeconds': brian2.device.timers['compile']['make'], 'setupSeconds': total}
    with open(os.path.join(directory, 'results', 'sim_seconds.txt')) as f:
        wall, cpu = (float(x) for x in f.read().split())
    with open(os.path.join(directory, 'results', 'peak_rss_kb.txt')) as f:
        rss_kb = float(f.read().split()[0])
    timers = brian2.device.timers
    return {'seconds': wall, 'cpuSeconds': cpu, 'brian2RunSeconds': brian2.device._last_run_time,
            'compileSeconds': timers['compile']['make'], 'setupSeconds': total - wall, 'peakRssMB': rss_kb / 1024}
