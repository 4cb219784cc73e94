"""pytest for the survkit Python package: every number against R's survival, read from the goldens
that tests/golden/make_golden_bindings.R writes (each file's first line is the R call).
Set SURVKIT_SOURCE to the repository root when running from elsewhere."""
import math
import os
import pathlib
import threading

import numpy as np
import pandas as pd
import pytest

import survkit

ROOT = pathlib.Path(os.environ.get("SURVKIT_SOURCE", pathlib.Path(__file__).resolve().parents[3]))
GOLDEN = ROOT / "tests" / "golden" / "bindings"
FULL = ("Surv(days, breakdown) ~ age + sex + prior_failed + unplanned + substance + reason + "
        "support + strata(la) + cluster(family_id)")
TOL = 1e-9


def golden(name):
    """The golden file as {key: list of values}; numbers as floats, NA as nan."""
    out = {}
    for line in (GOLDEN / f"{name}.txt").read_text().splitlines():
        if line.startswith("#"):
            continue
        key, *values = line.split("\t")
        try:
            out[key] = [math.nan if v == "NA" else float(v) for v in values]
        except ValueError:
            out[key] = values
    return out


def close(actual, expected, tol=TOL):
    actual, expected = np.asarray(actual, dtype=float), np.asarray(expected, dtype=float)
    assert actual.shape == expected.shape
    assert np.array_equal(np.isnan(actual), np.isnan(expected))
    ok = ~np.isnan(expected)
    scale = np.maximum(np.abs(expected[ok]), 1e-300)
    assert np.all(np.abs(actual[ok] - expected[ok]) <= tol * np.maximum(scale, 1e-6)), \
        (actual, expected)


@pytest.fixture(scope="module")
def reun():
    return pd.read_csv(ROOT / "datasets" / "reunification.csv")


@pytest.fixture(scope="module")
def messy(reun):
    """The rule of make_golden_bindings.R (0-based here), plus a non-default index."""
    d = reun.copy()
    d.loc[d.index % 17 == 0, "age"] = np.nan
    d["sex"] = d["sex"].astype(object)
    d.loc[d.index % 23 == 0, "sex"] = None
    d["reason"] = d["reason"].astype("category")
    d.index = pd.RangeIndex(1000, 1000 + len(d), 1)[::-1]  # reversed, not 0..n-1
    return d


def check_cox(fit, g):
    assert list(fit.params.index) == g["names"]
    close(fit.params, g["coef"])
    close(fit.summary["exp(coef)"], np.exp(g["coef"]))
    close(fit.variance_matrix.to_numpy().ravel(order="F"), g["var"])
    close(fit.summary["se(coef)"], g["naive_se"])
    if g["robust_se"]:
        close(fit.summary["robust se"], g["robust_se"])
    else:
        assert "robust se" not in fit.summary
    close(fit.summary["z"], g["z"])
    close(fit.summary["p"], g["p"])
    close(fit.summary["exp(coef) lower 95%"], g["lower"])
    close(fit.summary["exp(coef) upper 95%"], g["upper"])
    close([fit.loglik_null, fit.loglik], g["loglik"])
    close([fit.concordance, fit.concordance_se], g["concordance"])
    close([fit.tests["lr"][k] for k in ("statistic", "df", "p")], g["logtest"])
    close([fit.tests["score"][k] for k in ("statistic", "df", "p")], g["sctest"])
    close([fit.tests["wald"]["statistic"]], g["wald"])
    assert fit.n == g["n"][0] and fit.n_events == g["nevent"][0]
    assert fit.n_dropped == g["n_dropped"][0]
    assert fit.iterations == g["iter"][0]


def test_cox_full_efron(reun):
    check_cox(survkit.cox(reun, FULL), golden("cox_full_efron"))


def test_cox_breslow_numpy_dict(reun):
    data = {k: reun[k].to_numpy() for k in ("days", "breakdown", "age", "prior_failed")}
    data["sex"] = reun["sex"].to_numpy(dtype=object)
    data["support"] = reun["support"].to_numpy(dtype=object)
    fit = survkit.cox(data, "Surv(days, breakdown) ~ age + sex + prior_failed + support",
                      ties="breslow")
    check_cox(fit, golden("cox_breslow"))


def test_cox_missing_categorical_index(messy):
    check_cox(survkit.cox(messy, "Surv(days, breakdown) ~ age + sex + reason + support + strata(la)"),
              golden("cox_messy"))


def test_categorical_keeps_its_order(messy):
    """A categorical's categories are R's factor levels: the first is the reference."""
    d = messy.copy()
    d["reason"] = d["reason"].cat.reorder_categories(list(d["reason"].cat.categories)[::-1])
    check_cox(survkit.cox(d, "Surv(days, breakdown) ~ age + reason + support"),
              golden("cox_messy_rev"))


def check_km(fit, g):
    t = fit.table
    assert list(t["strata"]) == g["strata"]
    for key in ("time", "n_risk", "n_event", "n_censor", "surv", "std_err", "lower", "upper",
                "cumhaz", "std_chaz"):
        close(t[key], g[key])
    close(fit.summary["records"], g["records"])
    close(fit.summary["events"], g["events"])
    close(fit.summary["median"], g["median"])
    assert fit.n_dropped == g["n_dropped"][0]


def test_km_support(reun):
    fit = survkit.km(reun, "Surv(days, breakdown) ~ support")
    check_km(fit, golden("km_support"))
    # lifelines' shape: index "timeline" from 0, a column per group, a step function of surv.
    sf = fit.survival_function
    assert sf.index.name == "timeline" and sf.index[0] == 0 and sf.iloc[0].eq(1).all()
    some = fit.table[fit.table.strata == "support=some"]
    col = sf["KM_estimate support=some"]
    close(col.loc[some["time"].to_numpy()], some["surv"])


def test_km_messy_loglog(messy):
    check_km(survkit.km(messy, "Surv(days, breakdown) ~ sex", conf_type="log-log"),
             golden("km_messy_sex"))


def check_lr(fit, g):
    assert list(fit.summary.index) == g["labels"]
    close(fit.summary["N"], g["n"])
    close(fit.summary["Observed"], g["obs"])
    close(fit.summary["Expected"], g["exp"])
    close(fit.variance.to_numpy().ravel(order="F"), g["var"])
    close([fit.test_statistic, fit.p_value], g["chisq"] + g["p"])


def test_logrank(reun, messy):
    check_lr(survkit.logrank(reun, "Surv(days, breakdown) ~ support"), golden("lr_support"))
    check_lr(survkit.logrank(messy, "Surv(days, breakdown) ~ reason + strata(support)", rho=1),
             golden("lr_messy_reason_strata"))


def test_float64_columns_not_copied(reun):
    columns, n = survkit._columns(reun)
    days = dict(columns)["age"]
    assert n == len(reun) and np.shares_memory(days, reun["age"].to_numpy())


def test_bool_and_nullable_columns(reun):
    """A boolean event and a nullable integer covariate give the float64 fit's numbers."""
    d = reun.copy()
    d["event"] = d["breakdown"].astype(bool)
    d["prior"] = d["prior_failed"].astype("Int64")
    a = survkit.cox(d, "Surv(days, event) ~ prior + age")
    b = survkit.cox(reun, "Surv(days, breakdown) ~ prior_failed + age")
    assert np.array_equal(a.params.to_numpy(), b.params.to_numpy())
    d.loc[3, "prior"] = pd.NA
    assert survkit.cox(d, "Surv(days, event) ~ prior + age").n_dropped == 1


def test_formula_error_has_caret(reun):
    with pytest.raises(survkit.SurvkitError) as info:
        survkit.cox(reun, "Surv(days, breakdown) ~ age +")
    lines = str(info.value.args[0]).splitlines()
    assert lines[0] == "error in formula, at character 30: unexpected end of formula"
    assert lines[2].index("^") == 2 + 29
    with pytest.raises(survkit.SurvkitError, match="no column named 'agee'"):
        survkit.cox(reun, "Surv(days, breakdown) ~ agee")
    with pytest.raises(survkit.SurvkitError):
        survkit.km(reun, "Surv(days, breakdown ~ support")
    with pytest.raises(ValueError, match="ties"):
        survkit.cox(reun, FULL, ties="nonsense")


def test_bad_values_raise(reun):
    d = reun.copy()
    d.loc[5, "days"] = np.inf
    with pytest.raises(survkit.SurvkitError, match="data row 5"):
        survkit.cox(d, "Surv(days, breakdown) ~ age")


def test_threads_agree(reun):
    """Fits on several threads at once (the GIL is released) give the single-thread numbers."""
    expected = survkit.cox(reun, FULL).params.to_numpy()
    results = [None] * 4

    def work(k):
        results[k] = survkit.cox(reun, FULL).params.to_numpy()

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for r in results:
        assert np.array_equal(r, expected)


@pytest.mark.skipif(not os.environ.get("SURVKIT_CLI"), reason="SURVKIT_CLI (the survkit binary) not set")
def test_equals_cli(reun):
    """The binding and the CLI (--format json, 17 digits) give the same numbers to 1e-12."""
    import json
    import subprocess

    def cli(*args):
        out = subprocess.run([os.environ["SURVKIT_CLI"], *args, "--format", "json",
                              str(ROOT / "datasets" / "reunification.csv")],
                             check=True, capture_output=True, text=True).stdout
        return json.loads(out)

    c = cli("cox", "-f", FULL)
    fit = survkit.cox(reun, FULL)
    close(fit.params, [t["coef"] for t in c["terms"]], 1e-12)
    close(fit.summary["se(coef)"], [t["se"] for t in c["terms"]], 1e-12)
    close(fit.summary["robust se"], [t["robust_se"] for t in c["terms"]], 1e-12)
    close([fit.loglik_null, fit.loglik], [c["loglik_null"], c["loglik"]], 1e-12)
    k = cli("km", "-f", "Surv(days, breakdown) ~ support")
    fit = survkit.km(reun, "Surv(days, breakdown) ~ support")
    for s in k["strata"]:
        rows = fit.table[fit.table.strata == s["label"]]
        close(rows["time"], s["time"], 1e-12)
        close(rows["surv"], s["surv"], 1e-12)
