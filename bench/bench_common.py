"""Small helpers shared by bench/run.py and the section modules beside it (log lines, percentiles)."""

from __future__ import annotations

import math
from datetime import datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
LUA = BENCH / "lua"


def log(message: str) -> None:
    print(f"[bench {datetime.now().strftime('%H:%M:%S')}] {message}", flush=True)


def percentiles(values: list[float]) -> dict:
    if not values:
        return {}

    def pct(p: float) -> float:
        return round(values[min(len(values) - 1, int(math.ceil(p / 100 * len(values))) - 1)], 1)

    return {"p50_ms": pct(50), "p90_ms": pct(90), "p99_ms": pct(99), "max_ms": round(values[-1], 1)}
