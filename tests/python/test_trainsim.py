"""pytest suite of the trainsim Python package (issue 14), run by tests/python/run.sh.

Every function against the CLI's own output (same file, overrides and seed: the same
numbers, compared exactly, since JSON and CSV carry %.17g), DataFrame shapes and dtypes,
errors as located diagnostics (the whole error corpus), thread-count invariance, and a
memory check: a million samples come back as views of the library's buffer.
"""
import csv
import glob
import io
import json
import math
import os
import re
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

import trainsim

ROOT = os.environ["TRAINSIM_ROOT"]
BIN = os.environ["TRAINSIM_BIN"]
H800 = os.path.join(ROOT, "scenarios", "deepseek-v3-h800.yaml")
QUEBEC = os.path.join(ROOT, "scenarios", "deepseek-v3-h800-quebec.yaml")
H100 = os.path.join(ROOT, "scenarios", "h100-1024-70b-us.yaml")
GRID_ONLY = os.path.join(ROOT, "tests", "plan", "grid-only.yaml")

# tests/plan/grid-only.yaml as Python data.
GRID_ONLY_DICT = {
    "name": "grid intensity only",
    "workload": {"gpu_hours": 96000},
    "cluster": {"accelerator": "H100-SXM", "count": 64},
    "facility": {"pue": 1.2},
    "grid": {"intensity_kg_per_kwh": {"dist": "uniform", "min": 0.1, "max": 0.7}},
    "sim": {"samples": 300},
}


def cli(*args, cwd=None):
    p = subprocess.run([BIN, *args], capture_output=True, text=True, cwd=cwd)
    assert p.returncode == 0, p.stderr
    return p.stdout


def cli_json(*args):
    return json.loads(cli(*args, "--format", "json", "--quiet"))


def same(a, b):
    """Equal as JSON numbers: None stands for a non-finite value."""
    def null(x):
        return x is None or not math.isfinite(x)
    if a is None or b is None:
        return null(a) and null(b)
    return a == b


def assert_stats_equal(got, want):
    """The statistics of one metric equal. The CLI adds "not_modelled" (what to set) to a
    metric no input of which was given (sim/cmd/provenance.c, not in the library): its numbers
    are then null (undetermined) or all 0, and those must match too."""
    want = dict(want)
    if want.pop("not_modelled", None) is not None:
        values = [v for k, v in want.items() if k != "unit"]
        assert all(v is None for v in values) or all(v == 0 for v in values), want
    got = {k: v for k, v in got.items() if k != "not_modelled"}
    assert set(got) == set(want)
    for k in want:
        assert same(got[k], want[k]) if k != "unit" else got[k] == want[k], (k, got[k], want[k])


# ---- run

def test_run_equals_cli_json():
    r = trainsim.run(H800, samples=3000, seed=11, overrides={"cluster.count": 4096}, threads=2)
    want = cli_json("run", H800, "--set", "cluster.count=4096", "--samples", "3000", "--seed", "11")
    got = r.to_dict()
    # "scenario" is left out: with --set the CLI names the run as run ("FILE with --set ...",
    # sim/cmd/provenance.c, the tool layer); the library keeps the scenario's name.
    for key in ("file", "seed", "samples", "nominal", "step_min", "unfinished_samples"):
        assert got[key] == want[key], key
    assert list(got["metrics"]) == list(want["metrics"])
    for m in want["metrics"]:
        assert_stats_equal(got["metrics"][m], want["metrics"][m])
    json.dumps(got)  # plain data


def test_summary_shape_and_dtypes():
    r = trainsim.run(H800, samples=200)
    s = r.summary
    table = trainsim.metrics()
    assert list(s.index) == list(table.index)           # every metric of core/result.c, in order
    assert s.index.name == "metric"
    assert list(s.columns) == ["unit", "mean", "sd", "min", "max", "p5", "p50", "p95"]
    assert s["unit"].tolist() == table["unit"].tolist()
    assert all(s[c].dtype == np.float64 for c in s.columns[1:])
    assert s.loc["wall_days", "unit"] == "days"
    assert s.loc["wall_days", "min"] <= s.loc["wall_days", "p50"] <= s.loc["wall_days", "max"]


def test_samples_equal_cli_samples_out(tmp_path):
    out = tmp_path / "s.csv"
    cli("run", H800, "--samples", "500", "--seed", "3", "--samples-out", str(out), "-o", os.devnull)
    want = pd.read_csv(out, float_precision="round_trip").set_index("sample")
    r = trainsim.run(H800, samples=500, seed=3)
    got = r.samples
    assert got.shape == (500, len(r.inputs) + len(r.metrics))
    assert list(got.columns) == list(want.columns) == r.inputs + r.metrics
    assert got.index.name == "sample" and list(got.index) == list(range(500))
    assert (got.dtypes == np.float64).all()
    assert r.inputs and all("." in p for p in r.inputs)   # uncertain inputs as key paths
    np.testing.assert_array_equal(got.to_numpy(), want.to_numpy())
    np.testing.assert_array_equal(r.metric("wall_days"), want["wall_days"].to_numpy())
    np.testing.assert_array_equal(r.input("facility.pue"), want["facility.pue"].to_numpy())


def test_thread_count_does_not_change_numbers():
    a = trainsim.run(H800, samples=400, threads=1)
    b = trainsim.run(H800, samples=400, threads=2)
    np.testing.assert_array_equal(a.values, b.values)
    pd.testing.assert_frame_equal(a.summary, b.summary)


def test_nominal_equals_cli():
    r = trainsim.run(H800, nominal=True)
    want = cli_json("run", H800, "--nominal")
    assert r.n_samples == 1 and r.nominal and r.to_dict()["nominal"] is True
    for m in want["metrics"]:
        assert_stats_equal(r.to_dict()["metrics"][m], want["metrics"][m])


def test_dict_and_yaml_text_scenarios_equal_the_file():
    want = cli_json("run", GRID_ONLY, "--samples", "700")
    from_dict = trainsim.run(GRID_ONLY_DICT, samples=700)
    with open(GRID_ONLY, encoding="utf-8") as f:
        from_text = trainsim.run(trainsim.Scenario.from_yaml(f.read(), samples=700))
    for r in (from_dict, from_text):
        assert r.scenario == want["scenario"]
        for m in want["metrics"]:
            assert_stats_equal(r.to_dict()["metrics"][m], want["metrics"][m])
    assert from_dict.file == "<dict>" and from_text.file == "<string>"


def test_override_forms_and_scenario_object():
    sc = trainsim.Scenario(H800, ["cluster.count=1024"], samples=100, seed=5)
    assert (sc.name, sc.samples, sc.seed) == (
        "DeepSeek-V3 pre-training on 2,048 H800 SXM (realistic)", 100, 5)
    assert sc.overrides == ["cluster.count=1024", "sim.samples=100", "sim.seed=5"]
    a = sc.run()
    b = trainsim.run(H800, samples=100, seed=5, overrides={"cluster.count": np.int64(1024)})
    np.testing.assert_array_equal(a.values, b.values)
    # Values: YAML text for str, exact numbers, JSON for the rest (a distribution here).
    c = trainsim.run(H800, samples=100, overrides={"facility.pue": {"dist": "uniform", "min": 1.1, "max": 1.2},
                                                 "grid.region": "CA-QC"})
    assert c.input("facility.pue").max() <= 1.2
    assert sc.variant({"cluster.count": 2048}).overrides[-1] == "cluster.count=2048"


# ---- errors

def test_bad_override_is_a_located_diagnostic():
    with pytest.raises(trainsim.ScenarioError) as e:
        trainsim.run(H800, overrides={"cluster.count": 0})
    [d] = e.value.errors
    assert (d.severity, d.file, d.line, d.column, d.path) == ("error", "<command line>", 1, 15, "cluster.count")
    assert d.message == "0 is outside the valid range [1, 1e+07]"
    assert str(d) == "<command line>:1:15: error: cluster.count: 0 is outside the valid range [1, 1e+07]"
    assert isinstance(e.value, ValueError)


def test_failed_set_leaves_the_scenario_unchanged():
    sc = trainsim.Scenario(H800, samples=50)
    with pytest.raises(trainsim.ScenarioError) as e:
        sc.set({"cluster.count": -1, "facility.pue": 0.5})
    assert [d.path for d in e.value.errors] == ["cluster.count", "facility.pue"]  # every error, not the first
    assert sc.overrides == ["sim.samples=50"] and sc.samples == 50
    sc.set({"sim.samples": 60})
    assert sc.run().n_samples == 60


def test_dict_errors_have_lines_in_the_json_text():
    bad = dict(GRID_ONLY_DICT, cluster={"accelerator": "H100-SXM", "count": 64, "cout": 1})
    with pytest.raises(trainsim.ScenarioError) as e:
        trainsim.run(bad)
    [d] = e.value.errors
    assert d.file == "<dict>" and d.line > 1 and d.path == "cluster"
    assert d.message.startswith("unknown key 'cout'")


def test_not_a_scenario():
    with pytest.raises(TypeError):
        trainsim.run(42)
    with pytest.raises(trainsim.ScenarioError) as e:
        trainsim.run("no/such/file.yaml")
    assert "cannot open 'no/such/file.yaml'" in e.value.errors[0].message


def test_warnings_are_python_warnings():
    doc = {k: v for k, v in GRID_ONLY_DICT.items() if k != "facility"}
    with pytest.warns(trainsim.ScenarioWarning, match="facility.pue not given"):
        trainsim.run(doc, samples=10)


DIAG_LINE = re.compile(r"^(?:\S.*: )?(error|warning|note): ")
EXCERPT = re.compile(r"^ *[0-9]* \| ")
SUMMARY = re.compile(r"^trainsim: \d+ errors? in ")


def error_cases():
    for stderr in sorted(glob.glob(os.path.join(ROOT, "tests", "errors", "*.stderr"))):
        case = stderr[:-len(".stderr")]
        if not os.path.exists(case + ".args") and os.path.exists(case + ".yaml"):
            yield os.path.basename(case)


@pytest.mark.parametrize("case", list(error_cases()))
def test_error_corpus_diagnostics_equal_the_cli(case, monkeypatch):
    """Every error case of tests/errors (run as `check CASE.yaml`): the same messages,
    in the same order, as the CLI's standard error without excerpts and summary."""
    folder = os.path.join(ROOT, "tests", "errors")
    with open(os.path.join(folder, case + ".stderr"), encoding="utf-8", errors="replace") as f:
        want = [line.rstrip("\n") for line in f
                if not EXCERPT.match(line) and not SUMMARY.match(line) and line.strip()]
    monkeypatch.chdir(folder)
    with pytest.raises(trainsim.ScenarioError) as e:
        trainsim.Scenario(case + ".yaml")
    assert [str(d) for d in e.value.diagnostics] == want
    for d in e.value.errors:
        if d.path:
            assert not d.message.startswith(d.path)


# ---- planning

def test_sweep_equals_cli_sweep():
    df = trainsim.sweep(H800, {"cluster.count": [1024, 2048, 4096]}, samples=300, seed=2)
    want = cli_json("sweep", H800, "--vary", "cluster.count=1024,2048,4096", "--samples", "300", "--seed", "2")
    n_metrics = len(trainsim.metrics())
    assert df.shape[0] == 3 * n_metrics
    assert list(df.columns[:3]) == ["cluster.count", "metric", "unit"]
    assert df["cluster.count"].dtype == np.int64
    for point in want["points"]:
        count = point["values"]["cluster.count"]
        for m, stats in point["metrics"].items():
            row = df[(df["cluster.count"] == count) & (df["metric"] == m)].iloc[0]
            assert_stats_equal({k: row[k] for k in stats if k != "not_modelled"}, stats)
        assert (df[df["cluster.count"] == count]["unfinished_samples"] == point["unfinished_samples"]).all()
    # The grid: the last path varies fastest, as --vary does.
    grid = trainsim.sweep(GRID_ONLY, {"cluster.count": [64, 128], "facility.pue": [1.1, 1.3]}, samples=20,
                          metrics="wall_days")
    assert grid[["cluster.count", "facility.pue"]].values.tolist() == [[64, 1.1], [64, 1.3], [128, 1.1], [128, 1.3]]
    points = trainsim.sweep(GRID_ONLY, [{"cluster.count": 64}, {"cluster.count": 256}], samples=20,
                            metrics=["wall_days"])
    assert points["cluster.count"].tolist() == [64, 256]
    assert points["p50"].iloc[0] > points["p50"].iloc[1] * 3.9   # 4x the GPUs, about 1/4 the days


def test_sweep_errors():
    with pytest.raises(trainsim.ScenarioError) as e:
        trainsim.sweep(GRID_ONLY, {"cluster.count": [64, 0]}, samples=10)
    assert e.value.errors[0].path == "cluster.count"
    with pytest.raises(ValueError, match="unknown metric"):
        trainsim.sweep(GRID_ONLY, {"cluster.count": [64]}, metrics="wall_dayz")


def test_compare_equals_cli_compare():
    df = trainsim.compare(H800, QUEBEC, samples=400, seed=4)
    want = cli_json("compare", H800, QUEBEC, "--samples", "400", "--seed", "4")
    assert list(df.columns[:3]) == ["metric", "unit", "scenario"] and df.columns[-1] == "p_a_less"
    assert df.shape[0] == 3 * len(trainsim.metrics())
    for m, w in want["metrics"].items():
        rows = df[df["metric"] == m]
        assert rows["scenario"].tolist() == want["scenarios"] + ["difference 2-1"]
        for k, stats in enumerate(w["stats"]):
            assert_stats_equal({s: rows.iloc[k][s] for s in stats if s != "not_modelled"}, stats)
        diff = w["difference"]
        assert_stats_equal({s: rows.iloc[2][s] for s in diff if s != "not_modelled"}, diff)
        assert same(rows.iloc[2]["p_a_less"], w["p_a_less"])
        assert rows.iloc[:2]["p_a_less"].isna().all()


def test_compare_pairs_on_the_first_scenarios_samples_and_seed():
    # Same file twice, the second with other samples and seed: forced to the first's, so
    # the paired difference of an unchanged scenario is exactly zero.
    a = trainsim.Scenario(GRID_ONLY, samples=50, seed=9)
    df = trainsim.compare(a, trainsim.Scenario(GRID_ONLY, samples=80, seed=1), names=["a", "b"], metrics="co2e_kg")
    diff = df[df["scenario"] == "difference 2-1"].iloc[0]
    assert diff["min"] == diff["max"] == 0 and diff["p_a_less"] == 0


def test_sensitivity_equals_cli_spearman():
    df = trainsim.sensitivity(H800, samples=300, seed=6)
    want = cli_json("sensitivity", H800, "--samples", "300", "--seed", "6", "--sobol-samples", "8")
    assert list(df.columns) == ["metric", "input", "spearman", "abs_spearman"]
    assert df["spearman"].dtype == np.float64
    checked = 0
    for m, entry in want.items():   # metric -> {"inputs": [...]}; other keys are metadata
        if m not in trainsim.metrics().index:
            continue
        for inp in entry["inputs"]:
            if inp.get("uncertain") is False:
                continue   # fixed inputs (elasticities only): no per-sample values, no Spearman
            got = df[(df["metric"] == m) & (df["input"] == inp["path"])]["spearman"].iloc[0]
            assert got == inp["spearman"], (m, inp["path"])
            checked += 1
    assert checked == 4 * 5
    top = df[df["metric"] == "wall_days"].iloc[0]
    assert top["input"] == "reliability.failures_per_1000_node_days"


def test_solve_equals_cli_json():
    args = ["--vary", "cluster.count", "--target", "wall_days.p90<=30", "--step", "64", "--min", "1024",
            "--max", "16384", "--samples", "100"]
    want = cli_json("solve", H100, *args)
    df = trainsim.solve(H100, "cluster.count", "wall_days.p90<=30", step=64, min=1024, max=16384, samples=100,
                        threads=2)
    assert list(df.columns) == ["cluster.count", "stat", "met", "censored", "answer", "neighbour"]
    assert [str(t) for t in df.dtypes] == ["int64", "float64", "bool", "bool", "bool", "bool"]
    assert df.shape == (len(want["evaluations"]), 6)
    for row, e in zip(df.itertuples(index=False), want["evaluations"]):
        assert (row[0], row.stat, row.met, row.censored) == (e["value"], e["stat"], e["met"], e["censored"])
    a = df.attrs
    for key in ("answer", "met", "neighbour", "monotone", "largest", "step", "message", "target", "vary"):
        assert a[key] == want[key], key
    assert list(a["range"]) == want["range"]
    assert a["answer"] == 7616 and isinstance(a["answer"], int)
    assert df.loc[df["answer"], "cluster.count"].tolist() == [7616]
    assert df.loc[df["neighbour"], "cluster.count"].tolist() == [7552]
    assert df["cluster.count"].is_monotonic_increasing


def test_solve_by_hand_unreachable_largest_and_floats():
    # 96,000 GPU-h / (count x 24 h) <= 10 days first holds at count = 400 exactly.
    df = trainsim.solve(GRID_ONLY, "cluster.count", "wall_days.mean<=10", samples=5)
    assert (df.attrs["answer"], df.attrs["neighbour"], df.attrs["range"]) == (400, 399, (8, 4096))
    assert df.loc[df["answer"], "stat"].iloc[0] == 10
    none = trainsim.solve(GRID_ONLY_DICT, "cluster.count", "wall_days.mean<=0.001", min=8, max=16, samples=5)
    assert none.attrs["answer"] is None and none.attrs["neighbour"] is None and not none["answer"].any()
    assert none.attrs["message"] == "unreachable: the target wall_days.mean<=0.001 is not met anywhere in [8, 16]"
    # A float key, largest: the CLI's numbers again.
    df = trainsim.solve(GRID_ONLY, "facility.pue", "co2e_kg.p90<=100000", largest=True, samples=40)
    want = cli_json("solve", GRID_ONLY, "--vary", "facility.pue", "--target", "co2e_kg.p90<=100000", "--largest",
                    "--samples", "40")
    assert df["facility.pue"].dtype == np.float64
    assert df["facility.pue"].tolist() == [e["value"] for e in want["evaluations"]]
    assert df["stat"].tolist() == [e["stat"] for e in want["evaluations"]]
    assert df.attrs["answer"] == want["answer"] and df.attrs["message"] == want["message"]


def test_solve_errors():
    with pytest.raises(trainsim.ScenarioError) as e:
        trainsim.solve(GRID_ONLY, "cluster.count", "wall_days.p90<30", samples=5)
    assert "'<' is not allowed" in e.value.errors[0].message
    with pytest.raises(trainsim.ScenarioError, match="unknown metric 'wall_dayz' \\(did you mean 'wall_days'\\?\\)"):
        trainsim.solve(GRID_ONLY, "cluster.count", "wall_dayz.mean<=1", samples=5)
    with pytest.raises(trainsim.ScenarioError, match="no default range"):
        trainsim.solve(GRID_ONLY, "sim.seed", "wall_days.mean<=1", samples=5)
    with pytest.raises(trainsim.ScenarioError) as e:   # an end of the range that does not load
        trainsim.solve(GRID_ONLY, "cluster.count", "wall_days.mean<=1", min=0, max=10, step=1, samples=5)
    assert e.value.errors[0].path == "cluster.count" and e.value.errors[0].file == "<command line>"


def test_sensitivity_full_equals_cli_json():
    keys = ["total_co2e_kg", "wall_days"]
    df = trainsim.sensitivity(H800, samples=200, seed=6, metrics=keys, sobol_samples=40, threads=2)
    want = cli_json("sensitivity", H800, "--samples", "200", "--seed", "6", "--sobol-samples", "40",
                    "--metric", "total_co2e_kg", "--metric", "wall_days")
    assert list(df.columns[:4]) == ["metric", "input", "spearman", "abs_spearman"]
    assert df["uncertain"].dtype == bool
    assert all(df[c].dtype == np.float64 for c in df.columns if c not in ("metric", "input", "uncertain"))
    assert df.attrs["sobol_samples"] == 40 and df.attrs["samples"] == 200 and df.attrs["n_uncertain"] == 5
    base = trainsim.run(H800, samples=200, seed=6)
    for m in keys:
        rows = df[df["metric"] == m]
        inputs = want[m]["inputs"]
        assert rows["input"].tolist() == [inp["path"] for inp in inputs]   # the CLI's ranking
        for (_, row), inp in zip(rows.iterrows(), inputs):
            for key in ("spearman", "tornado_low", "tornado_high", "sobol_first", "sobol_total", "input_p5",
                        "input_p95", "elasticity", "at_minus_10pct", "at_plus_10pct"):
                assert same(row[key], inp[key]), (m, inp["path"], key)
            for key in ("sobol_first", "sobol_total"):
                assert same(row[key + "_lo"], inp[key + "_ci"][0]) and same(row[key + "_hi"], inp[key + "_ci"][1])
            assert row["uncertain"] == inp["uncertain"]
        assert (rows["metric_mean"] == base.summary.loc[m, "mean"]).all()
    # The default (Spearman only) is what it was.
    assert list(trainsim.sensitivity(H800, samples=50).columns) == ["metric", "input", "spearman", "abs_spearman"]


def test_sensitivity_errors():
    with pytest.raises(ValueError, match="unknown metric"):
        trainsim.sensitivity(GRID_ONLY, metrics="wall_dayz", full=True)
    with pytest.raises(trainsim.ScenarioError):
        trainsim.sensitivity(GRID_ONLY, overrides={"cluster.count": 0}, full=True)


# ---- memory, lifetime, loading

def rss_bytes():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def test_a_million_samples_are_views_not_copies():
    n = 1_000_000
    r = trainsim.run(GRID_ONLY, samples=n, threads=2)
    buffer_bytes = r.values.size * 8
    assert r.values.shape == (n, len(r.columns)) and buffer_bytes >= n * 17 * 8
    before = rss_bytes()
    df = r.samples
    series = [df[c] for c in df.columns]
    arrays = [r.metric(m) for m in r.metrics]
    grew = rss_bytes() - before
    assert grew < buffer_bytes / 20, f"the DataFrame took {grew} bytes for a {buffer_bytes}-byte buffer"
    for s in series:
        assert np.shares_memory(s.to_numpy(), r.values)
    for a in arrays:
        assert np.shares_memory(a, r.values)
    # The arrays keep the library's buffer alive after the Result is gone.
    wall = r.metric("wall_days")
    mean = r.summary.loc["wall_days", "mean"]
    del r, df, series, arrays
    assert wall.mean() == pytest.approx(mean, rel=1e-12)


def test_metrics_table_is_the_librarys():
    t = trainsim.metrics()
    assert t.index[0] == "wall_days" and t.loc["wall_days", "unit"] == "days"
    assert t.columns.tolist() == ["unit", "label"]
    assert "cost_usd" in t.index


def test_library_lookup(tmp_path):
    env = dict(os.environ, TRAINSIM_LIB=str(tmp_path / "nothing.so"))
    p = subprocess.run([sys.executable, "-c", "import trainsim"], env=env, capture_output=True, text=True,
                       cwd=str(tmp_path))
    assert p.returncode != 0 and "TRAINSIM_LIB" in p.stderr
    env = {k: v for k, v in os.environ.items() if k != "TRAINSIM_LIB"}
    p = subprocess.run([sys.executable, "-c", "import trainsim; print(trainsim.__version__, trainsim._lib.lib._name)"],
                       env=env, capture_output=True, text=True, cwd=str(tmp_path))
    assert p.returncode == 0, p.stderr
    version, path = p.stdout.split()
    assert version == cli("--version").split()[1]
    assert os.path.dirname(path) == os.path.dirname(trainsim.__file__)   # the copy inside the package
