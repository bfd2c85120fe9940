#!/usr/bin/python3
"""verify-with-prometheus: check the cases against the real Prometheus server.

A maintainer's tool, not a ctest: run it after adding or changing a case. It serves every
cases/<case>/metrics over HTTP on 127.0.0.1 as `text/plain; version=0.0.4`, lets Debian's
Prometheus server (package `prometheus`, 2.42 on Debian 12) scrape each one as its own job, and
checks for every case:

  - shouldParse against the target's health (a failed scrape is a rejection);
  - `expected` (when present and without timestamps) against the stored series: names, labels
    (empty label values are dropped by the TSDB, so they are ignored) and values, bit for bit;
  - `expected-meta` against the server's metadata API: type and HELP text.

    /usr/bin/python3 tests/prometheus-text/verify-with-prometheus.py [--prometheus /usr/bin/prometheus]

Everything runs on 127.0.0.1 and stops by itself (bounded waits). Exit 0 when all agree.
"""
import argparse
import http.server
import json
import math
import os
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
INFRA_ERRORS = ('deadline exceeded', 'i/o timeout', 'connection refused', 'connection reset')


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def serve(cases_dir):
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            path = os.path.join(cases_dir, os.path.basename(self.path), 'metrics')
            if not os.path.isfile(path):
                self.send_response(404)
                self.end_headers()
                return
            with open(path, 'rb') as f:
                body = f.read()
            self.send_response(200)
            self.send_header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
            self.send_header('Content-Length', str(len(body)))
            self.end_headers()
            try:
                self.wfile.write(body)
            except BrokenPipeError:
                pass

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def api(port, path, **query):
    url = 'http://127.0.0.1:%d%s' % (port, path)
    if query:
        url += '?' + urllib.parse.urlencode(query)
    with urllib.request.urlopen(url, timeout=10) as r:
        return json.load(r)['data']


def unescape(text, extra):
    out, i = [], 0
    while i < len(text):
        if text[i] == '\\' and i + 1 < len(text):
            out.append(extra.get(text[i + 1], text[i + 1]))
            i += 2
        else:
            out.append(text[i])
            i += 1
    return ''.join(out)


def parse_expected_line(line):
    """`name{a="x"} value[ ts]` -> (name, labels without empty values, value, has_ts)."""
    brace = line.find('{')
    space = line.find(' ')
    labels = {}
    if brace != -1 and brace < space:
        name = line[:brace]
        i = brace + 1
        while line[i] != '}':
            eq = line.index('=', i)
            j = eq + 2
            value = []
            while line[j] != '"':
                if line[j] == '\\':
                    j += 1
                    value.append({'n': '\n', '\\': '\\', '"': '"'}[line[j]])
                else:
                    value.append(line[j])
                j += 1
            if value:
                labels[line[i:eq]] = ''.join(value)
            i = j + 1 + (line[j + 1] == ',')
        rest = line[i + 2:]
    else:
        name, rest = line[:space], line[space + 1:]
    fields = rest.split(' ')
    return name, tuple(sorted(labels.items())), float(fields[0]), len(fields) > 1


def same(a, b):
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return struct.pack('<d', a) == struct.pack('<d', b)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--prometheus', default=shutil.which('prometheus') or '/usr/bin/prometheus')
    ap.add_argument('--cases', default=os.path.join(HERE, 'cases'))
    ap.add_argument('--timeout', type=float, default=90, help='seconds to wait for every scrape')
    a = ap.parse_args()
    if not os.path.exists(a.prometheus):
        print('no Prometheus server at %s (Debian package: prometheus)' % a.prometheus)
        return 2

    cases = sorted(d for d in os.listdir(a.cases) if os.path.isfile(os.path.join(a.cases, d, 'test.json')))
    server = serve(a.cases)
    web = free_port()
    work = tempfile.mkdtemp(prefix='fleetscope-promtext-')
    config = ['global:', '  scrape_interval: 5s', '  scrape_timeout: 5s', 'scrape_configs:']
    for c in cases:
        config += ["  - job_name: '%s'" % c, '    metrics_path: /%s' % c, '    static_configs:',
                   "      - targets: ['127.0.0.1:%d']" % server.server_address[1]]
    with open(os.path.join(work, 'prometheus.yml'), 'w') as f:
        f.write('\n'.join(config) + '\n')
    log = open(os.path.join(work, 'prometheus.log'), 'w')
    prom = subprocess.Popen([a.prometheus, '--config.file=' + os.path.join(work, 'prometheus.yml'),
                             '--storage.tsdb.path=' + os.path.join(work, 'data'),
                             '--web.listen-address=127.0.0.1:%d' % web, '--log.level=warn'],
                            stdout=log, stderr=log)
    try:
        deadline = time.monotonic() + a.timeout
        targets = {}
        while time.monotonic() < deadline:
            try:
                active = api(web, '/api/v1/targets')['activeTargets']
                targets = {t['labels']['job']: t for t in active}
                if len(targets) == len(cases) and all(t['health'] != 'unknown' for t in active):
                    break
            except OSError:
                pass  # not listening yet
            try:  # the next look in 0.5 s, at once if Prometheus exits
                prom.wait(timeout=0.5)
                print(f'prometheus exited {prom.returncode} before scraping every case')
                return 1
            except subprocess.TimeoutExpired:
                pass
        else:
            print('timed out waiting for the first scrape of every case')
            return 1
        series = {}
        for r in api(web, '/api/v1/query', query='{__name__=~".+",__name__!~"up|scrape_.*"}')['result']:
            m = dict(r['metric'])
            job = m.pop('job')
            m.pop('instance', None)
            name = m.pop('__name__')
            series.setdefault(job, {})[(name, tuple(sorted(m.items())))] = float(r['value'][1])
        metadata = {(m['target']['job'], m['metric']): (m['type'], m['help'])
                    for m in api(web, '/api/v1/targets/metadata')}
    finally:
        prom.terminate()
        try:
            prom.wait(timeout=20)
        except subprocess.TimeoutExpired:
            prom.kill()
            prom.wait()
        server.shutdown()
        log.close()
        shutil.rmtree(work, ignore_errors=True)

    passed = failed = 0
    for c in cases:
        folder = os.path.join(a.cases, c)
        with open(os.path.join(folder, 'test.json')) as f:
            should = json.load(f)['shouldParse']
        t = targets[c]
        problems = []
        if any(e in t['lastError'] for e in INFRA_ERRORS):
            problems.append('scrape did not complete (%s): run again' % t['lastError'])
        elif (t['health'] == 'up') != should:
            problems.append('shouldParse=%s but the server says %s %s' % (should, t['health'], t['lastError']))
        expected_path = os.path.join(folder, 'expected')
        if should and not problems and os.path.exists(expected_path):
            with open(expected_path, encoding='utf-8', newline='') as f:
                lines = [parse_expected_line(l) for l in f.read().split('\n') if l]
            if not any(l[3] for l in lines):  # timestamped samples are too old for the TSDB
                want = {(n, lab): v for n, lab, v, _ in lines}
                got = series.get(c, {})
                if set(want) != set(got) or not all(same(want[k], got[k]) for k in want):
                    problems.append('series differ: expected %r, server %r' % (sorted(want.items()), sorted(got.items())))
        meta_path = os.path.join(folder, 'expected-meta')
        if should and not problems and os.path.exists(meta_path):
            with open(meta_path, encoding='utf-8', newline='') as f:
                for line in f.read().split('\n'):
                    if not line:
                        continue
                    fields = line.split('\t')
                    typ, help_ = metadata.get((c, fields[0]), (None, None))
                    if typ != fields[1]:
                        problems.append('type of %s: expected %s, server %s' % (fields[0], fields[1], typ))
                    if len(fields) == 3 and unescape(fields[2], {'n': '\n', 'r': '\r'}) != help_:
                        problems.append('help of %s: expected %r, server %r' % (fields[0], fields[2], help_))
        if problems:
            failed += 1
            print('FAIL %s: %s' % (c, '; '.join(problems)))
        else:
            passed += 1
    print('%d passed, %d failed' % (passed, failed))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
