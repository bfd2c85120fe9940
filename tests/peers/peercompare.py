#!/usr/bin/python3
"""peercompare: FleetScope's exposition parser against Debian's python3-prometheus-client.

Runs `fleetscope check-metrics --dump` and prometheus_client's parsers (the 0.0.4 text parser for
.prom, the OpenMetrics parser for .om) on the same files and compares them sample for sample:
name, label set, value (bit for bit; NaN equals NaN) and timestamp. Prints per-file counts, the
first mismatches as a diff, and exits 1 on any mismatch.

    /usr/bin/python3 peercompare.py --fleetscope BUILD/bin/fleetscope --shared ../shared \
        --workdir BUILD/tests/peers/corpus

The synthetic corpus is generated deterministically into --workdir with the shared
gen-corpus.py (about 27 MB per format) and reused while gen-corpus.py is unchanged.

Exit status: 0 all agree, 1 a mismatch or a parser failure, 2 usage, 77 ../shared missing
(skipped), except when the environment has CI=true: then a missing ../shared is a failure (1).
"""
import argparse
import math
import os
import re
import struct
import subprocess
import sys

MAX_DIFFS = 10
SKIP = 77


def parse_dump_line(line):
    """One `name{a="x",b="y"} value[ timestampMs]` line -> (name, labels, value, timestampMs)."""
    i = 0
    n = len(line)
    while i < n and line[i] not in '{ ':
        i += 1
    name = line[:i]
    labels = []
    if i < n and line[i] == '{':
        i += 1
        while line[i] != '}':
            eq = line.index('=', i)
            lname = line[i:eq]
            if line[eq + 1] != '"':
                raise ValueError("label value not quoted")
            j = eq + 2
            value = []
            while line[j] != '"':
                if line[j] == '\\':
                    j += 1
                    value.append({'n': '\n', '\\': '\\', '"': '"'}[line[j]])
                else:
                    value.append(line[j])
                j += 1
            labels.append((lname, ''.join(value)))
            i = j + 1
            if line[i] == ',':
                i += 1
        i += 1
    if line[i] != ' ':
        raise ValueError("no blank before the value")
    fields = line[i + 1:].split(' ')
    if len(fields) not in (1, 2):
        raise ValueError("expected value [timestamp]")
    value = float(fields[0])
    ts = float(fields[1]) if len(fields) == 2 else None
    return name, tuple(sorted(labels)), value, ts


def fleetscope_samples(binary, path, fmt):
    proc = subprocess.run([binary, 'check-metrics', '--format', fmt, '--dump', path],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if proc.returncode != 0:
        raise RuntimeError("fleetscope exit %d: %s" % (
            proc.returncode, proc.stderr.decode('utf-8', 'replace').strip()[:500]))
    # Split on \n only: label values are escaped, but a raw \r or \x85 may appear inside them.
    text = proc.stdout.decode('utf-8')
    return [parse_dump_line(line) for line in text.split('\n') if line]


COUNTER_TYPE_RE = re.compile(r'^[ \t]*#[ \t]+TYPE[ \t]+(\S+)[ \t]+counter[ \t]*$', re.M)


def python_samples(text, fmt):
    """prometheus_client's samples, named as the exposition wrote them."""
    if fmt == 'openmetrics':
        # The OpenMetrics parser keeps full sample names (x_total, x_created, x_bucket).
        from prometheus_client.openmetrics.parser import text_string_to_metric_families
        counter_types = set()
    else:
        # The 0.0.4 parser renames counters the OpenMetrics way: a family `# TYPE x counter`
        # whose samples are called `x` comes back with samples `x_total`. Undo that, so both
        # sides name samples as written; `# TYPE x_total counter` keeps its names.
        from prometheus_client.parser import text_string_to_metric_families
        counter_types = set(COUNTER_TYPE_RE.findall(text))
    out = []
    for family in text_string_to_metric_families(text):
        strip_total = (family.type == 'counter' and family.name + '_total' not in counter_types
                       and family.name in counter_types)
        for s in family.samples:
            name = s.name
            if strip_total and name.endswith('_total'):
                name = name[:-len('_total')]
            ts = s.timestamp
            if ts is not None:
                if hasattr(ts, 'nsec'):
                    ts = ts.sec * 1000 + ts.nsec / 1e6
                elif fmt == 'openmetrics':
                    ts = float(ts) * 1000
                else:
                    ts = float(ts)  # seconds: the 0.0.4 parser divides the ms by 1000
            out.append((name, tuple(sorted(s.labels.items())), float(s.value), ts))
    return out


def same_float(a, b):
    if a is None or b is None:
        return a is b
    if math.isnan(a) and math.isnan(b):
        return True
    return struct.pack('<d', a) == struct.pack('<d', b)


def same_timestamp(fs_ms, py_ts, fmt):
    if fs_ms is None or py_ts is None:
        return fs_ms is None and py_ts is None
    if fmt == 'prometheus':
        return fs_ms / 1000 == py_ts  # the same arithmetic prometheus_client used
    return abs(fs_ms - py_ts) < 1e-3


def show(sample):
    if sample is None:
        return '(none)'
    name, labels, value, ts = sample
    lab = ','.join('%s=%r' % kv for kv in labels)
    return '%s{%s} %r%s' % (name, lab, value, '' if ts is None else ' @%r' % ts)


def compare(label, fs, py, fmt):
    mismatches = 0
    shown = 0
    for i in range(max(len(fs), len(py))):
        a = fs[i] if i < len(fs) else None
        b = py[i] if i < len(py) else None
        equal = (a is not None and b is not None and a[0] == b[0] and a[1] == b[1]
                 and same_float(a[2], b[2]) and same_timestamp(a[3], b[3], fmt))
        if not equal:
            mismatches += 1
            if shown < MAX_DIFFS:
                shown += 1
                print('  sample #%d differs:' % (i + 1))
                print('    - fleetscope: %s' % show(a))
                print('    + python:     %s' % show(b))
    print('%s %s: fleetscope %d samples, python %d samples, %d mismatching' % (
        'ok  ' if mismatches == 0 else 'FAIL', label, len(fs), len(py), mismatches))
    return mismatches


def ensure_corpus(gen, out, openmetrics):
    if os.path.exists(out) and os.path.getmtime(out) >= os.path.getmtime(gen):
        return
    cmd = [sys.executable, gen, '-o', out + '.tmp']
    if openmetrics:
        cmd.insert(2, '--openmetrics')
    subprocess.run(cmd, check=True)
    os.replace(out + '.tmp', out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--fleetscope', required=True, help='the fleetscope executable')
    ap.add_argument('--shared', required=True, help='the shared folder (../shared)')
    ap.add_argument('--workdir', required=True, help='where the synthetic corpus is generated')
    ap.add_argument('files', nargs='*', help='compare only these files (.om = OpenMetrics)')
    a = ap.parse_args()

    peers = os.path.join(a.shared, 'peers')
    gen = os.path.join(peers, 'gen-corpus.py')
    if not os.path.isfile(gen):
        if os.environ.get('CI') == 'true':
            print('FAIL: %s is missing (CI=true needs ../shared)' % gen)
            return 1
        print('SKIP: %s is missing' % gen)
        return SKIP

    files = a.files
    if not files:
        os.makedirs(a.workdir, exist_ok=True)
        prom = os.path.join(a.workdir, 'synthetic-large.prom')
        om = os.path.join(a.workdir, 'synthetic-large.om')
        ensure_corpus(gen, prom, False)
        ensure_corpus(gen, om, True)
        files = [os.path.join(peers, 'corpus', 'node_exporter.prom'),
                 os.path.join(peers, 'corpus', 'prometheus.prom'), prom, om]

    total = failed = 0
    for path in files:
        fmt = 'openmetrics' if path.endswith('.om') else 'prometheus'
        label = '%s (%s)' % (os.path.basename(path), fmt)
        with open(path, encoding='utf-8', newline='') as f:
            text = f.read()
        try:
            fs = fleetscope_samples(a.fleetscope, path, fmt)
        except Exception as e:  # a rejection or an unreadable dump is a disagreement
            print('FAIL %s: fleetscope: %s' % (label, e))
            failed += 1
            continue
        try:
            py = python_samples(text, fmt)
        except Exception as e:
            print('FAIL %s: prometheus_client rejected it: %s' % (label, e))
            failed += 1
            continue
        total += len(fs)
        if compare(label, fs, py, fmt):
            failed += 1
    print('(%d samples compared)' % total)
    print('%d passed, %d failed' % (len(files) - failed, failed))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
