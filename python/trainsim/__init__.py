"""trainsim for notebooks: run training-run scenarios and get pandas DataFrames back.

    import trainsim
    r = trainsim.run("scenarios/deepseek-v3-h800.yaml", samples=10_000,
                     overrides={"cluster.count": 4096})
    r.summary                  # metric x statistic, with a unit column
    r.samples                  # one row per sample: the uncertain inputs, then the metrics
    r.to_dict()                # the numbers of `trainsim run --format json`

A scenario is a path, a dict (the YAML document as Python data), or a Scenario. The
numbers are the CLI's: the same file, overrides and seed give the same values. This is a
thin layer over libtrainsim.so (sim/trainsim.h) through ctypes: the per-sample arrays are
the library's own buffers, viewed by numpy without a copy.
"""
import itertools
import json
import numbers
import os
import warnings
from dataclasses import dataclass
from typing import Optional

import numpy as np
import pandas as pd

from . import _lib
from ._lib import lib, string_array, text

__all__ = ["run", "sweep", "compare", "solve", "sensitivity", "Scenario", "Result", "Diagnostic", "ScenarioError",
           "ScenarioWarning", "metrics", "__version__"]

__version__ = text(lib.trainsim_version())

_SEVERITY = {0: "error", 1: "warning", 2: "note"}

# The metrics `sensitivity` ranks unless told otherwise (the CLI's defaults).
_SENSITIVITY_METRICS = ("wall_days", "facility_energy_kwh", "total_co2e_kg", "cost_usd")


@dataclass(frozen=True)
class Diagnostic:
    """One located message, as the CLI prints it: FILE:LINE:COL: SEVERITY: PATH: MESSAGE."""
    severity: str               # "error", "warning" or "note"
    file: Optional[str]         # None without a location; "<command line>" for an override
    line: int                   # 1-based; 0 when unknown
    column: int
    path: Optional[str]         # key path, e.g. "cluster.count"; None when the message names none
    message: str

    def __str__(self):
        where = "trainsim"
        if self.file and self.line:
            where = f"{self.file}:{self.line}:{self.column}"
        elif self.file:
            where = self.file
        body = f"{self.path}: {self.message}" if self.path else self.message
        return f"{where}: {self.severity}: {body}"


class ScenarioError(ValueError):
    """The scenario (or an override) is invalid. .diagnostics holds every message found."""

    def __init__(self, diagnostics):
        self.diagnostics = list(diagnostics)
        self.errors = [d for d in self.diagnostics if d.severity == "error"]
        super().__init__("\n".join(str(d) for d in self.diagnostics) or "invalid scenario")


class ScenarioWarning(UserWarning):
    """A warning about a scenario (the CLI prints these on standard error)."""


def metrics():
    """The metrics every run reports: a DataFrame of key, unit and label."""
    rows = [(text(lib.trainsim_metric_key(m)), text(lib.trainsim_metric_unit(m)), text(lib.trainsim_metric_label(m)))
            for m in range(lib.trainsim_n_metrics())]
    return pd.DataFrame(rows, columns=["metric", "unit", "label"]).set_index("metric")


# ---- Scenarios

def _yaml_value(v):
    """The YAML text of an override's value: a str is YAML text as after --set PATH=,
    numbers and booleans are written exactly, anything else as JSON (valid YAML)."""
    if isinstance(v, str):
        return v
    if isinstance(v, (bool, np.bool_)):
        return "true" if v else "false"
    if isinstance(v, numbers.Integral):
        return str(int(v))
    if isinstance(v, numbers.Real):
        return repr(float(v))
    return json.dumps(v, default=str)


def _override_strings(overrides):
    """"PATH=VALUE" strings from a dict {path: value}, or a list of such strings."""
    if not overrides:
        return []
    if isinstance(overrides, dict):
        return [f"{k}={_yaml_value(v)}" for k, v in overrides.items()]
    if isinstance(overrides, str):
        return [overrides]
    return [str(s) for s in overrides]


def _run_sets(samples, seed):
    sets = []
    if samples is not None:
        sets.append(f"sim.samples={_yaml_value(samples)}")
    if seed is not None:
        sets.append(f"sim.seed={_yaml_value(seed)}")
    return sets


class Scenario:
    """A loaded, validated scenario.

    source: a path (str or os.PathLike), or a dict holding the scenario document. YAML text
    goes through Scenario.from_yaml(). overrides: {"cluster.count": 4096, ...} or
    ["cluster.count=4096", ...], applied as the CLI's --set; samples and seed set
    sim.samples and sim.seed. configs: a folder of catalogs (the CLI's --configs; default
    $TRAINSIM_CONFIGS, else the built-in ones). Raises ScenarioError when invalid.
    """

    def __init__(self, source, overrides=None, *, samples=None, seed=None, configs=None, _text_name=None):
        if isinstance(source, Scenario):
            source, base_sets, configs = source._source, source._sets, configs or source._configs
        else:
            base_sets = []
        self._source = source
        self._configs = configs if configs is not None else os.environ.get("TRAINSIM_CONFIGS")
        self._sets = base_sets + _override_strings(overrides) + _run_sets(samples, seed)
        self._ptr = lib.trainsim_scenario_new(self._configs.encode() if self._configs else None)
        arr, n = string_array(self._sets)
        if isinstance(source, dict):
            doc = json.dumps(source, indent=2, default=str).encode("utf-8")
            ok = lib.trainsim_scenario_load_text(self._ptr, b"<dict>", doc, len(doc), arr, n)
        elif _text_name is not None:
            doc = source.encode("utf-8")
            ok = lib.trainsim_scenario_load_text(self._ptr, _text_name.encode("utf-8"), doc, len(doc), arr, n)
        elif isinstance(source, (str, os.PathLike)):
            ok = lib.trainsim_scenario_load_file(self._ptr, os.fsencode(source), arr, n)
        else:
            lib.trainsim_scenario_free(self._ptr)
            self._ptr = None
            raise TypeError(f"trainsim: a scenario is a path, a dict or a Scenario, not {type(source).__name__}")
        self._text_name = _text_name
        self._finish(ok)

    @classmethod
    def from_yaml(cls, yaml_text, overrides=None, *, name="<string>", samples=None, seed=None, configs=None):
        """A scenario from YAML text (series paths are relative to the current folder)."""
        return cls(yaml_text, overrides, samples=samples, seed=seed, configs=configs, _text_name=name)

    def _diagnostics(self):
        out = []
        for i in range(lib.trainsim_scenario_n_diagnostics(self._ptr)):
            d = lib.trainsim_scenario_diagnostic(self._ptr, i).contents
            out.append(Diagnostic(_SEVERITY.get(d.severity, "note"), text(d.file), d.line, d.col, text(d.path),
                                  text(d.message)))
        return out

    def _finish(self, ok):
        """Raises ScenarioError after a failed load; otherwise issues the warnings."""
        self.diagnostics = self._diagnostics()
        if not ok:
            raise ScenarioError(self.diagnostics)
        for d in self.diagnostics:
            if d.severity == "warning":
                warnings.warn(str(d), ScenarioWarning, stacklevel=4)

    def set(self, overrides):
        """Applies more overrides (all or nothing: on ScenarioError the scenario is unchanged)."""
        sets = _override_strings(overrides)
        arr, n = string_array(sets)
        self._finish(lib.trainsim_scenario_set(self._ptr, arr, n))
        self._sets += sets
        return self

    @property
    def name(self):
        return text(lib.trainsim_scenario_name(self._ptr))

    @property
    def samples(self):
        return lib.trainsim_scenario_samples(self._ptr)

    @property
    def seed(self):
        return lib.trainsim_scenario_seed(self._ptr)

    @property
    def overrides(self):
        """The "PATH=VALUE" overrides applied, in order."""
        return list(self._sets)

    def variant(self, overrides=None, *, samples=None, seed=None):
        """A new Scenario: this one's source and overrides, then more."""
        sets = self._sets + _override_strings(overrides) + _run_sets(samples, seed)
        if self._text_name is not None:
            return Scenario.from_yaml(self._source, sets, name=self._text_name, configs=self._configs)
        return Scenario(self._source, sets, configs=self._configs)

    def run(self, *, threads=0, nominal=False):
        """Runs every sample; see trainsim.run()."""
        return Result(lib.trainsim_run(self._ptr, int(threads), bool(nominal)))

    def __del__(self):
        if getattr(self, "_ptr", None):
            lib.trainsim_scenario_free(self._ptr)
            self._ptr = None

    def __repr__(self):
        return f"<trainsim.Scenario {self.name!r}: {self.samples} samples, seed {self.seed}>"


def _scenario(scenario, overrides=None, samples=None, seed=None, configs=None):
    if isinstance(scenario, Scenario) and not overrides and samples is None and seed is None and configs is None:
        return scenario
    return Scenario(scenario, overrides, samples=samples, seed=seed, configs=configs)


# ---- Results

class _Owner:
    """Frees a C result when the last array viewing its buffer is gone."""

    def __init__(self, ptr):
        self.ptr = ptr

    def __del__(self):
        lib.trainsim_result_free(self.ptr)


def _finite_or_none(x):
    return float(x) if np.isfinite(x) else None


class Result:
    """What a run produced: statistics, per-sample arrays and metadata.

    .summary   DataFrame indexed by metric: unit, then mean, sd, min, max and the quantiles
    .samples   DataFrame indexed by sample: the uncertain inputs, then the metrics; its
               columns are views of the library's buffer (no copy)
    .values    the same numbers as one numpy array (n_samples x columns)
    """

    def __init__(self, ptr):
        if not ptr:
            raise RuntimeError("trainsim: the scenario is not loaded")
        self._owner = _Owner(ptr)
        self.scenario = text(lib.trainsim_result_scenario(ptr))
        self.file = text(lib.trainsim_result_file(ptr))
        self.seed = lib.trainsim_result_seed(ptr)
        self.n_samples = lib.trainsim_result_n_samples(ptr)
        self.nominal = lib.trainsim_result_is_nominal(ptr)
        self.step_min = lib.trainsim_result_step_min(ptr)
        self.unfinished_samples = lib.trainsim_result_n_unfinished(ptr)
        self.stats = [text(lib.trainsim_result_stat_name(ptr, j)) for j in range(lib.trainsim_result_n_stats(ptr))]
        n_metrics = lib.trainsim_n_metrics()
        self.metrics = [text(lib.trainsim_metric_key(m)) for m in range(n_metrics)]
        self.units = [text(lib.trainsim_metric_unit(m)) for m in range(n_metrics)]
        self.inputs = [text(lib.trainsim_result_input_path(ptr, i)) for i in range(lib.trainsim_result_n_inputs(ptr))]
        table = np.array([[lib.trainsim_result_stat(ptr, m, j) for j in range(len(self.stats))]
                          for m in range(n_metrics)], dtype=np.float64).reshape(n_metrics, len(self.stats))
        self.summary = pd.DataFrame(table, index=pd.Index(self.metrics, name="metric"), columns=self.stats)
        self.summary.insert(0, "unit", self.units)
        self._values = self._view()
        self._samples = None

    def _view(self):
        """The library's column block as a (n_samples, n_columns) array, without a copy."""
        n_cols = len(self.inputs) + len(self.metrics)
        size = n_cols * self.n_samples
        address = lib.trainsim_result_values(self._owner.ptr)
        buf = (_lib.ctypes.c_double * size).from_address(address)
        buf._owner = self._owner  # the buffer keeps the C result alive
        return np.frombuffer(buf, dtype=np.float64, count=size).reshape(n_cols, self.n_samples).T

    @property
    def values(self):
        return self._values

    @property
    def columns(self):
        return self.inputs + self.metrics

    @property
    def samples(self):
        if self._samples is None:
            self._samples = pd.DataFrame(self._values, columns=self.columns, copy=False,
                                         index=pd.RangeIndex(self.n_samples, name="sample"))
        return self._samples

    def metric(self, key):
        """The per-sample values of one metric (a numpy view)."""
        return self._values[:, len(self.inputs) + self.metrics.index(key)]

    def input(self, path):
        """The per-sample values of one uncertain input (a numpy view)."""
        return self._values[:, self.inputs.index(path)]

    def spearman(self, path, key):
        """Spearman rank correlation of input 'path' and metric 'key' (the CLI's sensitivity)."""
        return lib.trainsim_result_spearman(self._owner.ptr, self.inputs.index(path), self.metrics.index(key))

    def to_dict(self):
        """The report as `trainsim run --format json` writes it (non-finite numbers are None)."""
        out = {"trainsim_version": __version__, "scenario": self.scenario, "file": self.file, "seed": self.seed,
               "samples": self.n_samples, "nominal": self.nominal, "step_min": self.step_min,
               "unfinished_samples": self.unfinished_samples, "metrics": {}}
        for key, row in self.summary.iterrows():
            entry = {"unit": row["unit"]}
            entry.update((s, _finite_or_none(row[s])) for s in self.stats)
            out["metrics"][key] = entry
        return out

    def __repr__(self):
        return f"<trainsim.Result {self.scenario!r}: {self.n_samples} samples, seed {self.seed}>"


def run(scenario, samples=None, seed=None, overrides=None, *, threads=0, nominal=False, configs=None):
    """Runs a scenario (path, dict or Scenario) and returns its Result.

    samples and seed set sim.samples and sim.seed (the CLI's --samples, --seed); overrides
    are --set values ({"cluster.count": 4096} or ["cluster.count=4096"]); threads: OpenMP
    threads (0 = all cores; the numbers do not depend on it); nominal: one sample at the
    central values with no random events (--nominal).
    """
    return _scenario(scenario, overrides, samples, seed, configs).run(threads=threads, nominal=nominal)


# ---- Planning

def _pick_metrics(wanted, default=None):
    known = [text(lib.trainsim_metric_key(m)) for m in range(lib.trainsim_n_metrics())]
    if wanted is None:
        return list(default) if default else known
    wanted = [wanted] if isinstance(wanted, str) else list(wanted)
    for key in wanted:
        if key not in known:
            raise ValueError(f"trainsim: unknown metric '{key}' (known: {', '.join(known)})")
    return wanted


def _stats_rows(result, keys):
    rows = result.summary.loc[keys]
    return rows.reset_index()


def sweep(scenario, vary, samples=None, seed=None, overrides=None, *, metrics=None, threads=0, nominal=False,
          configs=None):
    """Runs the scenario at every point of a grid and returns one row per point and metric.

    vary: {"cluster.count": [1024, 2048, 4096], ...} (every combination, the last key
    varying fastest, as the CLI's --vary), or a list of override dicts, one per point.
    Every point keeps the seed, so the points share their draws (common random numbers).
    Columns: the varied paths, metric, unit, the statistics, unfinished_samples.
    """
    if isinstance(vary, dict):
        paths = list(vary)
        points = [dict(zip(paths, combo)) for combo in itertools.product(*(list(v) for v in vary.values()))]
    else:
        points = [dict(p) for p in vary]
        paths = list(dict.fromkeys(k for p in points for k in p))
    if not points:
        raise ValueError("trainsim: sweep needs at least one point")
    sc = _scenario(scenario, overrides, samples, seed, configs)
    point_sets = [_override_strings(p) for p in points]
    width = max(len(s) for s in point_sets)
    if any(len(s) != width for s in point_sets):
        raise ValueError("trainsim: every sweep point must set the same number of paths")
    flat, _ = string_array([s for sets in point_sets for s in sets])
    out = (_lib.ctypes.c_void_p * len(points))()
    ok = lib.trainsim_sweep(sc._ptr, len(points), width, flat, int(threads), bool(nominal), out)
    diagnostics = sc._diagnostics()
    if not ok:
        raise ScenarioError(diagnostics)
    keys = _pick_metrics(metrics)
    frames = []
    for point, ptr in zip(points, out):
        r = Result(ptr)
        rows = _stats_rows(r, keys)
        for i, path in enumerate(paths):
            rows.insert(i, path, point.get(path))
        rows["unfinished_samples"] = r.unfinished_samples
        frames.append(rows)
    return pd.concat(frames, ignore_index=True)


def compare(*scenarios, names=None, samples=None, seed=None, overrides=None, metrics=None, threads=0,
            nominal=False, configs=None):
    """Runs two or more scenarios on the same samples and seed (the first's) and compares
    them sample by sample, as the CLI's compare.

    Returns one row per metric and scenario (its statistics) and per metric and later
    scenario ("difference K-1": the statistics of scenario K minus the first, paired by
    sample, with p_a_less = P(first < scenario K)). Columns: metric, unit, scenario, the
    statistics, p_a_less.
    """
    if len(scenarios) < 2:
        raise ValueError("trainsim: compare needs at least two scenarios")
    first = _scenario(scenarios[0], overrides, samples, seed, configs)
    # Pairing needs the same samples and seed everywhere: the first scenario's.
    loaded = [first] + [Scenario(s, overrides, samples=first.samples, seed=first.seed, configs=configs)
                        for s in scenarios[1:]]
    results = [s.run(threads=threads, nominal=nominal) for s in loaded]
    labels = list(names) if names else [r.scenario for r in results]
    if len(labels) != len(results):
        raise ValueError("trainsim: compare: give one name per scenario")
    keys = _pick_metrics(metrics)
    a = results[0]
    n_stats = len(a.stats)
    stats = (_lib.ctypes.c_double * n_stats)()
    p_less = _lib.ctypes.c_double()
    rows = []
    for key in keys:
        m = a.metrics.index(key)
        for label, r in zip(labels, results):
            rows.append([key, a.units[m], label, *r.summary.loc[key, a.stats], np.nan])
        for k, r in enumerate(results[1:], start=2):
            lib.trainsim_compare(a._owner.ptr, r._owner.ptr, m, stats, _lib.ctypes.byref(p_less))
            rows.append([key, a.units[m], f"difference {k}-1", *stats, p_less.value])
    return pd.DataFrame(rows, columns=["metric", "unit", "scenario", *a.stats, "p_a_less"])


def _nan(x):
    return float("nan") if x is None else float(x)


def solve(scenario, vary, target, *, min=None, max=None, step=None, largest=False, samples=None, seed=None,
          overrides=None, threads=0, nominal=False, configs=None):
    """The smallest (largest=True: the largest) value of the key path `vary` meeting
    `target` ("METRIC.STAT OP VALUE", e.g. "wall_days.p90<=30"), as the CLI's solve:
    bisection on common random numbers over min, min + step, ... max (None: the CLI's
    defaults), then three probes for monotonicity.

    Returns the evaluations as a DataFrame, one row per evaluated value in increasing
    order: columns <vary> (int64 for whole-number keys such as cluster.count, else
    float64), stat (float64, the target statistic there), met, censored (some samples hit
    sim.max_days), answer and neighbour (bool: the row of the answer, the row one step
    away that fails). df.attrs holds the outcome as the CLI's JSON does: vary, target,
    answer (None when unreachable), met, neighbour, monotone, largest, range (lo, hi),
    step, message. Raises ScenarioError for a bad target, range or scenario.
    """
    sc = _scenario(scenario, overrides, samples, seed, configs)
    ptr = lib.trainsim_solve(sc._ptr, str(vary).encode(), str(target).encode(), _nan(min), _nan(max), _nan(step),
                             bool(largest), int(threads), bool(nominal))
    if not ptr:
        raise ScenarioError(sc._diagnostics())
    try:
        integer = lib.trainsim_solve_is_integer(ptr)
        rows = []
        e = _lib.SolveEval()
        for i in range(lib.trainsim_solve_n_evals(ptr)):
            lib.trainsim_solve_eval(ptr, i, _lib.ctypes.byref(e))
            rows.append((e.value, e.stat, e.met, e.censored))
        lo, hi, st = _lib.ctypes.c_double(), _lib.ctypes.c_double(), _lib.ctypes.c_double()
        lib.trainsim_solve_range(ptr, _lib.ctypes.byref(lo), _lib.ctypes.byref(hi), _lib.ctypes.byref(st))
        number = int if integer else float
        answer = number(lib.trainsim_solve_answer(ptr)) if lib.trainsim_solve_has_answer(ptr) else None
        neighbour = number(lib.trainsim_solve_neighbour(ptr)) if lib.trainsim_solve_has_neighbour(ptr) else None
        attrs = {"vary": str(vary), "target": str(target), "answer": answer,
                 "met": bool(lib.trainsim_solve_answer_met(ptr)), "neighbour": neighbour,
                 "monotone": bool(lib.trainsim_solve_is_monotone(ptr)), "largest": bool(largest),
                 "range": (number(lo.value), number(hi.value)), "step": number(st.value),
                 "message": text(lib.trainsim_solve_message(ptr))}
    finally:
        lib.trainsim_solve_free(ptr)
    df = pd.DataFrame(rows, columns=[str(vary), "stat", "met", "censored"])
    df = df.astype({str(vary): np.int64 if integer else np.float64, "stat": np.float64, "met": bool,
                    "censored": bool})
    df["answer"] = df[str(vary)] == answer if answer is not None else False
    df["neighbour"] = df[str(vary)] == neighbour if neighbour is not None else False
    df.attrs.update(attrs)
    return df


# Columns of sensitivity(full=True) after metric, input, spearman, abs_spearman: the CLI's
# JSON keys (at_minus_10pct / at_plus_10pct are the means at input x 0.9 / x 1.1).
_FULL_COLUMNS = ["uncertain", "tornado_low", "tornado_high", "sobol_first", "sobol_first_lo", "sobol_first_hi",
                 "sobol_total", "sobol_total_lo", "sobol_total_hi", "input_p5", "input_p95", "input_central",
                 "elasticity", "at_minus_10pct", "at_plus_10pct", "metric_mean"]


def _cli_rank(row):
    """The CLI's order of inputs for one metric: the uncertain ones by total Sobol index,
    then |Spearman|; then the fixed ones by |elasticity| (undefined last)."""
    if row["uncertain"]:
        return (0, -row["sobol_total"], -abs(row["spearman"]))
    return (1, 1.0 if np.isnan(row["elasticity"]) else -abs(row["elasticity"]))


def _full_sensitivity(sc, keys, sobol_samples, threads):
    idx = (_lib.ctypes.c_int * len(keys))(*[lib.trainsim_metric_find(k.encode()) for k in keys])
    ptr = lib.trainsim_sensitivity(sc._ptr, idx, len(keys), int(sobol_samples or 0), int(threads))
    if not ptr:
        raise ScenarioError(sc._diagnostics())
    try:
        n_inputs, n_uncertain = lib.trainsim_sensitivity_n_inputs(ptr), lib.trainsim_sensitivity_n_uncertain(ptr)
        base = lib.trainsim_sensitivity_base(ptr)
        e = _lib.SensitivityEntry()
        rows = []
        for k, key in enumerate(keys):
            mean = lib.trainsim_result_stat(base, idx[k], lib.trainsim_result_stat_find(base, b"mean"))
            block = []
            for i in range(n_inputs):
                lib.trainsim_sensitivity_entry(ptr, k, i, _lib.ctypes.byref(e))
                block.append({"metric": key, "input": text(lib.trainsim_sensitivity_input_path(ptr, i)),
                              "spearman": e.spearman, "abs_spearman": abs(e.spearman), "uncertain": i < n_uncertain,
                              "tornado_low": e.tornado_low, "tornado_high": e.tornado_high,
                              "sobol_first": e.sobol_first, "sobol_first_lo": e.sobol_first_lo,
                              "sobol_first_hi": e.sobol_first_hi, "sobol_total": e.sobol_total,
                              "sobol_total_lo": e.sobol_total_lo, "sobol_total_hi": e.sobol_total_hi,
                              "input_p5": lib.trainsim_sensitivity_input_p5(ptr, i),
                              "input_p95": lib.trainsim_sensitivity_input_p95(ptr, i),
                              "input_central": lib.trainsim_sensitivity_input_central(ptr, i),
                              "elasticity": e.elasticity, "at_minus_10pct": e.at_minus, "at_plus_10pct": e.at_plus,
                              "metric_mean": mean})
            rows += sorted(block, key=_cli_rank)
        attrs = {"samples": lib.trainsim_sensitivity_samples(ptr),
                 "sobol_samples": lib.trainsim_sensitivity_sobol_samples(ptr),
                 "elasticity_samples": lib.trainsim_sensitivity_elasticity_samples(ptr),
                 "elasticity_step": lib.trainsim_sensitivity_elasticity_step(ptr), "seed": sc.seed,
                 "n_uncertain": n_uncertain}
    finally:
        lib.trainsim_sensitivity_free(ptr)
    df = pd.DataFrame(rows, columns=["metric", "input", "spearman", "abs_spearman"] + _FULL_COLUMNS)
    df.attrs.update(attrs)
    return df


def sensitivity(scenario, samples=None, seed=None, overrides=None, *, metrics=None, threads=0, configs=None,
                full=False, sobol_samples=None):
    """Which inputs matter.

    By default: the Spearman rank correlation between every uncertain input and each
    metric across the samples (the CLI's sensitivity column spearman), one row per metric
    and input: metric, input, spearman, abs_spearman, sorted by metric and then by
    |spearman|, largest first.

    full=True (or sobol_samples given): the CLI's whole `trainsim sensitivity`, with the
    same numbers as its --format json: one row per metric and numeric input (the uncertain
    ones, then the fixed ones), in the CLI's order (uncertain inputs by total Sobol index,
    then fixed ones by |elasticity|). Columns: metric, input, spearman, abs_spearman,
    uncertain (bool), tornado_low, tornado_high (the metric's mean with the input at its
    P5 / P95), sobol_first, sobol_first_lo, sobol_first_hi, sobol_total, sobol_total_lo,
    sobol_total_hi (Saltelli / Jansen indices and bootstrap 95 % intervals), input_p5,
    input_p95, input_central, elasticity, at_minus_10pct, at_plus_10pct, metric_mean (the
    base run's mean); float64 but metric, input (str) and uncertain. Spearman, tornado and
    Sobol are NaN for fixed inputs. sobol_samples: N of the Saltelli design (default 512;
    (k + 2) N runs). df.attrs: samples, sobol_samples, elasticity_samples, elasticity_step,
    seed, n_uncertain.
    """
    keys = _pick_metrics(metrics, _SENSITIVITY_METRICS)
    if full or sobol_samples is not None:
        return _full_sensitivity(_scenario(scenario, overrides, samples, seed, configs), keys, sobol_samples, threads)
    r = run(scenario, samples, seed, overrides, threads=threads, configs=configs)
    rows = [(key, path, r.spearman(path, key)) for key in keys for path in r.inputs]
    df = pd.DataFrame(rows, columns=["metric", "input", "spearman"])
    df["abs_spearman"] = df["spearman"].abs()
    order = {k: i for i, k in enumerate(keys)}
    df = df.sort_values(["metric", "abs_spearman"], key=lambda c: c.map(order) if c.name == "metric" else -c,
                        kind="stable")
    return df.reset_index(drop=True)
