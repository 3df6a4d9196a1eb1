"""The "Batch throughput" section of docs/benchmarks.md, rendered from benchmarks/results/batch.json
(used by benchmarks/batch.py; `python benchmarks/batch.py --render-only` re-renders it alone).

The section lives between BEGIN and END; other sections are left as they are, and a file without
the markers gets the section appended at its end.
"""

from __future__ import annotations

import statistics
from pathlib import Path
from typing import Any

BEGIN = "<!-- batch:begin -->"
END = "<!-- batch:end -->"

Json = dict[str, Any]


def fmt(x: float) -> str:
    return f"{x:,.0f}" if x >= 100 else f"{x:,.1f}" if x >= 10 else f"{x:.2f}"


def mib(x: float | None) -> str:
    return "–" if x is None else f"{x:,.0f}"


def duration(seconds: float) -> str:
    return f"{seconds:.0f} seconds" if seconds < 90 else f"{seconds / 60:.0f} minutes"


def worker_rss(config: Json) -> str:
    rss = config["peak_rss_mib"]
    if config["workers"] == 1:
        return "– (scores in the driver)"
    low, high = rss["worker_min"], rss["worker_max"]
    span = mib(high) if low is None or round(low) == round(high) else f"{mib(low)}–{mib(high)}"
    pss = rss.get("worker_pss_max")
    return span if pss is None else f"{span} (PSS ≤ {mib(pss)})"


def paragraph(*sentences: str) -> str:
    return " ".join(s for s in sentences if s)


def intro(r: Json) -> list[str]:
    m, v, data = r["machine"], r["versions"], r["input"]
    counts = " and ".join(str(c["workers"]) for c in r["configs"].values())
    repeated = ""
    if data["repeated_rows"]:
        times = data["rows"] / data["source_rows"]
        repeated = (
            f", read {times:.1f} times over: {data['repeated_rows']:,} rows repeat an earlier one, "
            "their ids suffixed -2, -3, …"
        )
    return [
        paragraph(
            f"`{r['cli_command']}` run as a subprocess, end to end, on {r['rows']:,} real comments:",
            "the rows of",
            f"`{data['source']}` ({data['source_rows']:,} rows{repeated}), written as JSONL",
            f'`{{"id", "text"}}` (mean {data["mean_chars"]:.0f} characters).',
            f"Local engine, chunks of {r['chunk_rows']:,} rows, all attributes, no spans;",
            f"{counts} workers, interleaved, {r['repeats']} run{'s' if r['repeats'] > 1 else ''} each.",
            "Wall time is taken by the benchmark from process start to exit, so it includes interpreter",
            "start, model loading in the driver and in every worker, reading, scoring, writing and the",
            "final merge into one Parquet file.",
        ),
        "",
        paragraph(
            f"Machine: {m['usable_cpus']} usable cores ({m['cpu']}), {m['platform']}, Python {m['python']};",
            f"tenor {v['tenor']}, model {v['model']}, pyarrow {v['pyarrow']}; run {r['date_utc']}.",
            f"Reproduce with `python benchmarks/batch.py` (this run: `{r['command']}`,",
            f"{duration(r['wall_seconds'])}); `--rows`, `--repeats`, `--workers` and `--price-per-node-hour`",
            "change the defaults.",
        ),
    ]


def runs_table(r: Json) -> list[str]:
    lines = [
        (
            "| workers | runs (s) | median s | best s | rows/s (median) | rows/s (best) "
            "| peak RSS driver (MiB) | peak RSS per worker (MiB) |"
        ),
        "|---|---|---|---|---|---|---|---|",
    ]
    for c in r["configs"].values():
        s, rate = c["seconds"], c["rows_per_sec"]
        runs = ", ".join(f"{x:.1f}" for x in s["all"])
        lines.append(
            f"| {c['workers']} | {runs} | {s['median']:.1f} | {s['best']:.1f} | {fmt(rate['median'])} | "
            f"{fmt(rate['best'])} | {mib(c['peak_rss_mib']['driver'])} | {worker_rss(c)} |"
        )
    return lines


def bar_sentence(r: Json) -> str:
    b = r["bar"]
    if not b:
        return ""
    verdict = "met" if b["met_by_median"] else "not met"
    where = (
        "measured on a 2-core machine"
        if b["measured_on_2_cores"]
        else f"but this run had {r['machine']['usable_cpus']} usable cores, not the 2 the bar names"
    )
    return (
        f"Issue 7's bar, ≥ {b['threshold']}× throughput from 1 to 2 local workers on the 2-core machine: "
        f"**{verdict}** by medians ({'met' if b['met_by_best'] else 'not met'} by best runs; {where})."
    )


def scaling_lines(r: Json) -> list[str]:
    sentences = [
        f"Scaling 1 → {key} workers: {s['median']:.2f}× by medians "
        f"(efficiency {100 * s['efficiency_median']:.0f}%), {s['best']:.2f}× by best runs "
        f"({100 * s['efficiency_best']:.0f}%)."
        for key, s in r["scaling"].items()
    ]
    return [paragraph(*sentences, bar_sentence(r))]


def notes(r: Json) -> list[str]:
    configs = list(r["configs"].values())
    n_runs = sum(len(c["runs"]) for c in configs)
    identical = (
        f"All {n_runs} runs wrote byte-identical output (OUT and OUT.skipped.jsonl)."
        if r["outputs_identical"]
        else f"**The {n_runs} runs did not all write byte-identical output** (`out_sha256` in the JSON)."
    )
    first = configs[0]["runs"][0]["cli_summary"]
    own_rates = {
        c["workers"]: statistics.median(run["cli_summary"]["rows_per_sec"] for run in c["runs"])
        for c in configs
    }
    cli = ", ".join(f"{fmt(rate)} with {n}" for n, rate in own_rates.items())
    others = {k: v for c in configs for k, v in c["peak_rss_mib"]["others"].items()}
    helpers = "; ".join(f"{k.replace('_', ' ')} {mib(v)} MiB" for k, v in sorted(others.items()))
    loads = [run["loadavg_1min_before"] for c in configs for run in c["runs"]]
    return [
        paragraph(
            identical,
            f"{first['scored']:,} rows scored and {first['skipped']:,} skipped per run.",
            "The rows/s that `tenor batch` reports itself (first chunk to last chunk: process start, the",
            f"driver's model loading and the merge left out), medians: {cli} workers.",
        ),
        "",
        paragraph(
            "Peak RSS is each process's VmHWM, polled from `/proc` every 0.1 s while the run went on.",
            "Forked workers share the driver's model pages, which RSS counts in full for each;",
            "PSS (from `smaps_rollup`, shared pages split among the processes sharing them) is the",
            "memory a worker really adds.",
            "With one worker the driver scores in its own process; with more it reads the input, ships",
            "chunks to the worker processes (forked once the driver has loaded the model) and writes the output.",
            f"Helper processes: {helpers}." if helpers else "",
            f"1-minute load average before the runs: {min(loads):.2f}–{max(loads):.2f}.",
        ),
    ]


def projection_lines(r: Json) -> list[str]:
    p = r["projection"]
    at = p["efficiency_measured_at_workers"]
    price, cores = p["price_per_node_hour_usd"], p["price_cores"]
    exponent = len(str(p["comments"])) - 1
    formula = f"1e{exponent}" if p["comments"] == 10**exponent else f"{p['comments']:,}"
    lines = [
        f"### Projection: {p['comments']:,} comments",
        "",
        paragraph(
            f"hours = {formula} / (r × C × N × e × 3600) for N nodes of C cores, with",
            f"r = {fmt(p['per_core_rows_per_sec'])} rows/s, the median 1-worker rate above (end to end, so a",
            "long run's fixed costs weigh less than here), and",
            f"e = {100 * p['efficiency_assumed']:.0f}%, the efficiency measured with {at} workers;",
            "cost = node-hours × price per node-hour.",
            f"**Assumed, not measured:** that e holds for every core of a node beyond {at}",
            "(16 workers on one machine were not run); that nodes share nothing, so N nodes run N times",
            "as fast as one; and the",
            f"price, {price:.2f} USD per node-hour for an on-demand {cores}-vCPU cloud VM, scaled",
            f"linearly per core ({price / cores:.4f} USD per core-hour) for smaller nodes.",
            "**Unmeasured caveat:** the Ray engine's driver reads the inputs and ships every chunk to its",
            "actors, so that one driver's own throughput caps how many workers it can feed; the local",
            "engine's driver, likewise, reads, stages and merges alone.",
        ),
        "",
        "| cores per node (C) | nodes (N) | hours | node-hours | cost (USD, assumed price) |",
        "|---|---|---|---|---|",
    ]
    for row in p["rows"]:
        lines.append(
            f"| {row['cores_per_node']} | {row['nodes']} | {fmt(row['hours'])} | {fmt(row['node_hours'])} | "
            f"{row['cost_usd']:,.2f} |"
        )
    lines += ["", "With ideal scaling across nodes the cost does not depend on N; only the hours do."]
    return lines


def render_section(r: Json) -> str:
    lines = [
        BEGIN,
        "## Batch throughput (`python benchmarks/batch.py` → `benchmarks/results/batch.json`)",
        "",
        *intro(r),
        "",
        *runs_table(r),
        "",
        *scaling_lines(r),
        "",
        *notes(r),
        "",
        *projection_lines(r),
        END,
    ]
    return "\n".join(lines) + "\n"


def replace_section(text: str, section: str) -> str:
    """`text` with the marked section swapped for `section`, or `section` appended when unmarked."""
    start, end = text.find(BEGIN), text.find(END)
    if start >= 0 and end > start:
        rest = text[end + len(END) :].lstrip("\n")
        return text[:start] + section + ("\n" + rest if rest else "")
    return text.rstrip("\n") + "\n\n" + section


def write_docs(result: Json, docs: Path) -> None:
    docs.write_text(
        replace_section(docs.read_text(encoding="utf-8"), render_section(result)), encoding="utf-8"
    )
