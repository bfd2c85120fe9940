#!/usr/bin/python3
"""Benchmark fleetsim: N nodes (default 1,000) scraped every 5 s for 60 s on loopback.

Prints fleetsim's CPU use (CPU seconds per wall second while being scraped), its resident
memory (now and peak), threads, scrape success and latency, start and stop times.

    tests/sim/bench-fleetsim.py [--fleetsim build/bin/fleetsim] [--nodes 1000]
                                [--interval 5] [--duration 60] [--workers 16]
"""
import argparse
import concurrent.futures
import http.client
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time

CLK_TCK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime + stime


def status(pid, key):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


def scrape(target):
    host, port = target.rsplit(":", 1)
    started = time.monotonic()
    try:
        conn = http.client.HTTPConnection(host, int(port), timeout=10)
        conn.request("GET", "/metrics")
        response = conn.getresponse()
        body = response.read()
        conn.close()
        return response.status == 200, time.monotonic() - started, len(body)
    except (OSError, http.client.HTTPException):
        return False, time.monotonic() - started, 0


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fleetsim", default=os.path.join(here, "../../build/bin/fleetsim"))
    parser.add_argument("--nodes", type=int, default=1000)
    parser.add_argument("--interval", type=float, default=5.0)
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=16)
    args = parser.parse_args()
    if not os.access(args.fleetsim, os.X_OK):
        sys.exit(f"bench-fleetsim: {args.fleetsim} is not an executable; pass --fleetsim")

    with tempfile.TemporaryDirectory() as tmp:
        fleet_file = os.path.join(tmp, "fleet.json")
        started = time.monotonic()
        proc = subprocess.Popen(
            [args.fleetsim, "--nodes", str(args.nodes), "--listen", "127.0.0.1",
             "--port-file", fleet_file, "--seed", "1"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        try:
            deadline = time.monotonic() + 180
            for line in proc.stdout:
                if line.strip() == "ready":
                    break
                if time.monotonic() > deadline:
                    sys.exit("bench-fleetsim: fleetsim not ready after 180 s")
            else:
                sys.exit("bench-fleetsim: fleetsim exited before it was ready")
            startup = time.monotonic() - started
            with open(fleet_file) as f:
                targets = [t for group in json.load(f) for t in group["targets"]]
            assert all(t.startswith("127.0.0.1:") for t in targets), "loopback only"

            rounds = max(1, int(args.duration / args.interval))
            ok = failed = 0
            latencies, sizes = [], []
            cpu0, t0 = cpu_seconds(proc.pid), time.monotonic()
            with concurrent.futures.ThreadPoolExecutor(args.workers) as pool:
                for r in range(rounds):
                    round_start = time.monotonic()
                    for success, latency, size in pool.map(scrape, targets):
                        ok += success
                        failed += not success
                        latencies.append(latency)
                        if success:
                            sizes.append(size)
                    spare = args.interval - (time.monotonic() - round_start)
                    if spare > 0 and r + 1 < rounds:
                        # The next round on the interval, at once if fleetsim exits meanwhile.
                        try:
                            proc.wait(timeout=spare)
                            sys.exit(f"fleetsim exited {proc.returncode} during the benchmark")
                        except subprocess.TimeoutExpired:
                            pass
            elapsed = time.monotonic() - t0
            cpu = cpu_seconds(proc.pid) - cpu0
            rss_kib, hwm_kib = status(proc.pid, "VmRSS"), status(proc.pid, "VmHWM")
            threads = status(proc.pid, "Threads")

            stop_started = time.monotonic()
            proc.send_signal(signal.SIGTERM)
            code = proc.wait(timeout=300)
            stop = time.monotonic() - stop_started
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()

    latencies.sort()
    print(f"fleetsim benchmark: {args.nodes} nodes, scraped every {args.interval:g} s for "
          f"{elapsed:.1f} s ({rounds} rounds, {args.workers} scraper threads, loopback)")
    print(f"  start-up until ready : {startup:.2f} s")
    print(f"  scrapes              : {ok} ok, {failed} failed "
          f"({ok / elapsed:.0f} per second)")
    print(f"  scrape latency       : p50 {statistics.median(latencies) * 1000:.1f} ms, "
          f"p99 {latencies[int(len(latencies) * 0.99) - 1] * 1000:.1f} ms")
    print(f"  body size            : {statistics.mean(sizes) / 1024:.1f} KiB on average")
    print(f"  fleetsim CPU         : {cpu:.1f} CPU s in {elapsed:.1f} s = "
          f"{cpu / elapsed:.3f} CPU seconds per second")
    print(f"  fleetsim memory      : RSS {rss_kib / 1024:.0f} MiB (peak {hwm_kib / 1024:.0f} MiB), "
          f"{threads} threads")
    print(f"  stop on SIGTERM      : {stop:.2f} s, exit code {code}")
    return 0 if failed == 0 and code == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
