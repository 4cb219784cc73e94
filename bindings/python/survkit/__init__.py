"""survkit: Kaplan-Meier, log-rank and Cox models whose numbers equal R's survival package.

    import survkit
    fit = survkit.cox(df, "Surv(days, breakdown) ~ age + sex + strata(la) + cluster(family_id)")
    fit.summary          # a DataFrame shaped like lifelines' CoxPHFitter.summary

Data: a pandas DataFrame (any index; missing values as NaN/None; numeric, boolean, string and
categorical columns) or a dict of numpy arrays. float64 columns are handed to the C library in place,
without a copy. Fits release the GIL. Errors raise SurvkitError with the library's message.
"""
import numpy as np
import pandas as pd

from ._survkit import SurvkitError, fit as _fit, library_version

__all__ = ["cox", "km", "logrank", "SurvkitError", "CoxResult", "KMResult", "LogrankResult",
           "library_version"]

_TIES = {"efron": 0, "breslow": 1, "exact": 2}
_ROBUST = {None: 0, True: 1, False: 2}


def _columns(data):
    """(list of (name, float64 array or list of str/None), n_rows) for the C glue."""
    if isinstance(data, pd.DataFrame):
        items = [(str(name), data[name]) for name in data.columns]
        n = len(data)
    else:
        items = [(str(name), data[name]) for name in data]
        n = len(items[0][1]) if items else 0
    out = []
    for name, col in items:
        if isinstance(col, pd.Series) and isinstance(col.dtype, pd.api.extensions.ExtensionDtype) \
                and (pd.api.types.is_numeric_dtype(col.dtype) or pd.api.types.is_bool_dtype(col.dtype)):
            col = col.to_numpy(dtype="float64", na_value=np.nan)  # nullable Int64, Float64, boolean
        values = col.to_numpy() if isinstance(col, pd.Series) else np.asarray(col)
        if len(values) != n:
            raise ValueError(f"column {name} has {len(values)} values, not {n}")
        kind = values.dtype.kind
        if isinstance(col, pd.Series) and isinstance(col.dtype, pd.CategoricalDtype):
            # A categorical keeps its categories' order (the first is the reference level, as R's
            # factor levels); codes -1 are missing.
            out.append((name, (col.cat.codes.to_numpy().astype(np.int32),
                               [str(c) for c in col.cat.categories])))
        elif kind == "f" and values.dtype == np.float64:
            out.append((name, np.ascontiguousarray(values)))  # no copy when already contiguous
        elif kind in "fiub":
            out.append((name, values.astype(np.float64)))
        elif kind in "OUS":
            # Strings as text, levels sorted as R sorts them; missing (None, NaN, pd.NA) as None.
            obj = pd.Series(values, dtype=object)
            mask = pd.isna(obj).to_numpy()
            out.append((name, [None if m else str(v) for v, m in zip(obj, mask)]))
        else:
            raise TypeError(f"column {name}: unsupported dtype {values.dtype}")
    return out, n


def _call(kind, data, formula, weights=None, ties="efron", conf_type="log", conf_level=0.95,
          rho=0.0, robust=None):
    if ties not in _TIES:
        raise ValueError(f"ties must be one of {sorted(_TIES)}, not {ties!r}")
    if robust not in _ROBUST:
        raise ValueError("robust must be None, True or False")
    columns, n = _columns(data)
    return _fit(kind, columns, n, formula, weights, _TIES[ties], conf_type, float(conf_level),
                float(rho), _ROBUST[robust])


class CoxResult:
    """A Cox fit: .params, .variance_matrix, .summary (lifelines' CoxPHFitter names), loglik, tests."""

    def __init__(self, formula, r):
        self.formula = formula
        self._r = r
        names = r["names"]
        self.n, self.n_dropped = r["n"], r["n_dropped"]
        self.n_events = r["n_events"]
        self.params = pd.Series(r["coef"], index=names, name="coef")
        p = len(names)
        self.variance_matrix = pd.DataFrame(np.array(r["vcov"]).reshape(p, p, order="F"),
                                            index=names, columns=names)
        self.loglik_null, self.loglik = r["loglik"]
        self.concordance, self.concordance_se = r["concordance"]
        self.iterations = r["iterations"]
        self.warnings = list(r["warnings"])
        self.tests = {k: dict(zip(("statistic", "df", "p"), v)) for k, v in r["tests"].items()}
        self.conf_level = r["conf_level"]
        pct = round(100 * self.conf_level)
        cols = {"coef": r["coef"], "exp(coef)": r["exp_coef"], "se(coef)": r["se"]}
        if r["robust_se"] is not None:
            cols["robust se"] = r["robust_se"]
        with np.errstate(divide="ignore"):  # p = 0 (underflow) gives inf, as lifelines
            log2p = -np.log2(r["p"])
        cols.update({f"exp(coef) lower {pct}%": r["lower"], f"exp(coef) upper {pct}%": r["upper"],
                     "z": r["z"], "p": r["p"], "-log2(p)": log2p})
        self.summary = pd.DataFrame(cols, index=pd.Index(names, name="covariate"))

    def print_summary(self):
        print(self)

    def __repr__(self):
        with pd.option_context("display.width", 120, "display.precision", 4):
            lr = self.tests["lr"]
            return (f"survkit.cox: {self.formula}\n  n={self.n}, number of events={self.n_events:g}"
                    f" ({self.n_dropped} observations deleted due to missingness)\n\n"
                    f"{self.summary}\n\nConcordance= {self.concordance:.3f}  (se = "
                    f"{self.concordance_se:.3f})\nLikelihood ratio test= {lr['statistic']:.2f}  on "
                    f"{lr['df']:g} df,   p={lr['p']:.3g}")


class KMResult:
    """Kaplan-Meier curves: .survival_function (lifelines' shape: index timeline, a column per group),
    .table (R's survfit columns, one row per group and time), .median_survival_time_."""

    def __init__(self, formula, r):
        self.formula = formula
        self.n, self.n_dropped = r["n"], r["n_dropped"]
        curves = r["curves"]
        keys = ["time", "n_risk", "n_event", "n_censor", "surv", "std_err", "lower", "upper",
                "cumhaz", "std_chaz"]
        self.labels = [c["label"] for c in curves]
        self.table = pd.concat(
            [pd.DataFrame({"strata": c["label"], **{k: c[k] for k in keys}}) for c in curves],
            ignore_index=True)
        timeline = np.unique(np.concatenate([[0.0]] + [c["time"] for c in curves]))
        sf = {}
        for c in curves:
            t, s = np.asarray(c["time"]), np.asarray(c["surv"])
            idx = np.searchsorted(t, timeline, side="right") - 1
            col = np.where(idx >= 0, s[np.maximum(idx, 0)], 1.0)
            col[timeline > (t[-1] if len(t) else -np.inf)] = np.nan
            sf[f"KM_estimate {c['label']}" if len(curves) > 1 else "KM_estimate"] = col
        self.survival_function = pd.DataFrame(sf, index=pd.Index(timeline, name="timeline"))
        self.summary = pd.DataFrame(
            {"records": [c["records"] for c in curves], "n.max": [c["n_max"] for c in curves],
             "n.start": [c["n_start"] for c in curves], "events": [c["events"] for c in curves],
             "median": [c["median"][0] for c in curves], "0.95LCL": [c["median"][1] for c in curves],
             "0.95UCL": [c["median"][2] for c in curves]}, index=self.labels)
        self.median_survival_time_ = self.summary["median"]

    def __repr__(self):
        return f"survkit.km: {self.formula}\n{self.summary}"


class LogrankResult:
    """survdiff: .summary (N, Observed, Expected per group), .test_statistic, .p_value, .variance."""

    def __init__(self, formula, r):
        self.formula = formula
        self.n, self.n_dropped = r["n"], r["n_dropped"]
        labels = r["labels"]
        k = len(labels)
        self.summary = pd.DataFrame({"N": r["records"], "Observed": r["observed"],
                                     "Expected": r["expected"]}, index=labels)
        self.variance = pd.DataFrame(np.array(r["var"]).reshape(k, k, order="F"), index=labels,
                                     columns=labels)
        self.test_statistic, self.degrees_of_freedom, self.p_value = r["chisq"], r["df"], r["p"]
        self.rho = r["rho"]

    def __repr__(self):
        return (f"survkit.logrank: {self.formula}\n{self.summary}\n\n Chisq= {self.test_statistic:.1f}"
                f"  on {self.degrees_of_freedom} degrees of freedom, p= {self.p_value:.3g}")


def cox(data, formula, ties="efron", weights=None, robust=None, conf_level=0.95):
    """R's coxph(formula, data, ties=, weights=, robust=): strata(), cluster(), offset() allowed."""
    return CoxResult(formula, _call(0, data, formula, weights=weights, ties=ties,
                                    conf_level=conf_level, robust=robust))


def km(data, formula, weights=None, conf_type="log", conf_level=0.95):
    """R's survfit(formula, data, weights=, conf.type=, conf.int=): one curve per group."""
    return KMResult(formula, _call(1, data, formula, weights=weights, conf_type=conf_type,
                                   conf_level=conf_level))


def logrank(data, formula, rho=0.0):
    """R's survdiff(formula, data, rho=): groups from the right-hand side, strata() allowed."""
    return LogrankResult(formula, _call(2, data, formula, rho=rho))
