"""driver.py - runs the benchmarks three ways and reports (./scripts/bench).

Every benchmark row (a benchmark at a scale) is measured by three variant
programs: bench-mpr (libmpref), bench.py on /usr/bin/python3 (CPython) and
bench-floor (raw OS).  Each invocation warms up, measures one run and
prints {"seconds": S, "ops": N, "max_rss_kib": K}.  Repetitions interleave the variants and
rotate their order (ABC BCA CAB ...), so drift of the machine falls on all
three alike.  The table gives, per operation, the median and the min-max
over the repetitions, and the ratios of the medians.  bench/README.md
documents the rows and the bench.json schema.
"""

import argparse
import datetime
import fnmatch
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PYTHON = '/usr/bin/python3'

# name, what one operation is, base work (1x) in words
BENCHMARKS = [
    ('process.fork', 'start+join', '1 Process start+join, fork'),
    ('process.spawn', 'start+join', '1 Process start+join, spawn'),
    ('process.forkserver', 'start+join',
     '1 Process start+join, forkserver (server already up)'),
    ('pipe.rtt', 'round trip', "100 round trips of [42, None, 'hello']"),
    ('pipe.stream64', 'message', '1000 messages of 64 B, child to parent'),
    ('pipe.stream64k', 'message', '100 messages of 64 KiB, child to parent'),
    ('queue.ints', 'item', 'Queue: 1000 ints, child puts, parent gets'),
    ('queue.ints.4', 'item', 'Queue: 3 children put 1000 ints each, the parent gets them'),
    ('queue.ints.8', 'item', 'Queue: 7 children put 1000 ints each, the parent gets them'),
    ('simplequeue.ints', 'item',
     'SimpleQueue: 1000 ints, child puts, parent gets'),
    ('lock.uncontended', 'acquire+release', '10^4 Lock acquire+release'),
    ('lock.contended', 'increment',
     '2 processes x 1000 increments of a shared int under one Lock'),
    ('lock.contended.4', 'increment',
     '4 processes x 1000 increments of a shared int under one Lock'),
    ('lock.contended.8', 'increment',
     '8 processes x 1000 increments of a shared int under one Lock'),
    ('barrier.wait', 'wait', '100 Barrier(2).wait() in 2 processes'),
    ('event.pingpong', 'round trip',
     '100 ping-pongs on two Events (set/wait/clear)'),
    ('value.rw', 'v.value += 1', "10^4 v.value += 1 on Value('i')"),
    ('array.rw', 'a[i] += 1', "10^4 a[i % 10] += 1 on Array('i', 10)"),
    ('pool.map', 'item', 'Pool(2).map(x*x, 1000 ints), default chunksize'),
    ('pool.map.4', 'item', 'Pool(4).map(x*x, 1000 ints), default chunksize'),
    ('pool.map.8', 'item', 'Pool(8).map(x*x, 1000 ints), default chunksize'),
    ('pool.map1', 'item', 'Pool(2).map(x*x, 100 ints, chunksize=1)'),
    ('manager.dict', 'round trip',
     "100 Manager dict round trips (50 d['k'] = i, 50 d['k'])"),
]
UNIT = {name: unit for name, unit, _ in BENCHMARKS}
VARIANTS = ['libmpref', 'cpython', 'floor']
TARGET_FLOOR = 1.5  # libmpref within 1.5x of the floor


def clean_env():
    env = {'PATH': '/usr/bin:/bin', 'HOME': os.environ.get('HOME', '/'),
           'LANG': 'C.UTF-8'}
    return env


def build(builddir):
    """Configures builddir (release, -O2) and builds the two C programs.
    Returns the set of programs that built."""
    opts = ['--buildtype=release', '-Doptimization=2', '-Db_coverage=false',
            '-Db_sanitize=none', '-Dbench=true', '-Dcases=true',
            '-Dwerror=false']
    cmd = ['meson', 'setup'] + (
        ['--reconfigure'] if os.path.exists(
            os.path.join(builddir, 'build.ninja')) else []) + [
        builddir, TOP] + opts
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True)
    if r.returncode != 0:
        print(r.stdout[-3000:], file=sys.stderr)
        print('bench: %s failed' % ' '.join(cmd), file=sys.stderr)
        sys.exit(1)
    built = set()
    for prog in ('bench/bench-floor', 'bench/bench-mpr'):
        r = subprocess.run(['ninja', '-C', builddir, prog],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           text=True)
        if r.returncode == 0:
            built.add(prog)
        else:
            print('bench: %s did not build; its cells read n/a\n%s'
                  % (prog, r.stdout[-3000:]), file=sys.stderr)
    return built


def commands(builddir, built):
    cmds = {}
    if 'bench/bench-mpr' in built:
        cmds['libmpref'] = [os.path.join(builddir, 'bench', 'bench-mpr')]
    cmds['cpython'] = [PYTHON, os.path.join(TOP, 'bench', 'bench.py')]
    if 'bench/bench-floor' in built:
        cmds['floor'] = [os.path.join(builddir, 'bench', 'bench-floor')]
    return cmds


def listing(cmd):
    r = subprocess.run(cmd + ['--list'], stdout=subprocess.PIPE, text=True,
                       env=clean_env())
    return set(r.stdout.split()) if r.returncode == 0 else set()


NICE = 0  # --nice: niceness increment of the variant programs


def renice():
    if NICE:
        try:
            os.nice(NICE)
        except OSError:
            pass  # not allowed (not root): run at the default priority


def run_one(cmd, name, scale, timeout):
    """One measurement: returns (seconds, ops) or an error string."""
    p = subprocess.Popen(cmd + [name, str(scale)], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, env=clean_env(),
                         start_new_session=True, preexec_fn=renice)
    try:
        out, err = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        p.communicate()
        return 'timeout after %gs' % timeout
    finally:
        # Nothing of a variant outlives its measurement.
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    if p.returncode != 0:
        return 'exit %d: %s' % (p.returncode, err.strip()[-300:])
    try:
        line = json.loads(out.strip().splitlines()[-1])
        return (float(line['seconds']), int(line['ops']),
                line.get('max_rss_kib'))
    except (ValueError, KeyError, IndexError):
        return 'bad output: %r' % out[-200:]


# ---- instruction counts (--icount) ----------------------------------------
#
# Wall times move by 2x between runs on a shared machine; the number of
# instructions a benchmark executes barely moves.  Each variant runs once at
# each of two scales (--icount-scales, default 1,10) under a counting tool,
# every process of the run counted (children, workers, servers, spawned
# programs), and the instructions per operation are the difference of the two
# totals divided by the difference of the operation counts: start-up, the
# warm-up and set-up cost the same at both scales and drop out.

def perf_works():
    """Whether `perf stat -e instructions:u` counts on this machine (inside
    many VMs the counter reads <not supported>)."""
    if shutil.which('perf') is None:
        return False
    r = subprocess.run(['perf', 'stat', '-x,', '-e', 'instructions:u', '--',
                        'true'], stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        return False
    for line in r.stderr.splitlines():
        f = line.split(',')
        if len(f) > 2 and f[2].startswith('instructions'):
            return f[0].strip().isdigit()
    return False


def icount_tool():
    """perf where the hardware counter works, else callgrind, else None."""
    if perf_works():
        return 'perf'
    if shutil.which('valgrind'):
        return 'callgrind'
    return None


def drain_group(pgid, wait):
    """Lets the rest of a run's process group end by itself (a counted
    process killed by SIGKILL loses its count), then TERM (valgrind still
    writes the count of a process a signal ends), then KILL."""
    for sig, secs in ((None, wait), (signal.SIGTERM, 10), (signal.SIGKILL, 0)):
        if sig is not None:
            try:
                os.killpg(pgid, sig)
            except ProcessLookupError:
                return
        deadline = time.monotonic() + secs
        while True:
            try:
                os.killpg(pgid, 0)
            except ProcessLookupError:
                return
            if time.monotonic() >= deadline:
                break
            time.sleep(0.05)


def icount_one(tool, cmd, name, scale, timeout):
    """One counted run: returns (instructions, ops, processes) or an error
    string.  Instructions are user-space instructions of every process of
    the run (the kernel's work in system calls is not counted)."""
    tmp = tempfile.mkdtemp(prefix='mpbench-icount-')
    try:
        if tool == 'perf':
            # perf stat counts the children it inherits into (forks and
            # execs) that end before the measured program does.
            full = ['perf', 'stat', '-x,', '-e', 'instructions:u', '-o',
                    os.path.join(tmp, 'perf.txt'), '--']
        else:
            full = ['valgrind', '--tool=callgrind', '--trace-children=yes',
                    # A forked child starts with its parent's counts: the
                    # parent dumps (and zeroes) its counts just before each
                    # fork, and the sum over all the dumps counts every
                    # instruction once.
                    '--dump-before=_Fork',
                    '--callgrind-out-file=' + os.path.join(tmp, 'cg.%p'),
                    '--log-file=' + os.path.join(tmp, 'vg.%p.log')]
        p = subprocess.Popen(full + cmd + [name, str(scale)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, env=clean_env(),
                             start_new_session=True, preexec_fn=renice)
        try:
            out, err = p.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.communicate()
            return 'timeout after %gs' % timeout
        finally:
            drain_group(p.pid, 20)
        if p.returncode != 0:
            return 'exit %d: %s' % (p.returncode, err.strip()[-300:])
        try:
            ops = int(json.loads(out.strip().splitlines()[-1])['ops'])
        except (ValueError, KeyError, IndexError):
            return 'bad output: %r' % out[-200:]
        total, procs = 0, set()
        if tool == 'perf':
            with open(os.path.join(tmp, 'perf.txt')) as f:
                for line in f:
                    fl = line.split(',')
                    if len(fl) > 2 and fl[2].startswith('instructions'):
                        if not fl[0].strip().isdigit():
                            return 'perf: %s' % line.strip()
                        total += int(fl[0])
                        procs.add('perf')
        else:
            # cg.PID (at exit) and cg.PID.N (the dumps before each fork)
            for fn in os.listdir(tmp):
                if not fn.startswith('cg.'):
                    continue
                with open(os.path.join(tmp, fn)) as f:
                    for line in f:
                        if line.startswith('totals:'):
                            total += int(line.split()[1])
                            procs.add(fn.split('.')[1])
                            break
        if not procs:
            return '%s wrote no count' % tool
        return total, ops, len(procs)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def icount_benchmark(tool, name, scales, cmds, avail, timeout):
    """Instructions per operation of each variant for one benchmark: the
    result stored in every row of that benchmark (bench/README.md)."""
    out = {'tool': tool, 'scales': list(scales), 'variants': {}}
    for v in VARIANTS:
        if v not in cmds or name not in avail[v]:
            out['variants'][v] = {'status': 'n/a'}
            continue
        if v == 'cpython' and tool != 'perf':
            # Under valgrind the interpreter runs 50-100x slower, and its
            # timeouts and start-up would dominate; counted with perf only.
            out['variants'][v] = {
                'status': 'n/a',
                'note': 'CPython is counted with perf only, not callgrind'}
            continue
        runs = []
        for s in scales:
            r = icount_one(tool, cmds[v], name, s, timeout)
            if isinstance(r, str):
                print('bench: icount %s x%d %s: %s' % (name, s, v, r),
                      file=sys.stderr)
                out['variants'][v] = {'status': 'error', 'error': r}
                break
            runs.append(r)
        else:
            (ia, oa, pa), (ib, ob, pb) = runs[0], runs[-1]
            cell = {'totals': [ia, ib], 'ops': [oa, ob],
                    'processes': [pa, pb]}
            if ob == oa:
                cell.update(status='error', error='the same operation count '
                            'at both scales')
            else:
                cell.update(status='ok', per_op=(ib - ia) / (ob - oa))
            out['variants'][v] = cell

    def per_op(v):
        c = out['variants'][v]
        return c['per_op'] if c['status'] == 'ok' else None

    out['ratios'] = {
        'libmpref/floor': ratio(per_op('libmpref'), per_op('floor')),
        'cpython/libmpref': ratio(per_op('cpython'), per_op('libmpref')),
    }
    return out


def stats(per_op):
    return {'median': statistics.median(per_op), 'min': min(per_op),
            'max': max(per_op)}


def fmt_time(s):
    if s is None:
        return 'n/a'
    for unit, f in (('s', 1), ('ms', 1e-3), ('us', 1e-6)):
        if s >= f:
            return '%.3g %s' % (s / f, unit)
    return '%.3g ns' % (s / 1e-9)


def fmt_cell(cell):
    if cell['status'] != 'ok':
        return cell['status']
    st = cell['per_op']
    text = '%s [%s-%s]' % (fmt_time(st['median']), fmt_time(st['min']),
                           fmt_time(st['max']))
    if cell.get('errors'):
        text += ' (%d failed)' % len(cell['errors'])
    return text


def fmt_ratio(r):
    if r is None:
        return 'n/a'
    return '%.3gx' % r


def fmt_icount(n):
    if n is None:
        return 'n/a'
    for unit, f in (('G', 1e9), ('M', 1e6), ('k', 1e3)):
        if abs(n) >= f:
            return '%.3g%s' % (n / f, unit)
    return '%.3g' % n


def ratio(a, b):
    if a is None or b is None or b <= 0:
        return None
    return a / b


def median_of(row, v):
    c = row['variants'][v]
    return c['per_op']['median'] if c['status'] == 'ok' else None


def measure_row(name, scale, reps, cmds, avail, timeout, row_index):
    variants = {}
    samples = {v: [] for v in VARIANTS}
    rss = {v: [] for v in VARIANTS}
    errors = {v: [] for v in VARIANTS}
    ops = None
    for rep in range(reps):
        k = (rep + row_index) % len(VARIANTS)
        for v in VARIANTS[k:] + VARIANTS[:k]:
            # A variant that failed twice is not run again for this row.
            if v not in cmds or name not in avail[v] or len(errors[v]) >= 2:
                continue
            r = run_one(cmds[v], name, scale, timeout)
            if isinstance(r, str):
                errors[v].append(r)
                print('bench: %s x%d %s: %s' % (name, scale, v, r),
                      file=sys.stderr)
                continue
            samples[v].append(r[0])
            ops = r[1]
            if r[2] is not None:
                rss[v].append(int(r[2]))
    for v in VARIANTS:
        if samples[v]:
            # An intermittent failure keeps the figures of the runs that
            # worked, and is shown beside them.
            variants[v] = {'status': 'ok', 'seconds': samples[v],
                           'per_op': stats([s / ops for s in samples[v]])}
            if rss[v]:
                variants[v]['max_rss_kib'] = max(rss[v])
            if errors[v]:
                variants[v]['errors'] = errors[v]
        elif errors[v]:
            variants[v] = {'status': 'error', 'error': errors[v][0],
                           'errors': errors[v]}
        else:
            variants[v] = {'status': 'n/a'}
    row = {'benchmark': name, 'scale': scale, 'ops': ops,
           'unit': UNIT.get(name, 'run'), 'reps': reps,
           'variants': variants}
    fill_ratios(row)
    return row


def fill_ratios(row):
    m = {v: median_of(row, v) for v in VARIANTS}
    row['ratios'] = {
        'cpython/libmpref': ratio(m['cpython'], m['libmpref']),
        'libmpref/floor': ratio(m['libmpref'], m['floor']),
        'cpython/floor': ratio(m['cpython'], m['floor']),
    }
    # The same ratios of the fastest repetitions: on a busy machine the
    # least disturbed run of each variant, a second opinion on the medians.
    b = {v: (row['variants'][v]['per_op']['min']
             if row['variants'][v]['status'] == 'ok' else None)
         for v in VARIANTS}
    row['ratios_of_min'] = {
        'cpython/libmpref': ratio(b['cpython'], b['libmpref']),
        'libmpref/floor': ratio(b['libmpref'], b['floor']),
        'cpython/floor': ratio(b['cpython'], b['floor']),
    }
    lf = row['ratios']['libmpref/floor']
    row['target_met'] = None if lf is None else lf <= TARGET_FLOOR


def measure_conformance(builddir, reps, timeout, no_build):
    """The conformance suite's own wall time: all cases, default method,
    once with --impl ref and once with --impl cpython, on the runner and
    the case translations of the release build."""
    runner = os.path.join(builddir, 'conformance', 'mpconform')
    row = {'benchmark': 'conformance.suite', 'scale': 1, 'ops': 1,
           'unit': 'suite run', 'reps': reps, 'variants': {}}
    built = no_build or subprocess.run(
        ['ninja', '-C', builddir], stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True).returncode == 0
    if not built or not os.access(runner, os.X_OK) or not os.path.isdir(
            os.path.join(builddir, 'cases')):
        for v in VARIANTS:
            row['variants'][v] = {'status': 'n/a'}
        row['note'] = ('the runner or the case translations did not build'
                       if not built else 'no runner or no case translations')
        print('bench: conformance.suite: %s' % row['note'], file=sys.stderr)
        fill_ratios(row)
        return row
    samples = {'libmpref': [], 'cpython': []}
    errors = {}
    for rep in range(reps):
        for v, impl in (('libmpref', 'ref'), ('cpython', 'cpython'))[::(
                1 if rep % 2 == 0 else -1)]:
            if v in errors:
                continue
            t0 = time.perf_counter()
            p = subprocess.Popen([runner, 'run', '--impl', impl,
                                  '--no-report', '--source', TOP,
                                  '--build', builddir],
                                 stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL, cwd=TOP,
                                 env=clean_env(), start_new_session=True)
            try:
                rc = p.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                rc = None
            t = time.perf_counter() - t0
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            p.wait()
            # Failing cases still time the suite; a crash of the runner
            # (signal, usage error) or a hang does not.
            if rc is None:
                errors[v] = 'mpconform did not end within %gs' % timeout
            elif rc < 0 or rc >= 2:
                errors[v] = 'mpconform exit %d' % rc
            else:
                samples[v].append(t)
    for v in ('libmpref', 'cpython'):
        if v in errors:
            row['variants'][v] = {'status': 'error', 'error': errors[v]}
        elif samples[v]:
            row['variants'][v] = {'status': 'ok', 'seconds': samples[v],
                                  'per_op': stats(samples[v])}
        else:
            row['variants'][v] = {'status': 'n/a'}
    row['variants']['floor'] = {'status': 'n/a'}
    fill_ratios(row)
    row['target_met'] = None
    return row


HEADER = ('benchmark', 'libmpref', 'CPython', 'floor', 'CPython/libmpref',
          'libmpref/floor', 'CPython/floor', 'target',
          'max RSS MiB libmpref/CPython/floor')
# With --icount: instructions per operation (and CPython's, counted with
# perf only) and the ratio of libmpref's to the floor's.
ICOUNT_HEADER = ('libmpref instr/op', 'CPython instr/op', 'floor instr/op',
                 'instr libmpref/floor')


def icount_cells(row):
    ic = row.get('instructions')
    if ic is None:
        return ('n/a',) * len(ICOUNT_HEADER)

    def cell(v):
        c = ic['variants'][v]
        return fmt_icount(c['per_op']) if c['status'] == 'ok' else c['status']

    return (cell('libmpref'), cell('cpython'), cell('floor'),
            fmt_ratio(ic['ratios']['libmpref/floor']))


def rss_cell(row):
    """The peak resident set of each variant (its largest process), MiB."""
    def one(v):
        k = row['variants'].get(v, {}).get('max_rss_kib')
        return '-' if k is None else '%.1f' % (k / 1024.0)

    return '/'.join(one(v) for v in VARIANTS)


def header(rows):
    if any('instructions' in r for r in rows):
        return HEADER + ICOUNT_HEADER
    return HEADER


def table_line(row, with_icount=False):
    label = row['benchmark']
    if row['benchmark'] != 'conformance.suite':
        label += ' x%d' % row['scale']
    r = row['ratios']
    tm = row.get('target_met')
    target = '-' if tm is None else ('met' if tm else 'MISSED')
    line = (label, fmt_cell(row['variants']['libmpref']),
            fmt_cell(row['variants']['cpython']),
            fmt_cell(row['variants']['floor']),
            fmt_ratio(r['cpython/libmpref']), fmt_ratio(r['libmpref/floor']),
            fmt_ratio(r['cpython/floor']), target, rss_cell(row))
    return line + icount_cells(row) if with_icount else line


def print_table(rows, out=sys.stdout):
    hdr = header(rows)
    wi = len(hdr) > len(HEADER)
    lines = [hdr] + [table_line(r, wi) for r in rows]
    widths = [max(len(l[i]) for l in lines) for i in range(len(hdr))]
    fmt = ' | '.join('%%-%ds' % w for w in widths)
    print(fmt % hdr, file=out)
    print('-+-'.join('-' * w for w in widths), file=out)
    for l in lines[1:]:
        print(fmt % l, file=out)


def write_markdown(rows, path, doc):
    """The table as Markdown (bench.md), for READMEs and CI pages."""
    with open(path, 'w') as f:
        f.write('Run of %s, %s mode, %d repetitions, %d CPUs, CPython %s, '
                'commit %s. Time per operation: median [min-max].\n\n'
                % (doc['date'], doc['mode'], doc['reps'], doc['host']['cpus'],
                   doc['host']['cpython'], (doc['git_commit'] or '?')[:10] +
                   (' (with uncommitted changes)' if doc['git_dirty'] else
                    '')))
        hdr = header(rows)
        wi = len(hdr) > len(HEADER)
        f.write('| ' + ' | '.join(hdr) + ' |\n')
        f.write('|' + ' --- |' * len(hdr) + '\n')
        for r in rows:
            f.write('| ' + ' | '.join(c.replace('|', '\\|')
                                      for c in table_line(r, wi)) + ' |\n')


def plot(rows, path, datafile):
    """A bar chart of the three ratios per row, log scale (gnuplot)."""
    gnuplot = shutil.which('gnuplot')
    if gnuplot is None:
        print('bench: gnuplot not found; no plot', file=sys.stderr)
        return None
    with open(datafile, 'w') as f:
        f.write('# row cpython/libmpref libmpref/floor cpython/floor\n')
        for r in rows:
            label = r['benchmark'] + ('' if r['benchmark'] ==
                                      'conformance.suite' else
                                      ' x%d' % r['scale'])
            vals = [r['ratios'][k] for k in
                    ('cpython/libmpref', 'libmpref/floor', 'cpython/floor')]
            f.write('"%s" %s\n' % (label, ' '.join(
                '?' if v is None else '%.6g' % v for v in vals)))
    width = max(900, 40 * len(rows) + 200)
    script = '''
set terminal %s size %d,640 font "sans,11" background "white"
set output "%s"
set title "mpconform benchmarks: ratios of median times per operation (log scale)"
set datafile missing "?"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set logscale y
set yrange [0.1:*]
set ylabel "ratio"
set grid ytics
set xtics rotate by -60 nomirror font ",9"
set key top left
set arrow from graph 0, first 1.5 to graph 1, first 1.5 nohead dt 2 lc rgb "red"
set label "target: libmpref/floor <= 1.5" at graph 0.80, first 1.8 tc rgb "red" font ",9"
plot "%s" using 2:xtic(1) title "CPython / libmpref" lc rgb "#4e79a7", \\
     "" using 3 title "libmpref / floor" lc rgb "#e15759", \\
     "" using 4 title "CPython / floor" lc rgb "#bab0ac"
''' % ('pngcairo' if path.endswith('.png') else 'svg dynamic', width, path,
       datafile)
    r = subprocess.run([gnuplot], input=script, text=True,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if r.returncode != 0:
        print('bench: gnuplot failed: %s' % r.stderr[-500:], file=sys.stderr)
        return None
    return path


def git_commit():
    r = subprocess.run(['git', '-C', TOP, 'rev-parse', 'HEAD'],
                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                       text=True)
    return r.stdout.strip() or None


def git_dirty():
    """Whether the measured sources differ from the commit (changed or
    new files under ref/ or bench/); None outside a git checkout."""
    r = subprocess.run(['git', '-C', TOP, 'status', '--porcelain', '--',
                        'ref', 'bench'], stdout=subprocess.PIPE,
                       stderr=subprocess.DEVNULL, text=True)
    return None if r.returncode != 0 else bool(r.stdout.strip())


def main():
    ap = argparse.ArgumentParser(
        prog='scripts/bench',
        description='libmpref against CPython multiprocessing and the raw-OS '
                    'floor (bench/README.md).  Installs what is missing '
                    '(./scripts/setup, gnuplot-nox; valgrind with --icount), '
                    'configures and builds '
                    'BUILD, runs every row and writes BUILD/bench.json, '
                    'bench.md and the plot.',
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog='exit status:\n'
               '  0  every row measured\n'
               '  1  a variant failed or timed out in some row (see '
               'bench.json), an instruction count failed (--icount), or '
               'the build failed\n'
               '  2  a usage error (unknown option, bad value)\n'
               '\n'
               'environment: none of its own; the variants run with a clean '
               'environment\n'
               '(PATH=/usr/bin:/bin, HOME) so that the caller\'s cannot '
               'skew them.')
    ap.add_argument('--quick', action='store_true',
                    help='about a minute: scales 1,10, 5 repetitions, '
                         'no conformance row')
    ap.add_argument('--filter', default='*',
                    help='comma-separated globs on benchmark names '
                         "(e.g. 'pipe.*,lock.*'); conformance.suite "
                         'names the suite row')
    ap.add_argument('--reps', type=int,
                    help='repetitions per row (default 7, --quick 5)')
    ap.add_argument('--scales',
                    help='comma-separated work multipliers '
                         '(default 1,10,100; --quick 1,10)')
    ap.add_argument('--build', default=os.path.join(TOP, 'build-bench'),
                    help='build folder (default build-bench/)')
    ap.add_argument('--json', help='where to write bench.json '
                                   '(default BUILD/bench.json)')
    ap.add_argument('--plot', help='where to write the plot: SVG, or PNG '
                                   'when the name ends in .png '
                                   '(default BUILD/bench.svg)')
    ap.add_argument('--no-build', action='store_true',
                    help='use the programs already built in BUILD')
    ap.add_argument('--conformance', action=argparse.BooleanOptionalAction,
                    default=None,
                    help='time the conformance suite (default: on in a '
                         'full run, off with --quick)')
    ap.add_argument('--conformance-timeout', type=float, default=300,
                    help='seconds one conformance suite run may take '
                         '(default 300)')
    ap.add_argument('--nice', type=int, default=0,
                    help='run the variant programs at this niceness '
                         'increment (e.g. -10 as root on a busy machine: '
                         'less noise from other work; default 0)')
    ap.add_argument('--timeout', type=float, default=60,
                    help='seconds one measurement may take (default 60)')
    ap.add_argument('--icount', action='store_true',
                    help='also count the instructions per operation of '
                         'libmpref and the floor (and CPython where perf '
                         'counts): perf stat -e instructions:u where the '
                         'machine supports it, else valgrind --tool='
                         'callgrind (installed if missing); a deterministic '
                         'figure beside the times; adds several minutes')
    ap.add_argument('--icount-scales', default='1,10',
                    help='the two scales --icount runs each benchmark at; '
                         'the difference of their totals over the '
                         'difference of their operation counts is the '
                         'figure (default 1,10)')
    ap.add_argument('--icount-timeout', type=float, default=600,
                    help='seconds one counted run may take (default 600)')
    args = ap.parse_args()
    try:
        icount_scales = [int(x) for x in args.icount_scales.split(',')]
    except ValueError:
        icount_scales = []
    if len(icount_scales) != 2 or min(icount_scales) < 1 or \
            icount_scales[0] >= icount_scales[1]:
        ap.error('--icount-scales takes two increasing scales, e.g. 1,10')
    # scripts/bench checks the options this way before it installs anything.
    if os.environ.get('MPBENCH_CHECK_ARGS') == '1':
        return 0

    global NICE
    NICE = args.nice
    reps = args.reps or (5 if args.quick else 7)
    scales = [int(s) for s in (args.scales or
                               ('1,10' if args.quick else '1,10,100'))
              .split(',')]
    globs = args.filter.split(',')
    builddir = os.path.abspath(args.build)
    jsonpath = args.json or os.path.join(builddir, 'bench.json')
    plotpath = args.plot or os.path.join(builddir, 'bench.svg')
    conformance = args.conformance
    if conformance is None:
        conformance = not args.quick
    conformance = conformance and any(
        fnmatch.fnmatchcase('conformance.suite', g) for g in globs)

    t_start = time.perf_counter()
    if args.no_build:
        built = {p for p in ('bench/bench-floor', 'bench/bench-mpr')
                 if os.access(os.path.join(builddir, p), os.X_OK)}
    else:
        built = build(builddir)
    cmds = commands(builddir, built)
    avail = {v: listing(cmds[v]) if v in cmds else set() for v in VARIANTS}
    names = [n for n, _, _ in BENCHMARKS
             if any(fnmatch.fnmatchcase(n, g) for g in globs)]

    print('bench: %d benchmarks x scales %s x %d repetitions; '
          'variants interleaved; time per operation, median [min-max]'
          % (len(names), ','.join(map(str, scales)), reps))
    print('bench: libmpref implements %d of them: %s'
          % (len(avail['libmpref']),
             ', '.join(sorted(avail['libmpref'])) or 'none'))
    tool = None
    icount_failed = False
    if args.icount:
        tool = icount_tool()
        if tool is None:
            print('bench: --icount: neither perf (instructions counter) nor '
                  'valgrind works here; no instruction counts',
                  file=sys.stderr)
            icount_failed = True
        else:
            print('bench: instructions per operation with %s, from scales '
                  '%d and %d' % ('perf stat -e instructions:u' if tool ==
                                 'perf' else 'valgrind --tool=callgrind',
                                 icount_scales[0], icount_scales[1]))
    rows = []
    i = 0
    for name in names:
        mine = []
        for scale in scales:
            row = measure_row(name, scale, reps, cmds, avail, args.timeout, i)
            i += 1
            mine.append(row)
        if tool is not None and mine:
            ic = icount_benchmark(tool, name, icount_scales, cmds, avail,
                                  args.icount_timeout)
            icount_failed |= any(c['status'] == 'error'
                                 for c in ic['variants'].values())
            for row in mine:
                row['instructions'] = ic
        for row in mine:
            rows.append(row)
            print('  ' + ' | '.join(table_line(row, tool is not None)),
                  flush=True)
    if conformance:
        rows.append(measure_conformance(builddir, 1,
                                        args.conformance_timeout,
                                        args.no_build))
        print('  ' + ' | '.join(table_line(rows[-1])), flush=True)

    elapsed = time.perf_counter() - t_start
    print()
    print_table(rows)
    missed = [r for r in rows if r.get('target_met') is False]
    met = [r for r in rows if r.get('target_met')]
    na = [r for r in rows if r['variants']['libmpref']['status'] != 'ok']
    print('\ntarget libmpref/floor <= %.1f: %d met, %d missed, %d n/a'
          % (TARGET_FLOOR, len(met), len(missed), len(na)))

    os.makedirs(os.path.dirname(os.path.abspath(jsonpath)), exist_ok=True)
    os.makedirs(os.path.dirname(os.path.abspath(plotpath)), exist_ok=True)
    plotted = plot(rows, os.path.abspath(plotpath),
                   os.path.splitext(os.path.abspath(plotpath))[0] + '.dat')
    doc = {
        'schema': 'mpconform-bench/1',
        'date': datetime.datetime.now(datetime.timezone.utc)
                .strftime('%Y-%m-%dT%H:%M:%SZ'),
        'mode': 'quick' if args.quick else 'full',
        'git_commit': git_commit(),
        'git_dirty': git_dirty(),
        'host': {'cpus': os.cpu_count(), 'machine': platform.machine(),
                 'kernel': platform.release(),
                 'cpython': subprocess.run(
                     [PYTHON, '-c', 'import sys; print(sys.version.split()[0])'],
                     stdout=subprocess.PIPE, text=True).stdout.strip()},
        'reps': reps,
        'scales': scales,
        'nice': NICE,
        'load_average': list(os.getloadavg()),
        'target_libmpref_over_floor': TARGET_FLOOR,
        'elapsed_seconds': round(elapsed, 3),
        'plot': plotted,
        'icount': None if tool is None else {
            'tool': tool, 'scales': icount_scales},
        'rows': rows,
    }
    with open(jsonpath, 'w') as f:
        json.dump(doc, f, indent=1)
        f.write('\n')
    mdpath = os.path.splitext(jsonpath)[0] + '.md'
    write_markdown(rows, mdpath, doc)
    print('bench: wrote %s, %s%s (%.0f s)' % (
        jsonpath, mdpath, ' and ' + plotted if plotted else '', elapsed))
    errors = [r for r in rows
              if any(c['status'] == 'error' or c.get('errors')
                     for c in r['variants'].values())]
    if errors:
        print('bench: failures in %s (see stderr and bench.json)'
              % ', '.join(r['benchmark'] + ' x%d' % r['scale']
                          for r in errors), file=sys.stderr)
    if icount_failed:
        print('bench: some instruction counts failed (see stderr and '
              'bench.json)', file=sys.stderr)
    return 1 if errors or icount_failed else 0


if __name__ == '__main__':
    sys.exit(main())
