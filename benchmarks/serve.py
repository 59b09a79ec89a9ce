"""Load test of ``tokko serve``: one uvicorn worker, concurrent clients posting a 10-item
declaration to ``POST /api/v1/calculate`` over the loopback interface, for a bounded time.

    python benchmarks/serve.py                     # 32 clients for 20 s (after 2 s of warm-up)
    python benchmarks/serve.py --clients 8 --seconds 5
    python benchmarks/serve.py --profile prof.out  # the server under cProfile, then its top

The server is ``tokko serve`` itself (its access log on, as deployed; sent to a file), started
in a child process on a free port of 127.0.0.1 and stopped at the end; nothing but loopback is
touched. The clients are a small asyncio HTTP/1.1 client with keep-alive connections (one per
client, each sending its next request when the answer came), so that the client costs little of
the machine's CPU beside the server. Every answer is checked: status 200 and a JSON result whose
measure is the library's own for the declaration; anything else counts as an error.

Prints requests per second, latency percentiles and the error count as one JSON line, and
whether the goal of issue 17 is met: at least 300 requests/s with p99 at most 100 ms and no
error. Nothing here is a test: it prints figures for a closing note.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import pstats
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

GOAL_RPS = 300
GOAL_P99_MS = 100

DECLARATION: dict[str, Any] = {
    "entity_code": "011002",
    "fiscal_year": "R3",
    "agreements": [
        {"agreement_id": "K1", "concluded_on": "2021-06-01", "parties": ["010006", "011002"]}
    ],
    "items": [
        {
            "item_id": str(n),
            "description": "AI-OCRによる申請書の読取",
            "technology": ["AI", "RPA", "AI-OCR", "AI+RPA", "IoT"][n % 5],
            "business_area": ["会計事務", "住民記録", "文書管理", "議事録作成", ""][n % 5],
            "expense_kind": ["導入・構築", "license", "研修", "機器購入", "consulting"][n % 5],
            "amount": f"{(n + 1) * 123_000:,}",
            "specific_revenue": 10_000 * (n % 3),
            "procurement": "共同" if n == 3 else "単独",
            "agreement_id": "K1" if n == 3 else None,
            "introduced_in": "R3" if n % 5 == 1 else None,
        }
        for n in range(10)
    ],
}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _server(port: int, log: Path, profile: Path | None) -> subprocess.Popen[bytes]:
    serve = ["-m", "tokko", "serve", "--host", "127.0.0.1", "--port", str(port)]
    command = [sys.executable, *(["-m", "cProfile", "-o", str(profile)] if profile else []), *serve]
    environment = {k: v for k, v in os.environ.items() if k not in ("TOKKO_TOKEN",)}
    with log.open("wb") as stream:
        return subprocess.Popen(command, stdout=stream, stderr=subprocess.STDOUT, env=environment)


def _wait(url: str, process: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server stopped (exit {process.returncode})")
        try:
            with urllib.request.urlopen(url + "healthz", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("the server did not answer /healthz in time")


def _expected(url: str, body: bytes) -> str:
    request = urllib.request.Request(
        url + "api/v1/calculate", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        measure: str = json.loads(answer.read())["declarations"][0]["totals"]["measure"]
        return measure


class Tally:
    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.errors = 0
        self.counting = False


async def _client(port: int, request: bytes, expected: bytes, stop: float, tally: Tally) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while time.monotonic() < stop:
            started = time.perf_counter()
            writer.write(request)
            ok = False
            try:
                head = await reader.readuntil(b"\r\n\r\n")
                status = head[9:12]
                length = 0
                for line in head.split(b"\r\n")[1:]:
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value)
                body = await reader.readexactly(length)
                ok = status == b"200" and expected in body
            except (asyncio.IncompleteReadError, ConnectionError):
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
            elapsed = time.perf_counter() - started
            if tally.counting:
                if ok:
                    tally.latencies.append(elapsed)
                else:
                    tally.errors += 1
    finally:
        writer.close()


async def _load(
    port: int, body: bytes, expected: str, clients: int, warm: float, seconds: float
) -> tuple[Tally, float]:
    request = (
        b"POST /api/v1/calculate HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/json\r\nContent-Length: "
        + str(len(body)).encode()
        + b"\r\n\r\n"
        + body
    )
    marker = f'"measure":"{expected}"'.encode()
    tally = Tally()
    stop = time.monotonic() + warm + seconds
    tasks = [
        asyncio.create_task(_client(port, request, marker, stop, tally)) for _ in range(clients)
    ]
    await asyncio.sleep(warm)
    tally.counting = True
    started = time.monotonic()
    await asyncio.gather(*tasks)
    return tally, time.monotonic() - started


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--warm", type=float, default=2.0, help="seconds not counted, first")
    parser.add_argument("--profile", type=Path, help="run the server under cProfile to FILE")
    options = parser.parse_args()
    if not 1 <= options.clients <= 256 or not 0 < options.seconds <= 600:
        raise SystemExit("--clients 1..256 and --seconds up to 600, please")
    body = json.dumps(DECLARATION, ensure_ascii=False).encode()
    port = _free_port()
    url = f"http://127.0.0.1:{port}/"
    with tempfile.TemporaryDirectory() as folder:
        log = Path(folder) / "server.log"
        process = _server(port, log, options.profile)
        try:
            _wait(url, process)
            expected = _expected(url, body)
            tally, elapsed = asyncio.run(
                _load(port, body, expected, options.clients, options.warm, options.seconds)
            )
        finally:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
        logged = sum(
            1
            for line in log.read_text(errors="replace").splitlines()
            if '"POST /api/v1/calculate"' in line
        )
    done = len(tally.latencies)
    figures = {
        "clients": options.clients,
        "seconds": round(elapsed, 1),
        "requests": done,
        "errors": tally.errors,
        "requests_per_second": round(done / elapsed, 1),
        "p50_ms": round(_percentile(tally.latencies, 0.50) * 1000, 1) if done else None,
        "p90_ms": round(_percentile(tally.latencies, 0.90) * 1000, 1) if done else None,
        "p99_ms": round(_percentile(tally.latencies, 0.99) * 1000, 1) if done else None,
        "max_ms": round(max(tally.latencies) * 1000, 1) if done else None,
        "mean_ms": round(statistics.fmean(tally.latencies) * 1000, 1) if done else None,
        "log_lines": logged,
        "cpus": os.cpu_count(),
    }
    figures["goal_met"] = bool(
        done
        and figures["requests_per_second"] >= GOAL_RPS
        and figures["p99_ms"] <= GOAL_P99_MS
        and not tally.errors
    )
    print(json.dumps(figures))
    if options.profile:
        pstats.Stats(str(options.profile)).sort_stats("cumulative").print_stats(30)


if __name__ == "__main__":
    main()
