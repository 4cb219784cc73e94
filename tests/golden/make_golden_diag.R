# make_golden_diag.R: expected values of survkit's Cox diagnostics (cox.zph, residuals.coxph,
# basehaz, predict.coxph and survfit.coxph with newdata), from R's survival package.
# Sourced by tests/golden/make_golden.R (run from the repository root). Each case writes
# tests/golden/diag/<case>.txt with the dataset, formula, ties and weights column that survkit
# needs to rebuild the fit, and R's results. Data come from the committed CSVs (read.csv).
dir.create("tests/golden/diag", showWarnings = FALSE, recursive = TRUE)

diag_out_dir <- "tests/golden/diag"
source("tests/golden/diag_cases.R", local = TRUE)

# ---------------------------------------------------------------- cox.zph
zph_case("lung", "lung", "Surv(time, status) ~ age + sex + ph.ecog")
zph_case("lung_breslow", "lung", "Surv(time, status) ~ age + sex + ph.ecog", ties = "breslow",
         transforms = "km")
zph_case("veteran_factor", "veteran", "Surv(time, status) ~ karno + celltype",
         transforms = c("km", "rank"))
zph_case("lung_strata", "lung", "Surv(time, status) ~ age + ph.ecog + strata(sex)",
         transforms = "km")
zph_case("kidney_weights", "kidney", "Surv(time, status) ~ age + sex + disease", weights = "frail",
         transforms = c("km", "identity"))
zph_case("heart_counting", "heart",
         "Surv(start, stop, event) ~ age + year + surgery + transplant",
         transforms = c("km", "rank"))
zph_case("heart_breslow", "heart",
         "Surv(start, stop, event) ~ age + year + surgery + transplant", ties = "breslow",
         transforms = "km")

# ---------------------------------------------------------------- residuals.coxph
all_types <- c("martingale", "deviance", "score", "schoenfeld", "scaledsch", "dfbeta", "dfbetas")
resid_case("lung", "lung", "Surv(time, status) ~ age + sex + ph.ecog", all_types)
resid_case("lung_breslow", "lung", "Surv(time, status) ~ age + sex + ph.ecog", all_types,
           ties = "breslow")
resid_case("veteran_factor", "veteran", "Surv(time, status) ~ karno + celltype",
           c("martingale", "schoenfeld", "dfbeta"))
resid_case("lung_strata", "lung", "Surv(time, status) ~ age + ph.ecog + strata(sex)", all_types)
resid_case("kidney_weights", "kidney", "Surv(time, status) ~ age + sex + disease",
           all_types, weights = "frail")
resid_case("heart", "heart", "Surv(start, stop, event) ~ age + year + surgery + transplant",
           all_types)
resid_case("heart_id", "heart", "Surv(start, stop, event) ~ age + year + surgery + transplant",
           c("martingale", "deviance", "score", "dfbeta", "dfbetas"), collapse = "id")
resid_case("rats_litter", "rats", "Surv(time, status) ~ rx + sex + cluster(litter)",
           c("martingale", "dfbeta"), collapse = "litter")
# Exact fits: R keeps the martingale residuals of coxexact.fit (Breslow's, coxmart2) and the
# deviance made from them; score, Schoenfeld and dfbeta types stop() (see test_diag_residuals.c).
resid_case("lung_exact", "lung", "Surv(time, status) ~ age + sex + ph.ecog",
           c("martingale", "deviance"), ties = "exact")
resid_case("veteran_exact", "veteran", "Surv(time, status) ~ karno + celltype + strata(prior)",
           c("martingale", "deviance"), ties = "exact")
resid_case("rats_exact", "rats", "Surv(time, status) ~ rx + sex",
           c("martingale", "deviance"), ties = "exact", collapse = "litter")

# ---------------------------------------------------------------- basehaz
basehaz_case <- function(name, dataset, formula, ties = "efron", weights = NULL) {
  f <- fit_case(ds(dataset), formula, ties, weights)
  for (centered in c(TRUE, FALSE)) {
    b <- basehaz(f$fit, centered = centered)
    vals <- c(inputs(dataset, formula, ties, weights), list(
      centered = centered, time = b$time, hazard = b$hazard,
      strata = if (is.null(b$strata)) character() else as.character(b$strata)))
    golden_write(file.path("tests/golden/diag",
                           sprintf("basehaz_%s_%s.txt", name, if (centered) "centered" else "raw")),
                 vals, calls = c(f$call, sprintf("basehaz(fit, centered = %s)", centered)))
  }
}
basehaz_case("lung", "lung", "Surv(time, status) ~ age + sex + ph.ecog")
basehaz_case("lung_breslow", "lung", "Surv(time, status) ~ age + sex + ph.ecog", ties = "breslow")
basehaz_case("veteran_factor", "veteran", "Surv(time, status) ~ karno + celltype")
basehaz_case("lung_strata", "lung", "Surv(time, status) ~ age + ph.ecog + strata(sex)")
basehaz_case("kidney_weights", "kidney", "Surv(time, status) ~ age + sex + disease",
             weights = "frail")
basehaz_case("heart", "heart", "Surv(start, stop, event) ~ age + year + surgery + transplant")

# ---------------------------------------------------------------- predict, survfit(newdata)
# The new rows are rows of the dataset, written to tests/golden/diag/newdata_<name>.csv (and read
# back, so that R and survkit see the same text). Per row: predict's lp (with se.fit), risk and
# expected, and summary(survfit(fit, newdata = row), times, extend = TRUE).
# `na` (column = rows, or NULL) sets values missing after the rows are taken: predict.coxph's
# newdata na.action is na.pass, so lp, se, risk and expected are NA for a row with a missing
# covariate or stratum (expected also for a missing time; a missing status does not matter);
# survfit.coxph leaves such rows out (no curve), written here as NA.
predict_case <- function(name, dataset, formula, rows, times, ties = "efron", weights = NULL,
                         na = NULL) {
  d <- ds(dataset)
  f <- fit_case(d, formula, ties, weights)
  nd <- d[rows, ]
  for (col in names(na)) nd[[col]][na[[col]]] <- NA
  path <- file.path("tests/golden/diag", sprintf("newdata_%s.csv", name))
  write.csv(nd, path, row.names = FALSE)
  nd <- read.csv(path)
  lp <- predict(f$fit, newdata = nd, type = "lp", se.fit = TRUE)
  surv <- se <- lower <- upper <- NULL
  for (i in seq_len(nrow(nd))) {
    s <- if (is.na(lp$fit[i])) lapply(list(surv = NA, std.chaz = NA, lower = NA, upper = NA),
                                      rep, length(times))
         else summary(survfit(f$fit, newdata = nd[i, ]), times = times, extend = TRUE)
    surv <- c(surv, s$surv); se <- c(se, s$std.chaz)
    lower <- c(lower, s$lower); upper <- c(upper, s$upper)
  }
  vals <- c(inputs(dataset, formula, ties, weights), list(
    newdata = basename(path), times = times, lp = unname(lp$fit), lp_se = unname(lp$se.fit),
    risk = unname(predict(f$fit, newdata = nd, type = "risk")),
    expected = unname(predict(f$fit, newdata = nd, type = "expected")),
    # per row, then per time (row-major: row i's values at every time together)
    surv = surv, std_err = se, lower = lower, upper = upper))
  golden_write(file.path("tests/golden/diag", sprintf("predict_%s.txt", name)), vals,
               calls = c(f$call, "predict(fit, newdata = nd, type = 'lp', se.fit = TRUE)",
                         "predict(fit, newdata = nd, type = 'risk'); predict(fit, newdata = nd, type = 'expected')",
                         if (is.null(na)) "summary(survfit(fit, newdata = nd[i, ]), times = times, extend = TRUE)"
                         else "summary(survfit(fit, newdata = nd[i, ]), times = times, extend = TRUE) for the rows with an lp; NA otherwise"))
}
predict_case("lung", "lung", "Surv(time, status) ~ age + sex + ph.ecog", c(1, 2, 5, 10, 50),
             c(0, 5, 100, 365, 1000))
predict_case("lung_breslow", "lung", "Surv(time, status) ~ age + sex + ph.ecog",
             c(1, 2, 5, 10, 50), c(100, 365, 1000), ties = "breslow")
predict_case("veteran_factor", "veteran", "Surv(time, status) ~ karno + celltype",
             c(1, 40, 60, 100), c(10, 100, 500))
predict_case("lung_strata", "lung", "Surv(time, status) ~ age + ph.ecog + strata(sex)",
             c(1, 7, 12, 20), c(50, 200, 600))
predict_case("kidney_weights", "kidney", "Surv(time, status) ~ age + sex + disease",
             c(1, 10, 30, 60), c(10, 100, 300), weights = "frail")
predict_case("heart", "heart", "Surv(start, stop, event) ~ age + year + surgery + transplant",
             c(1, 2, 3, 50, 100), c(10, 100, 1000))
# The reunification cohort: first, child 546, a 12-year-old returned without a plan after two failed
# returns (strata la, a cluster: robust variance).
predict_case("reunification", "reunification",
             "Surv(days, breakdown) ~ age + sex + prior_failed + unplanned + substance + reason + support + strata(la) + cluster(family_id)",
             c(546, 4, 100, 2000), c(30, 180, 365, 730))

# ---------------------------------------------------------------- predict with missing values
# lung row 14 has no ph.ecog; age, time and status removed from other rows.
predict_case("lung_na", "lung", "Surv(time, status) ~ age + sex + ph.ecog",
             c(1, 2, 14, 5, 10, 50), c(100, 365), na = list(age = 2, time = 4, status = 5))
# Strata: a missing age, and a missing stratum (R's expected is 0 there; survkit gives NA).
predict_case("lung_strata_na", "lung", "Surv(time, status) ~ age + ph.ecog + strata(sex)",
             c(1, 7, 12, 20), c(50, 200), na = list(age = 2, sex = 3))
