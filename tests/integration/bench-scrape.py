#!/usr/bin/python3
"""Benchmark FleetScope's collection: N fleetsim nodes (default 1,000) scraped every 5 s.

Starts fleetsim (--port-file), writes an object-form fleet file with scrape.interval, runs
`fleetscope report --fleet F --duration D --metrics-listen 127.0.0.1:PORT --out X.json`, and
reads FleetScope's own metrics endpoint and /proc/PID every half second. After a warm-up it
reports the scrape cycle time (one round = as many scrapes as targets), FleetScope's CPU per
ingested sample, memory per series and bytes per stored point, beside the Prometheus figures
measured on this machine (../shared/peers/results/prometheus-ingest.md).

    tests/integration/bench-scrape.py [--fleetsim build/bin/fleetsim]
        [--fleetscope build/bin/fleetscope] [--nodes 1000] [--interval 5] [--duration 180]

Exit status: 0 when every round fits in the interval (within 5% reading noise), 1 when one does not or the report fails,
2 on a usage or set-up error.
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
import urllib.request

CLK_TCK = os.sysconf("SC_CLK_TCK")
PROMETHEUS_CPU_US_PER_SAMPLE = 1.9  # all-in, rate(process_cpu_seconds_total) / samples
PROMETHEUS_RSS_BYTES_PER_SERIES = 3.4 * 1024  # process_resident_memory_bytes / head series
PROMETHEUS_HEAP_BYTES_PER_SERIES = 2.75 * 1024  # go_memstats_heap_inuse_bytes / head series


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime + stime


def rss_bytes(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


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


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fleetsim")
    parser.add_argument("--fleetscope")
    parser.add_argument("--nodes", type=int, default=1000)
    parser.add_argument("--interval", type=float, default=5.0, help="scrape interval, seconds")
    parser.add_argument("--duration", type=float, default=180.0, help="collection, seconds")
    parser.add_argument("--warmup", type=float, help="seconds left out (default 3 intervals)")
    args = parser.parse_args()
    fleetsim = find_binary("fleetsim", args.fleetsim)
    fleetscope = find_binary("fleetscope", args.fleetscope)
    for name, path in (("fleetsim", fleetsim), ("fleetscope", fleetscope)):
        if not path or not os.access(path, os.X_OK):
            print(f"bench-scrape: no {name} executable; pass --{name}", file=sys.stderr)
            return 2
    warmup = args.warmup if args.warmup is not None else 3 * args.interval

    with tempfile.TemporaryDirectory() as tmp:
        ports_file = os.path.join(tmp, "ports.json")
        sim = subprocess.Popen(
            [fleetsim, "--nodes", str(args.nodes), "--listen", "127.0.0.1", "--port-file",
             ports_file, "--seed", "1", "--no-control"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
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
            report = subprocess.Popen(
                [fleetscope, "report", "--fleet", fleet_file, "--duration", f"{args.duration:g}s",
                 "--metrics-listen", f"127.0.0.1:{port}", "--out", out],
                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
            t0 = time.monotonic()
            samples = []  # (t, cpu s, rss bytes, metrics)
            while report.poll() is None:
                t = time.monotonic() - t0
                try:
                    cpu, rss = cpu_seconds(report.pid), rss_bytes(report.pid)
                except (FileNotFoundError, ProcessLookupError, IndexError):
                    break
                m = read_metrics(port)
                if m:
                    samples.append((t, cpu, rss, m))
                time.sleep(0.5)
            stderr = report.communicate(timeout=60)[1]
            code = report.returncode
        finally:
            if report and report.poll() is None:
                report.kill()
                report.wait()
            if sim.poll() is None:
                sim.send_signal(signal.SIGTERM)
                try:
                    sim.wait(timeout=120)
                except subprocess.TimeoutExpired:
                    sim.kill()
                    sim.wait()

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
    print()
    rows = [
        ("cycle time, mean (s)", f"{mean_cycle:.2f}", f"{args.interval:g} (interval)",
         f"{mean_cycle / args.interval:.2f} of the interval"),
        ("cycle time, worst round (s)", f"{worst_cycle:.2f}", f"{args.interval:g} (interval)",
         f"{worst_cycle / args.interval:.2f} of the interval"),
        ("CPU per ingested sample (µs)", f"{cpu_us:.2f}", f"{PROMETHEUS_CPU_US_PER_SAMPLE}",
         f"{cpu_us / PROMETHEUS_CPU_US_PER_SAMPLE:.2f}x Prometheus"),
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
    print(f"  {'quantity':34} {'FleetScope':>12}  {'Prometheus / limit':28} ratio")
    for name, value, reference, ratio in rows:
        print(f"  {name:34} {value:>12}  {reference:28} {ratio}")
    print(f"  (store: {series:.0f} series, {points_stored:.0f} points, {store_bytes / 1e6:.1f} MB; "
          f"RSS {rss / 1e6:.0f} MB)")
    # Rounds are timed from counter readings half a second apart: allow that much noise. A
    # scraper that falls behind skips whole intervals, far more than 5%.
    return 0 if rounds and worst_cycle <= args.interval * 1.05 else 1


if __name__ == "__main__":
    sys.exit(main())
