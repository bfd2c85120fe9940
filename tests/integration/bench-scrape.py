#!/usr/bin/python3
"""Benchmark FleetScope's collection: N fleetsim nodes (default 1,000) scraped every 5 s.

Starts fleetsim (--port-file), writes an object-form fleet file with scrape.interval, runs
`fleetscope report --fleet F --duration D --metrics-listen 127.0.0.1:PORT --out X.json`, and
reads FleetScope's own metrics endpoint and /proc/PID every half second. After a warm-up it
reports the scrape cycle time (one round = as many scrapes as targets), FleetScope's CPU per
ingested sample, memory per series and bytes per stored point, beside the fixed figures of
../shared/peers/results/prometheus-ingest.md. Those were measured with ONE target serving a
27.7 MB body of 200k samples, so Prometheus' per-connection cost is spread over 200k samples:
not this workload (many small bodies, each scrape a new TCP connection since fleetsim answers
`Connection: close`).

With --with-prometheus, the same run then points a real Prometheus (/usr/bin/prometheus, Debian
package prometheus; --prometheus PATH for another) at the same fleetsim nodes: 127.0.0.1 on an
ephemeral port, a temporary TSDB directory, a file_sd file listing every node, scrape_interval
and scrape_timeout = --interval, no self-scrape. It runs for the same duration with the same
warm-up, after the FleetScope phase (one after the other, so neither scraper takes CPU, cache
or fleetsim time from the other; the load average of each phase is printed). Its CPU comes from
/proc/PID/stat as FleetScope's does, its samples from its own
prometheus_tsdb_head_samples_appended_total at the start and end of the measured span, and the
figures of both are printed side by side with the ratio FleetScope/Prometheus.

    tests/integration/bench-scrape.py [--fleetsim build/bin/fleetsim]
        [--fleetscope build/bin/fleetscope] [--nodes 1000] [--interval 5] [--duration 180]
        [--with-prometheus [--prometheus /usr/bin/prometheus]]

Exit status: 0 when every FleetScope round fits in the interval (within 5% reading noise), 1 when
one does not or the report fails, 2 on a usage or set-up error (also: Prometheus would not start
or answer), 77 when --with-prometheus was given and there is no Prometheus (FleetScope's figures
are still printed; 1 instead under CI=true).
"""
import argparse
import glob
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

CLK_TCK = os.sysconf("SC_CLK_TCK")
# The single-big-target figures of ../shared/peers/results/prometheus-ingest.md: one target with
# a 27.7 MB body of 200k samples (per-connection cost amortised), not this workload.
PROMETHEUS_CPU_US_PER_SAMPLE = 1.9  # all-in, rate(process_cpu_seconds_total) / samples
PROMETHEUS_RSS_BYTES_PER_SERIES = 3.4 * 1024  # process_resident_memory_bytes / head series
PROMETHEUS_HEAP_BYTES_PER_SERIES = 2.75 * 1024  # go_memstats_heap_inuse_bytes / head series


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime + stime


def machine_busy_seconds():
    """CPU seconds all cores spent busy since boot (user, nice, system, irq, softirq, steal)."""
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:9]]
    return (sum(fields[0:3]) + sum(fields[5:8])) / CLK_TCK


def sim_cpu_seconds(pid):
    try:
        return cpu_seconds(pid)
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return float("nan")


def rss_bytes(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def wait_or_exit(proc, seconds):
    """Waits for proc to exit, at most `seconds`: the next reading comes at once when it ends."""
    try:
        proc.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        pass


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def read_metrics(port):
    """FleetScope's own metrics as {(name, labels-text): value}; None when not answering."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=2) as r:
            text = r.read().decode()
    except OSError:
        return None
    out = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        key, _, value = line.rpartition(" ")
        name, _, labels = key.partition("{")
        out[(name, labels.rstrip("}"))] = float(value)
    return out


def find_binary(name, given):
    if given:
        return given
    here = os.path.dirname(os.path.abspath(__file__))
    found = sorted(glob.glob(os.path.join(here, "../../build*/bin", name)), key=os.path.getmtime)
    return found[-1] if found else None


def quantile_from_buckets(q, buckets):
    """histogram_quantile over [(le, cumulative)], le ascending, +Inf last."""
    total = buckets[-1][1]
    if total <= 0:
        return float("nan")
    rank = q * total
    lower, below = 0.0, 0.0
    for le, count in buckets:
        if count >= rank:
            if le == float("inf"):
                return lower
            return lower + (le - lower) * (rank - below) / (count - below)
        lower, below = le, count
    return float("nan")


class SetupError(Exception):
    """Something outside the measured program went wrong (a helper would not start or answer)."""


def stop_group(proc, timeout):
    """SIGTERM to the process group of `proc` (started with start_new_session), SIGKILL after
    `timeout` seconds; only while `proc` has not been reaped, so its id is still ours."""
    if proc is None or proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait()


def metric_sum(metrics, name):
    """The sum of every sample of `name` whatever its labels; None when there is none."""
    values = [v for (n, _), v in metrics.items() if n == name]
    return sum(values) if values else None


def list_quantile(q, values):
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))] if values else float("nan")


def prometheus_query(port, expr, at):
    """An instant query of Prometheus' HTTP API: [(labels, [(t, value)...])] for a range vector."""
    url = (f"http://127.0.0.1:{port}/api/v1/query?"
           + urllib.parse.urlencode({"query": expr, "time": f"{at:.3f}"}))
    with urllib.request.urlopen(url, timeout=30) as r:
        answer = json.load(r)
    if answer.get("status") != "success":
        raise SetupError(f"Prometheus query {expr!r}: {answer.get('error', answer)}")
    return [(s["metric"], [(float(t), float(v)) for t, v in s.get("values", [])])
            for s in answer["data"]["result"]]


def log_tail(path, lines=15):
    try:
        with open(path, errors="replace") as f:
            return "".join(f.readlines()[-lines:])
    except OSError:
        return ""


def run_prometheus_phase(binary, groups, interval, duration, warmup, tmp, sim_pid):
    """Prometheus scraping the fleetsim nodes of `groups` (a file_sd list) every `interval`
    seconds for `duration` seconds from the moment it is ready; its CPU and RSS read from /proc
    and its own /metrics every half second, as for FleetScope. Returns the figures of the steady
    window (after `warmup`). Prometheus is stopped (its process group) on every way out."""
    targets_file = os.path.join(tmp, "prometheus-targets.json")
    with open(targets_file, "w") as f:
        json.dump(groups, f)
    every = f"{max(1, round(interval * 1000))}ms"
    config = os.path.join(tmp, "prometheus.yml")
    with open(config, "w") as f:
        # No self-scrape: Prometheus' own figures are read from its /metrics by this script.
        f.write("global:\n"
                f"  scrape_interval: {every}\n"
                f"  scrape_timeout: {every}\n"
                "  evaluation_interval: 1m\n"
                "scrape_configs:\n"
                "  - job_name: fleetsim\n"
                "    file_sd_configs:\n"
                f"      - files: [{json.dumps(targets_file)}]\n")
    port = free_port()
    log_path = os.path.join(tmp, "prometheus.log")
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [binary, f"--config.file={config}",
             f"--storage.tsdb.path={os.path.join(tmp, 'prometheus-data')}",
             f"--web.listen-address=127.0.0.1:{port}", "--log.level=warn"],
            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True)
    try:
        started = time.monotonic()
        while True:
            if proc.poll() is not None:
                raise SetupError(f"{binary} exited {proc.returncode} before it was ready "
                                 f"(port {port}):\n{log_tail(log_path)}")
            if time.monotonic() - started > 120:
                raise SetupError(f"{binary} not ready on 127.0.0.1:{port} after 120 s:\n"
                                 f"{log_tail(log_path)}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/-/ready", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            wait_or_exit(proc, 0.2)
        load_start = os.getloadavg()[0]
        # Ready is not scraping yet: target discovery hands its first targets over about 5 s
        # later. The clock (duration, warm-up) starts at the first appended sample, as
        # FleetScope's starts when it starts, scraping at once.
        t0 = None
        readings = []  # (t, unix time, cpu s, rss bytes, metrics, machine busy s, fleetsim s)
        while True:
            now = time.monotonic()
            if proc.poll() is not None:
                raise SetupError(f"{binary} exited {proc.returncode} during the run:\n"
                                 f"{log_tail(log_path)}")
            if t0 is None and now - started > 180:
                raise SetupError(f"{binary} appended no sample in 180 s:\n{log_tail(log_path)}")
            try:
                cpu, rss = cpu_seconds(proc.pid), rss_bytes(proc.pid)
            except (FileNotFoundError, ProcessLookupError, IndexError):
                continue  # exited: reported above
            m = read_metrics(port)
            # The counter appears with the first sample appended (it is a vector by type).
            if t0 is None and m and metric_sum(m, "prometheus_tsdb_head_samples_appended_total"):
                t0 = now
            if t0 is not None and m:
                readings.append((now - t0, time.time(), cpu, rss, m, machine_busy_seconds(),
                                 sim_cpu_seconds(sim_pid)))
                if now - t0 >= duration:
                    break
            wait_or_exit(proc, 0.5)
        load_end = os.getloadavg()[0]
        steady = [r for r in readings if r[0] >= warmup]
        if len(steady) < 4:
            raise SetupError("too few readings of Prometheus after the warm-up")
        first, last = steady[0], steady[-1]

        def delta(name):  # a family not there yet has counted nothing yet
            return (metric_sum(last[4], name) or 0) - (metric_sum(first[4], name) or 0)

        d_scrapes = delta("prometheus_target_interval_length_seconds_count")
        d_interval_sum = delta("prometheus_target_interval_length_seconds_sum")
        # Scrape durations and failures over the same window, from the series Prometheus
        # writes for every scrape (read after the span is measured).
        window = f"{max(1, int((last[1] - first[1]) * 1000))}ms"
        durations = [v for _, vs in prometheus_query(port, f"scrape_duration_seconds[{window}]",
                                                     last[1]) for _, v in vs]
        ups = [v for _, vs in prometheus_query(port, f"up[{window}]", last[1]) for _, v in vs]
        return {
            "wall": last[0] - first[0],
            "cpu": last[2] - first[2],
            "rss": last[3],
            "samples": delta("prometheus_tsdb_head_samples_appended_total"),
            "scrapes": d_scrapes,
            "mean_interval": d_interval_sum / d_scrapes if d_scrapes else float("nan"),
            "head_series": metric_sum(last[4], "prometheus_tsdb_head_series") or 0,
            "p50": list_quantile(0.5, durations),
            "p99": list_quantile(0.99, durations),
            "scrapes_seen": len(ups),
            "failed": sum(1 for v in ups if v != 1),
            "load": (load_start, load_end),
            "machine": (last[5] - first[5]) / (last[0] - first[0]),
            "sim": (last[6] - first[6]) / (last[0] - first[0]),
        }
    finally:
        stop_group(proc, 60)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fleetsim")
    parser.add_argument("--fleetscope")
    parser.add_argument("--nodes", type=int, default=1000)
    parser.add_argument("--interval", type=float, default=5.0, help="scrape interval, seconds")
    parser.add_argument("--duration", type=float, default=180.0, help="collection, seconds")
    parser.add_argument("--warmup", type=float, help="seconds left out (default 3 intervals)")
    parser.add_argument("--with-prometheus", action="store_true",
                        help="then run Prometheus on the same fleet and report both, with ratios")
    parser.add_argument("--prometheus", default="/usr/bin/prometheus",
                        help="the Prometheus server for --with-prometheus")
    args = parser.parse_args()
    fleetsim = find_binary("fleetsim", args.fleetsim)
    fleetscope = find_binary("fleetscope", args.fleetscope)
    for name, path in (("fleetsim", fleetsim), ("fleetscope", fleetscope)):
        if not path or not os.access(path, os.X_OK):
            print(f"bench-scrape: no {name} executable; pass --{name}", file=sys.stderr)
            return 2
    warmup = args.warmup if args.warmup is not None else 3 * args.interval
    prometheus = None
    if args.with_prometheus:
        if os.access(args.prometheus, os.X_OK):
            prometheus = args.prometheus
        else:
            print(f"bench-scrape: --with-prometheus: no executable {args.prometheus} (Debian "
                  "package prometheus, or pass --prometheus PATH); the Prometheus phase is "
                  "skipped", file=sys.stderr)
    # A TERM or HUP unwinds through the finally blocks below, which stop what was started.
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, lambda signum, _frame: sys.exit(128 + signum))

    prom = None
    prom_error = None
    with tempfile.TemporaryDirectory() as tmp:
        ports_file = os.path.join(tmp, "ports.json")
        sim = subprocess.Popen(
            [fleetsim, "--nodes", str(args.nodes), "--listen", "127.0.0.1", "--port-file",
             ports_file, "--seed", "1", "--no-control"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, start_new_session=True)
        report = None
        try:
            started = time.monotonic()
            for line in sim.stdout:
                if line.strip() == "ready":
                    break
                if time.monotonic() - started > 300:
                    print("bench-scrape: fleetsim not ready after 300 s", file=sys.stderr)
                    return 2
            else:
                print("bench-scrape: fleetsim exited before it was ready", file=sys.stderr)
                return 2
            with open(ports_file) as f:
                groups = json.load(f)
            fleet_file = os.path.join(tmp, "fleet.json")
            with open(fleet_file, "w") as f:
                json.dump({"name": f"bench {args.nodes} nodes",
                           "scrape": {"interval": f"{args.interval:g}s",
                                      "timeout": f"{args.interval:g}s"},
                           "targets": groups}, f)
            targets = sum(len(g["targets"]) for g in groups)

            port = free_port()
            out = os.path.join(tmp, "snapshot.json")
            env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
            fs_load_start = os.getloadavg()[0]
            report = subprocess.Popen(
                [fleetscope, "report", "--fleet", fleet_file, "--duration", f"{args.duration:g}s",
                 "--metrics-listen", f"127.0.0.1:{port}", "--out", out],
                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env,
                start_new_session=True)
            t0 = time.monotonic()
            samples = []  # (t, cpu s, rss bytes, metrics, machine busy s, fleetsim cpu s)
            while report.poll() is None:
                t = time.monotonic() - t0
                try:
                    cpu, rss = cpu_seconds(report.pid), rss_bytes(report.pid)
                except (FileNotFoundError, ProcessLookupError, IndexError):
                    break
                m = read_metrics(port)
                if m:
                    samples.append((t, cpu, rss, m, machine_busy_seconds(),
                                    sim_cpu_seconds(sim.pid)))
                wait_or_exit(report, 0.5)
            stderr = report.communicate(timeout=60)[1]
            code = report.returncode
            fs_load_end = os.getloadavg()[0]
            # Then Prometheus on the same nodes, same interval, duration and warm-up.
            if prometheus and code == 0:
                try:
                    prom = run_prometheus_phase(prometheus, groups, args.interval, args.duration,
                                                warmup, tmp, sim.pid)
                except (SetupError, OSError) as e:
                    prom_error = str(e)
        finally:
            stop_group(report, 5)
            stop_group(sim, 120)

    if code != 0:
        print(f"bench-scrape: fleetscope report exited {code}:\n{stderr}", file=sys.stderr)
        return 1
    steady = [s for s in samples if s[0] >= warmup]
    if len(steady) < 4:
        print("bench-scrape: too few readings after the warm-up", file=sys.stderr)
        return 1

    def scrapes(m):
        return (m.get(("fleetscope_scrapes_total", 'result="ok"'), 0)
                + m.get(("fleetscope_scrapes_total", 'result="failed"'), 0))

    first, last = steady[0], steady[-1]
    wall = last[0] - first[0]
    d_cpu = last[1] - first[1]
    d_samples = (last[3]["fleetscope_samples_ingested_total", ""]
                 - first[3]["fleetscope_samples_ingested_total", ""])
    d_scrapes = scrapes(last[3]) - scrapes(first[3])
    failed = last[3].get(("fleetscope_scrapes_total", 'result="failed"'), 0)

    # Cycle time: how long each successive `targets` scrapes took (a full round), from the
    # scrape counter read every half second (interpolated between readings).
    points = [(s[0], scrapes(s[3])) for s in steady]
    crossings = []
    goal = points[0][1] + targets
    for (ta, ca), (tb, cb) in zip(points, points[1:]):
        while ca < goal <= cb:
            crossings.append(ta + (tb - ta) * (goal - ca) / max(cb - ca, 1e-9))
            goal += targets
    rounds = [b - a for a, b in zip([points[0][0]] + crossings, crossings)]
    mean_cycle = wall * targets / d_scrapes if d_scrapes else float("inf")
    worst_cycle = max(rounds) if rounds else mean_cycle

    # Scrape durations over the steady window.
    def buckets(m):
        out = []
        for (name, labels), v in m.items():
            if name == "fleetscope_scrape_duration_seconds_bucket":
                le = labels.split('le="')[1].split('"')[0]
                out.append((float("inf") if le == "+Inf" else float(le), v))
        return sorted(out)
    b0, b1 = dict(buckets(first[3])), buckets(last[3])
    delta = [(le, v - b0.get(le, 0)) for le, v in b1]
    p50, p99 = quantile_from_buckets(0.5, delta), quantile_from_buckets(0.99, delta)

    m = last[3]
    series = m.get(("fleetscope_store", 'what="series"'), 0)
    store_bytes = m.get(("fleetscope_store", 'what="bytes"'), 0)
    points_stored = m.get(("fleetscope_store", 'what="points"'), 0)
    rss = last[2]
    raw_series = d_samples / (d_scrapes / targets) if d_scrapes else 0  # samples in one round
    cpu_us = d_cpu / d_samples * 1e6 if d_samples else float("nan")

    print(f"FleetScope collection benchmark: {targets} fleetsim nodes on loopback, scraped every "
          f"{args.interval:g} s; {args.duration:g} s collected, the first {warmup:g} s left out")
    print(f"  scrapes in the steady window : {d_scrapes:.0f} ({d_scrapes / wall:.0f}/s; "
          f"{failed:.0f} failed in all), {d_samples:.0f} samples, "
          f"{raw_series:.0f} samples per round")
    print(f"  scrape duration              : p50 {p50 * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms "
          f"(request to parsed body)")
    print(f"  FleetScope CPU               : {d_cpu:.1f} s in {wall:.1f} s = "
          f"{d_cpu / wall:.3f} cores")
    machine = (last[4] - first[4]) / wall
    sim_cores = (last[5] - first[5]) / wall
    print(f"  machine in the window        : {machine:.2f} of {os.cpu_count()} cores busy: "
          f"FleetScope {d_cpu / wall:.2f}, fleetsim {sim_cores:.2f}, everything else "
          f"{machine - d_cpu / wall - sim_cores:.2f}")
    print()
    rows = [
        ("cycle time, mean (s)", f"{mean_cycle:.2f}", f"{args.interval:g} (interval)",
         f"{mean_cycle / args.interval:.2f} of the interval"),
        ("cycle time, worst round (s)", f"{worst_cycle:.2f}", f"{args.interval:g} (interval)",
         f"{worst_cycle / args.interval:.2f} of the interval"),
        ("CPU per ingested sample (µs)", f"{cpu_us:.2f}", f"{PROMETHEUS_CPU_US_PER_SAMPLE}",
         f"{cpu_us / PROMETHEUS_CPU_US_PER_SAMPLE:.2f}x the single-big-target figure"),
        ("RSS per store series (B)", f"{rss / series:.0f}" if series else "-",
         f"{PROMETHEUS_RSS_BYTES_PER_SERIES:.0f} (RSS/head series)",
         f"{rss / series / PROMETHEUS_RSS_BYTES_PER_SERIES:.2f}x" if series else "-"),
        ("RSS per scraped series (B)", f"{rss / raw_series:.0f}" if raw_series else "-",
         f"{PROMETHEUS_RSS_BYTES_PER_SERIES:.0f} (RSS/head series)",
         f"{rss / raw_series / PROMETHEUS_RSS_BYTES_PER_SERIES:.2f}x" if raw_series else "-"),
        ("store bytes per store series (B)", f"{store_bytes / series:.0f}" if series else "-",
         f"{PROMETHEUS_HEAP_BYTES_PER_SERIES:.0f} (heap/head series)",
         f"{store_bytes / series / PROMETHEUS_HEAP_BYTES_PER_SERIES:.2f}x" if series else "-"),
        ("store bytes per stored point (B)",
         f"{store_bytes / points_stored:.1f}" if points_stored else "-", "-", "-"),
    ]
    print(f"  {'quantity':34} {'FleetScope':>12}  {'Prometheus* / limit':28} ratio")
    for name, value, reference, ratio in rows:
        print(f"  {name:34} {value:>12}  {reference:28} {ratio}")
    print(f"  (store: {series:.0f} series, {points_stored:.0f} points, {store_bytes / 1e6:.1f} MB; "
          f"RSS {rss / 1e6:.0f} MB)")
    print("  * Prometheus* = the single-big-target figure from peers/results "
          "(prometheus-ingest.md):")
    print("    ONE target, a 27.7 MB body of 200k samples, so the per-connection cost is spread")
    print("    over 200k samples; not this workload (many small bodies, a new TCP connection for")
    print("    every scrape). Same-run figures: --with-prometheus.")
    # Rounds are timed from counter readings half a second apart: allow that much noise. A
    # scraper that falls behind skips whole intervals, far more than 5%.
    verdict = 0 if rounds and worst_cycle <= args.interval * 1.05 else 1

    if args.with_prometheus:
        print()
        if prom_error:
            print(f"bench-scrape: the Prometheus phase failed: {prom_error}", file=sys.stderr)
            return 2
        if not prom:
            print("Prometheus phase skipped: no Prometheus (see above)")
            return 1 if os.environ.get("CI") == "true" else 77
        print_prometheus_comparison(args, prometheus, targets, warmup, prom, {
            "wall": wall, "cpu": d_cpu, "samples": d_samples, "scrapes": d_scrapes,
            "rss": rss, "raw_series": raw_series, "load": (fs_load_start, fs_load_end),
            "machine": machine, "sim": sim_cores})
    return verdict


def print_prometheus_comparison(args, binary, targets, warmup, prom, fs):
    """Prometheus' figures from the same run beside FleetScope's, with FleetScope/Prometheus."""
    try:
        version = subprocess.run([binary, "--version"], capture_output=True, text=True,
                                 timeout=30).stdout.split("\n")[0].strip()
    except (OSError, subprocess.TimeoutExpired):
        version = binary
    # Prometheus appends 5 series of its own for every scrape (up, scrape_duration_seconds,
    # scrape_samples_scraped, scrape_samples_post_metric_relabeling, scrape_series_added).
    own = 5 * prom["scrapes"]
    scraped = prom["samples"] - own
    rounds = prom["scrapes"] / targets if targets else 0
    per_round = scraped / rounds if rounds else 0
    print(f"Same run, same {targets} fleetsim nodes, every {args.interval:g} s: {version} "
          f"({binary}), after the FleetScope phase; {args.duration:g} s from its first scrape, "
          f"the first {warmup:g} s left out")
    print(f"  load average (1 min)         : FleetScope phase {fs['load'][0]:.2f} -> "
          f"{fs['load'][1]:.2f}, Prometheus phase {prom['load'][0]:.2f} -> {prom['load'][1]:.2f}")
    for name, phase, cores in (("FleetScope", fs, fs["cpu"] / fs["wall"]),
                               ("Prometheus", prom, prom["cpu"] / prom["wall"])):
        print(f"  busy cores, {name + ' phase':17}: {phase['machine']:.2f} of {os.cpu_count()}: "
              f"{name} {cores:.2f}, fleetsim {phase['sim']:.2f}, everything else "
              f"{phase['machine'] - cores - phase['sim']:.2f}")
    print(f"  Prometheus scrapes           : {prom['scrapes']:.0f} in {prom['wall']:.1f} s "
          f"({prom['scrapes'] / prom['wall']:.0f}/s; {prom['failed']} of {prom['scrapes_seen']} "
          f"not up), mean interval per target {prom['mean_interval']:.3f} s")
    print(f"  Prometheus samples appended  : {prom['samples']:.0f} "
          f"(prometheus_tsdb_head_samples_appended_total; {own:.0f} of them its own 5 a scrape), "
          f"{per_round:.0f} scraped samples per round")
    print(f"  Prometheus scrape duration   : p50 {prom['p50'] * 1000:.1f} ms, p99 "
          f"{prom['p99'] * 1000:.1f} ms (scrape_duration_seconds)")
    print(f"  Prometheus CPU               : {prom['cpu']:.1f} s in {prom['wall']:.1f} s = "
          f"{prom['cpu'] / prom['wall']:.3f} cores; RSS {prom['rss'] / 1e6:.0f} MB, "
          f"{prom['head_series']:.0f} head series")
    print()

    def ratio(a, b):
        return f"{a / b:.2f}" if b and a == a and b == b else "-"

    fs_cpu_us = fs["cpu"] / fs["samples"] * 1e6 if fs["samples"] else float("nan")
    pr_cpu_us = prom["cpu"] / prom["samples"] * 1e6 if prom["samples"] else float("nan")
    pr_cpu_us_scraped = prom["cpu"] / scraped * 1e6 if scraped > 0 else float("nan")
    fs_cpu_scrape = fs["cpu"] / fs["scrapes"] * 1e3 if fs["scrapes"] else float("nan")
    pr_cpu_scrape = prom["cpu"] / prom["scrapes"] * 1e3 if prom["scrapes"] else float("nan")
    fs_cores = fs["cpu"] / fs["wall"]
    pr_cores = prom["cpu"] / prom["wall"]
    fs_rss_series = fs["rss"] / fs["raw_series"] if fs["raw_series"] else float("nan")
    pr_rss_series = prom["rss"] / per_round if per_round else float("nan")
    pr_rss_head = prom["rss"] / prom["head_series"] if prom["head_series"] else float("nan")
    rows = [
        ("CPU per ingested sample (µs)", fs_cpu_us, pr_cpu_us, "{:.2f}",
         "Prometheus: per appended sample"),
        ("CPU per scraped sample (µs)", fs_cpu_us, pr_cpu_us_scraped, "{:.2f}",
         "Prometheus: without its own 5 a scrape"),
        ("CPU per scrape (ms)", fs_cpu_scrape, pr_cpu_scrape, "{:.3f}", ""),
        ("CPU (cores)", fs_cores, pr_cores, "{:.3f}", ""),
        ("RSS at the end (MB)", fs["rss"] / 1e6, prom["rss"] / 1e6, "{:.0f}", ""),
        ("RSS per scraped series (B)", fs_rss_series, pr_rss_series, "{:.0f}",
         "RSS / series in one round of the bodies"),
        ("RSS per series kept (B)", float("nan"), pr_rss_head, "{:.0f}",
         "Prometheus: RSS / head series (FleetScope keeps region series: above)"),
    ]
    print(f"  {'quantity':30} {'FleetScope':>11} {'Prometheus':>11} {'FS/Prom':>8}  note")

    def cell(fmt, v):
        return fmt.format(v) if v == v else "-"

    for name, a, b, fmt, note in rows:
        print(f"  {name:30} {cell(fmt, a):>11} {cell(fmt, b):>11} {ratio(a, b):>8}  {note}")
    print(f"  (the fixed {PROMETHEUS_CPU_US_PER_SAMPLE} µs above is the single-big-target figure "
          f"from peers/results; this run's Prometheus: {pr_cpu_us:.2f} µs per appended sample)")


if __name__ == "__main__":
    sys.exit(main())
