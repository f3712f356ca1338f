"""ctypes declarations of sim/trainsim.h, and where libtrainsim.so is found.

The library is looked up, in order: $TRAINSIM_LIB (the path of the .so), next to this
module (where `pip install ./python` puts it), the build tree of a source checkout
(build/libtrainsim.so), then the system's library path (`cmake --install`).
"""
import ctypes
import ctypes.util
import os

_HERE = os.path.dirname(os.path.abspath(__file__))


def _candidates():
    env = os.environ.get("TRAINSIM_LIB")
    if env:
        yield env
        return
    yield os.path.join(_HERE, "libtrainsim.so")
    yield os.path.join(_HERE, "..", "..", "build", "libtrainsim.so")
    found = ctypes.util.find_library("trainsim")
    if found:
        yield found


def _load():
    tried = []
    for path in _candidates():
        if os.path.sep in path and not os.path.exists(path):
            tried.append(path)
            continue
        try:
            return ctypes.CDLL(path)
        except OSError as e:
            tried.append(f"{path} ({e})")
    raise ImportError("trainsim: cannot find libtrainsim.so; set TRAINSIM_LIB to its path "
                      "(tried: " + ", ".join(tried or ["nothing"]) + ")")


class Diagnostic(ctypes.Structure):
    _fields_ = [("severity", ctypes.c_int), ("file", ctypes.c_char_p), ("line", ctypes.c_int),
                ("col", ctypes.c_int), ("path", ctypes.c_char_p), ("message", ctypes.c_char_p)]


class SolveEval(ctypes.Structure):
    _fields_ = [("value", ctypes.c_double), ("stat", ctypes.c_double), ("met", ctypes.c_bool),
                ("censored", ctypes.c_bool)]


class SensitivityEntry(ctypes.Structure):
    _fields_ = [(name, ctypes.c_double) for name in (
        "spearman", "tornado_low", "tornado_high", "sobol_first", "sobol_first_lo", "sobol_first_hi",
        "sobol_total", "sobol_total_lo", "sobol_total_hi", "elasticity", "at_minus", "at_plus")]


lib = _load()

_p = ctypes.c_void_p
_s = ctypes.c_char_p
_i = ctypes.c_int
_l = ctypes.c_long
_b = ctypes.c_bool
_d = ctypes.c_double
_dp = ctypes.POINTER(ctypes.c_double)
_sets = ctypes.POINTER(ctypes.c_char_p)

_SIGNATURES = {
    "trainsim_version": (_s, []),
    "trainsim_n_metrics": (_i, []),
    "trainsim_metric_key": (_s, [_i]),
    "trainsim_metric_unit": (_s, [_i]),
    "trainsim_metric_label": (_s, [_i]),
    "trainsim_metric_find": (_i, [_s]),
    "trainsim_scenario_new": (_p, [_s]),
    "trainsim_scenario_free": (None, [_p]),
    "trainsim_scenario_load_file": (_b, [_p, _s, _sets, _i]),
    "trainsim_scenario_load_text": (_b, [_p, _s, _s, ctypes.c_size_t, _sets, _i]),
    "trainsim_scenario_set": (_b, [_p, _sets, _i]),
    "trainsim_scenario_is_loaded": (_b, [_p]),
    "trainsim_scenario_n_diagnostics": (_i, [_p]),
    "trainsim_scenario_diagnostic": (ctypes.POINTER(Diagnostic), [_p, _i]),
    "trainsim_scenario_name": (_s, [_p]),
    "trainsim_scenario_samples": (_l, [_p]),
    "trainsim_scenario_seed": (ctypes.c_ulong, [_p]),
    "trainsim_run": (_p, [_p, _i, _b]),
    "trainsim_result_free": (None, [_p]),
    "trainsim_result_scenario": (_s, [_p]),
    "trainsim_result_file": (_s, [_p]),
    "trainsim_result_seed": (ctypes.c_ulong, [_p]),
    "trainsim_result_n_samples": (_l, [_p]),
    "trainsim_result_is_nominal": (_b, [_p]),
    "trainsim_result_step_min": (_d, [_p]),
    "trainsim_result_n_unfinished": (_l, [_p]),
    "trainsim_result_n_stats": (_i, [_p]),
    "trainsim_result_stat_name": (_s, [_p, _i]),
    "trainsim_result_stat_find": (_i, [_p, _s]),
    "trainsim_result_stat": (_d, [_p, _i, _i]),
    "trainsim_result_n_inputs": (_i, [_p]),
    "trainsim_result_input_path": (_s, [_p, _i]),
    "trainsim_result_values": (ctypes.c_void_p, [_p]),
    "trainsim_result_input_values": (_dp, [_p, _i]),
    "trainsim_result_metric_values": (_dp, [_p, _i]),
    "trainsim_result_spearman": (_d, [_p, _i, _i]),
    "trainsim_compare": (_b, [_p, _p, _i, _dp, ctypes.POINTER(_d)]),
    "trainsim_sweep": (_b, [_p, _i, _i, _sets, _i, _b, ctypes.POINTER(_p)]),
    "trainsim_solve": (_p, [_p, _s, _s, _d, _d, _d, _b, _i, _b]),
    "trainsim_solve_free": (None, [_p]),
    "trainsim_solve_has_answer": (_b, [_p]),
    "trainsim_solve_answer": (_d, [_p]),
    "trainsim_solve_answer_met": (_b, [_p]),
    "trainsim_solve_has_neighbour": (_b, [_p]),
    "trainsim_solve_neighbour": (_d, [_p]),
    "trainsim_solve_is_monotone": (_b, [_p]),
    "trainsim_solve_is_integer": (_b, [_p]),
    "trainsim_solve_range": (None, [_p, _dp, _dp, _dp]),
    "trainsim_solve_message": (_s, [_p]),
    "trainsim_solve_n_evals": (_i, [_p]),
    "trainsim_solve_eval": (_b, [_p, _i, ctypes.POINTER(SolveEval)]),
    "trainsim_solve_at_answer": (_p, [_p]),
    "trainsim_solve_at_neighbour": (_p, [_p]),
    "trainsim_sensitivity": (_p, [_p, ctypes.POINTER(_i), _i, _l, _i]),
    "trainsim_sensitivity_free": (None, [_p]),
    "trainsim_sensitivity_n_metrics": (_i, [_p]),
    "trainsim_sensitivity_metric": (_i, [_p, _i]),
    "trainsim_sensitivity_n_inputs": (_i, [_p]),
    "trainsim_sensitivity_n_uncertain": (_i, [_p]),
    "trainsim_sensitivity_input_path": (_s, [_p, _i]),
    "trainsim_sensitivity_input_p5": (_d, [_p, _i]),
    "trainsim_sensitivity_input_p95": (_d, [_p, _i]),
    "trainsim_sensitivity_input_central": (_d, [_p, _i]),
    "trainsim_sensitivity_entry": (_b, [_p, _i, _i, ctypes.POINTER(SensitivityEntry)]),
    "trainsim_sensitivity_samples": (_l, [_p]),
    "trainsim_sensitivity_sobol_samples": (_l, [_p]),
    "trainsim_sensitivity_elasticity_samples": (_l, [_p]),
    "trainsim_sensitivity_elasticity_step": (_d, [_p]),
    "trainsim_sensitivity_base": (_p, [_p]),
}

for _name, (_res, _args) in _SIGNATURES.items():
    _f = getattr(lib, _name)
    _f.restype = _res
    _f.argtypes = _args


def text(b):
    """A C string from the library as str (None stays None)."""
    return None if b is None else b.decode("utf-8", "replace")


def string_array(strings):
    """A (char **, count) pair for a list of str."""
    encoded = [s.encode("utf-8") for s in strings]
    return (ctypes.c_char_p * max(len(encoded), 1))(*encoded), len(encoded)
