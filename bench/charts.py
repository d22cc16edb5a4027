"""PNG charts of a results file (issue 22), drawn with matplotlib's Agg backend (no display needed).

Written beside the results as ``bench/results/<run>-<chart>.png``; small on purpose (a few tens of KB):
- ``latency``: latency against offered load (section e2e): POST and both consumers, p50 and p99;
- ``growth``: POST and list p99 at each activities table size, and the batch's PostgreSQL CPU per batch
  from an empty table vs a filled one (section growth);
- ``pairs``: the A/B pairs of section post, candidate / baseline req/s per pair.
"""

from __future__ import annotations

from pathlib import Path

CHARTS = ("latency", "growth", "pairs")
SIZE = (6.4, 3.6)
DPI = 80


def _plt():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def plt_null():
    from matplotlib.ticker import NullFormatter

    return NullFormatter()


def latency(results: dict, ax) -> bool:
    levels = (results.get("e2e") or {}).get("levels")
    if not levels:
        return False
    x = [lv["target_rps"] for lv in levels]
    series = (
        ("POST", lambda lv: lv["post"], "tab:gray"),
        ("evaluation", lambda lv: lv["evaluation-service"], "tab:blue"),
        ("notification", lambda lv: lv["notification-service"], "tab:orange"),
    )
    for name, pick, colour in series:
        ax.plot(x, [pick(lv).get("p50_ms") for lv in levels], "o-", color=colour, label=f"{name} p50")
        ax.plot(x, [pick(lv).get("p99_ms") for lv in levels], "s--", color=colour, label=f"{name} p99")
    for limit in (100, 500):
        ax.axhline(limit, color="tab:red", linewidth=0.6, linestyle=":")
    maximum = results["e2e"].get("max_sustainable_rps")
    ax.set_title(f"Latency against offered load (sustainable max {maximum:,.0f} req/s)", fontsize=10)
    ax.set_xlabel("offered POST req/s (25/50/75/90 % of max)")
    ax.set_ylabel("ms")
    ax.set_ylim(bottom=0)
    ax.legend(fontsize=7, ncol=3, loc="upper left")
    return True


def growth(results: dict, axes) -> bool:
    g = results.get("growth") or {}
    if not g.get("sizes") and not g.get("batch_ratios"):
        return False
    left, right = axes
    if g.get("sizes"):
        rows = [s["activities"] for s in g["sizes"]]
        left.plot(rows, [s["post"]["p99_ms"] for s in g["sizes"]], "o-", label="POST p99")
        left.plot(rows, [s["list"]["p99_ms"] for s in g["sizes"]], "s-", label="month list p99")
        left.set_xscale("log")
        left.xaxis.set_minor_formatter(plt_null())
        left.set_xlabel("activities in the table")
        left.set_ylabel("ms (32 clients)")
        left.set_ylim(bottom=0)
        left.legend(fontsize=7)
        left.set_title("p99 as the table grows", fontsize=10)
    if g.get("batch_ratios"):
        clients = [str(r["clients"]) for r in g["batch_ratios"]]
        empty = [r["pg_cpu_ms_per_batch"][0] or 0 for r in g["batch_ratios"]]
        filled = [r["pg_cpu_ms_per_batch"][1] or 0 for r in g["batch_ratios"]]
        pos = range(len(clients))
        right.bar([p - 0.2 for p in pos], empty, 0.4, label="empty table")
        right.bar([p + 0.2 for p in pos], filled, 0.4, label="filled table")
        right.set_xticks(list(pos), clients)
        right.set_xlabel("clients")
        right.set_ylabel("PostgreSQL CPU ms per batch of 50")
        right.legend(fontsize=7)
        right.set_title("batch: empty vs filled", fontsize=10)
    return True


def pairs(results: dict, ax) -> bool:
    post = results.get("post") or {}
    ratios = post.get("pair_ratios")
    if not ratios:
        return False
    ax.bar([str(i + 1) for i in range(len(ratios))], ratios, color="tab:blue")
    ax.axhline(1.0, color="tab:red", linewidth=0.8, linestyle=":")
    ax.set_title(f"POST one activity / baseline, per A/B pair (median {post.get('median_ratio')})", fontsize=10)
    ax.set_xlabel("pair")
    ax.set_ylabel("req/s ratio")
    return True


def draw(results: dict, stem: str, out_dir: Path) -> list[Path]:
    """Draw every chart the results have data for; return the files written."""
    plt = _plt()
    written = []
    for name in CHARTS:
        if name == "growth":
            fig, axes = plt.subplots(1, 2, figsize=(SIZE[0] * 1.4, SIZE[1]))
            ok = growth(results, axes)
        else:
            fig, ax = plt.subplots(figsize=SIZE)
            ok = globals()[name](results, ax)
        if ok:
            fig.tight_layout()
            path = out_dir / f"{stem}-{name}.png"
            fig.savefig(path, dpi=DPI)
            written.append(path)
        plt.close(fig)
    return written


def markdown_lines(paths: list[Path], readme_dir: Path) -> list[str]:
    if not paths:
        return []
    return [f"![{p.stem.rsplit('-', 1)[1]}]({p.relative_to(readme_dir).as_posix()})" for p in paths] + [""]
