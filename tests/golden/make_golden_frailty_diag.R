# make_golden_frailty_diag.R: expected values of survkit's diagnostics of penalised Cox fits
# (frailty() and ridge() terms): predict.coxph.penal on new rows, residuals.coxph.penal and
# cox.zph, from R's survival package. Sourced by tests/golden/make_golden.R from the repository
# root; writes tests/golden/frailty_diag/<case>.txt in the layout of make_golden_diag.R (the same
# keys), so that the tests rebuild the fit from dataset, formula, ties and weights.
#
# What R does with these models (survival 3.5), which the tests check survkit does the same:
#  - residuals: every type; the linear predictor holds the frailties, the covariates do not
#    (residuals.coxph.penal drops the sparse column), dfbeta uses fit$var;
#    but with strata on right-censored data R's martingale residuals (fit$residuals, from
#    coxfit5) carry the later strata's cumulative hazard into the earlier ones: survkit refuses
#    martingale and deviance there, and the tests check the refusal (resid_la_strata_*);
#  - cox.zph: the frailty term has no row, its eta holds the frailties; each term's df is fit$df
#    of that term and GLOBAL's is sum(fit$df), the frailty's included; a term after the frailty
#    term makes R fail ("subscript out of bounds");
#  - predict on new rows: lp and risk without the frailty (predict.coxph.penal drops the term),
#    expected from the baseline of exp(fit$linear.predictors), frailties included;
#    survfit(fit, newdata) stops ("Newdata cannot be used when a model has frailty terms"), and
#    with strata the default reference = "strata" fails ("non-conformable arguments").
#  - pspline() terms (issue 16): every method works in R. New rows get the fit's basis through
#    makepredictcall (nterm, Boundary.knots; an age outside the range on the tangent at the end);
#    cox.zph adds fit$coxlist2$second, then the full nvar x nvar matrix (full.imat).
# Also: basehaz of a ridge() fit, the print order of a frailty term inside the formula, and theta
# chosen by frailty(method = "aic"), frailty(df = ) and ridge(df = ).
dir.create("tests/golden/frailty_diag", showWarnings = FALSE, recursive = TRUE)
out_dir <- "tests/golden/frailty_diag"
diag_out_dir <- out_dir
source("tests/golden/diag_cases.R", local = TRUE)

# ---------------------------------------------------------------- cox.zph
# diag_cases.R's zph_case without R's printed table, with the KM transform unless others are named
penal_zph_case <- function(name, dataset, formula, transforms = "km")
  zph_case(name, dataset, formula, transforms = transforms, with_text = FALSE)
penal_zph_case("la_gamma", "reunification", "Surv(days, breakdown) ~ age + sex + frailty(la)",
               transforms = c("km", "rank"))
penal_zph_case("la_strata", "reunification",
               "Surv(days, breakdown) ~ age + substance + strata(sex) + frailty(la)")
penal_zph_case("family_gauss", "reunification",
               "Surv(days, breakdown) ~ age + prior_failed + frailty(family_id, distribution = 'gaussian')")
penal_zph_case("bladder_gamma", "bladder2", "Surv(start, stop, event) ~ rx + number + size + frailty(id)")
# ridge(): R adds fit$coxlist2$second (a vector of p) to the information with
# pmat[1:nvar, 1:nvar] <- second, recycled down every column
penal_zph_case("ridge_scaled", "ridge_sim", "Surv(time, status) ~ ridge(x1, x2, x3, x4, x5, theta = 1) + x6",
               transforms = c("km", "identity"))
penal_zph_case("sex_ridge", "reunification", "Surv(days, breakdown) ~ sex + ridge(age, prior_failed, theta = 2)")
penal_zph_case("la_ridge", "reunification",
               "Surv(days, breakdown) ~ ridge(age, prior_failed, theta = 2) + sex + frailty(la)")
penal_zph_case("lung_pspline", "lung", "Surv(time, status) ~ pspline(age) + sex",
               transforms = c("km", "identity"))
penal_zph_case("lung_pspline_theta", "lung", "Surv(time, status) ~ sex + pspline(age, theta = 0.9)")
penal_zph_case("lung_pspline_ridge", "lung",
               "Surv(time, status) ~ pspline(age, df = 3) + ridge(sex, ph.ecog, theta = 1)")
penal_zph_case("la_pspline", "reunification", "Surv(days, breakdown) ~ pspline(age) + sex + frailty(la)")

# ---------------------------------------------------------------- residuals
all_types <- c("martingale", "deviance", "score", "schoenfeld", "scaledsch", "dfbeta", "dfbetas")
resid_case("la_gamma", "reunification", "Surv(days, breakdown) ~ age + sex + frailty(la)",
           all_types)
resid_case("la_strata", "reunification",
           "Surv(days, breakdown) ~ age + substance + strata(sex) + frailty(la)", all_types)
resid_case("la_weights", "reunification", "Surv(days, breakdown) ~ age + frailty(la)",
           all_types, weights = "months_in_care")
resid_case("family_breslow", "reunification",
           "Surv(days, breakdown) ~ age + unplanned + frailty(family_id)",
           c("martingale", "deviance", "score", "schoenfeld", "dfbeta"), ties = "breslow")
resid_case("bladder_gamma", "bladder2", "Surv(start, stop, event) ~ rx + number + size + frailty(id)",
           all_types)
resid_case("ridge_scaled", "ridge_sim",
           "Surv(time, status) ~ ridge(x1, x2, x3, x4, x5, theta = 1) + x6", all_types)
resid_case("la_ridge", "reunification",
           "Surv(days, breakdown) ~ ridge(age, prior_failed, theta = 2) + sex + frailty(la)",
           c("martingale", "score", "schoenfeld", "dfbeta"))
resid_case("lung_pspline", "lung", "Surv(time, status) ~ pspline(age) + sex", all_types)
# case weights, (start, stop] data, Efron ties: the fit follows R's agfit5 (src/cox/efron.c), the
# residuals R's agmart3 and residuals.coxph, which count each weight once as every other fit
resid_case("bladder_w_gamma", "bladder2_weighted", "Surv(start, stop, event) ~ rx + size + frailty(id)",
           all_types, weights = "w", naive = TRUE)

# ---------------------------------------------------------------- predict on new rows
# As make_golden_diag.R's predict_case; `times` empty for frailty models (R's survfit refuses
# newdata there) and `reference` for predict's lp.
# expected = FALSE: no expected counts (R's predict fails there: a dense frailty with strata).
predict_case <- function(name, dataset, formula, rows, times = numeric(), ties = "efron",
                         weights = NULL, reference = "strata", modify = identity,
                         expected = TRUE) {
  d <- ds(dataset)
  f <- fit_case(d, formula, ties, weights)
  nd <- modify(d[rows, ])
  path <- file.path(out_dir, sprintf("newdata_%s.csv", name))
  write.csv(nd, path, row.names = FALSE)
  nd <- read.csv(path)
  lp <- predict(f$fit, newdata = nd, type = "lp", se.fit = TRUE, reference = reference)
  surv <- se <- lower <- upper <- NULL
  for (i in seq_len(nrow(nd))) {
    if (!length(times)) break
    s <- summary(survfit(f$fit, newdata = nd[i, ]), times = times, extend = TRUE)
    surv <- c(surv, s$surv); se <- c(se, s$std.chaz)
    lower <- c(lower, s$lower); upper <- c(upper, s$upper)
  }
  vals <- c(inputs(dataset, formula, ties, weights), list(
    newdata = basename(path), reference = reference, times = times,
    lp = unname(lp$fit), lp_se = unname(lp$se.fit),
    risk = unname(predict(f$fit, newdata = nd, type = "risk", reference = reference)),
    expected = if (expected) unname(predict(f$fit, newdata = nd, type = "expected")),
    surv = surv, std_err = se, lower = lower, upper = upper))
  golden_write(file.path(out_dir, sprintf("predict_%s.txt", name)), vals,
               calls = c(f$call,
                 sprintf("predict(fit, newdata = nd, type = 'lp', se.fit = TRUE, reference = '%s')", reference),
                 sprintf("predict(fit, newdata = nd, type = 'risk', reference = '%s')%s", reference,
                         if (expected) "; predict(fit, newdata = nd, type = 'expected')" else ""),
                 if (length(times)) "summary(survfit(fit, newdata = nd[i, ]), times = times, extend = TRUE)"))
}
predict_case("la_gamma", "reunification", "Surv(days, breakdown) ~ age + sex + frailty(la)",
             c(1, 2, 5, 100, 2500))
predict_case("la_strata", "reunification",
             "Surv(days, breakdown) ~ age + substance + strata(sex) + frailty(la)",
             c(1, 2, 5, 100, 2500), reference = "sample")
predict_case("bladder_gamma", "bladder2",
             "Surv(start, stop, event) ~ rx + number + size + frailty(id)", c(1, 20, 50, 100))
predict_case("ridge_scaled", "ridge_sim",
             "Surv(time, status) ~ ridge(x1, x2, x3, x4, x5, theta = 1) + x6", c(1, 2, 3, 40),
             times = c(2, 5, 10))
predict_case("lung_pspline", "lung", "Surv(time, status) ~ pspline(age) + sex",
             c(1, 2, 5, 100, 200), times = c(100, 300, 600))
# ages outside the fit's range (39, 82): R's pspline on the tangent at the nearer end
predict_case("lung_pspline_outside", "lung", "Surv(time, status) ~ pspline(age, df = 3) + sex",
             c(1, 2, 3, 4), modify = function(nd) { nd$age <- c(20, 38.5, 90, 60); nd })

# ---------------------------------------------------------------- basehaz of a ridge() fit
# (basehaz of a frailty model is refused: R's survfit.coxph leaves the frailties out there)
basehaz_case <- function(name, dataset, formula) {
  f <- fit_case(ds(dataset), formula, "efron", NULL)
  for (centered in c(TRUE, FALSE)) {
    b <- basehaz(f$fit, centered = centered)
    golden_write(file.path(out_dir, sprintf("basehaz_%s_%s.txt", name,
                                            if (centered) "centered" else "raw")),
                 c(inputs(dataset, formula, "efron", NULL),
                   list(centered = centered, time = b$time, hazard = b$hazard)),
                 calls = c(f$call, sprintf("basehaz(fit, centered = %s)", centered)))
  }
}
basehaz_case("ridge_scaled", "ridge_sim", "Surv(time, status) ~ ridge(x1, x2, x3, x4, x5, theta = 1) + x6")
basehaz_case("lung_pspline", "lung", "Surv(time, status) ~ pspline(age) + sex")

# ---------------------------------------------------------------- print order
# print.coxph.penal keeps the formula's order (the frailty row between age and prior_failed), and
# fit$df follows the terms: test_frailty_diag.sh compares survkit's text from the table on.
print_case <- function(name, formula, ties = "efron") {
  f <- fit_case(ds("reunification"), formula, ties, NULL)
  golden_write(file.path(out_dir, sprintf("print_%s.txt", name)),
               c(inputs("reunification", formula, ties, NULL),
                 list(df = f$fit$df, print_text = capture.output(print(f$fit)))),
               calls = c(f$call, "print(fit)"))
}
print_case("la_middle", "Surv(days, breakdown) ~ age + frailty(la) + prior_failed")
print_case("family_first", "Surv(days, breakdown) ~ frailty(family_id) + age + sex + unplanned")
print_case("ridge_la_sex", "Surv(days, breakdown) ~ ridge(age, prior_failed, theta = 2) + frailty(la) + sex")

# ---------------------------------------------------------------- method = "aic", df =
# R's frailty.controlaic and frailty.controldf choose theta; fit$history[[1]]$history holds every
# fit's theta (column 1). test_frailty_diag.c compares the fit, test_frailty_diag.sh the print.
method_case <- function(name, formula, ties = "efron", dataset = "reunification",
                        history = TRUE) {
  f <- fit_case(ds(dataset), formula, ties, NULL)
  h <- if (history) f$fit$history[[1]]$history else matrix(numeric(), 0, 1)
  golden_write(file.path(out_dir, sprintf("method_%s.txt", name)),
               c(inputs(dataset, formula, ties, NULL),
                 list(coef = unname(f$fit$coefficients), var = as.vector(f$fit$var),
                      df = f$fit$df, loglik = f$fit$loglik, iter = f$fit$iter,
                      history_theta = unname(h[, 1][h[, 1] > 0 | seq_len(nrow(h)) > 1]),
                      frail = f$fit$frail, fvar = f$fit$fvar,
                      print_text = capture.output(print(f$fit)))),
               calls = c(f$call, "print(fit)"))
}
method_case("gamma_aic", "Surv(days, breakdown) ~ age + frailty(la, method = 'aic')")
method_case("gauss_aic", "Surv(days, breakdown) ~ age + frailty(la, distribution = 'gaussian', method = 'aic')")
method_case("gauss_aic_strata",
            "Surv(days, breakdown) ~ age + frailty(la, distribution = 'gaussian', method = 'aic') + strata(sex)")
method_case("gauss_df0", "Surv(days, breakdown) ~ age + prior_failed + frailty.gaussian(family_id, df = 0)")
method_case("gamma_df", "Surv(days, breakdown) ~ age + frailty(la, df = 4)")
method_case("gauss_df", "Surv(days, breakdown) ~ age + sex + frailty(la, distribution = 'gaussian', df = 4)", "breslow")
method_case("family_df", "Surv(days, breakdown) ~ age + prior_failed + frailty(family_id, df = 30)")
# ridge(df = ) and ridge() without theta or df (R's df = nvar / 2): frailty.controldf on the
# ridge term's df; with a frailty of fixed variance (history: the frailty's, not compared)
method_case("ridge_df", "Surv(days, breakdown) ~ ridge(age, prior_failed, df = 1.5) + sex")
method_case("ridge_default", "Surv(time, status) ~ ridge(x1, x2, x3, x4, x5) + x6",
            dataset = "ridge_sim")
method_case("ridge_df_frail", "Surv(days, breakdown) ~ ridge(age, prior_failed, df = 1.2) + frailty(la, theta = 0.2)",
            history = FALSE)
# ridge(df = ) and frailty(df = ) together: both frailty.controldf searches in one outer loop
method_case("ridge_df_frail_df",
            "Surv(days, breakdown) ~ ridge(age, prior_failed, df = 1.5) + frailty(family_id, df = 30)",
            history = FALSE)

# ---------------------------------------------------------------- dense frailty (issue 16)
# frailty(x) with 5 groups or fewer (or sparse = FALSE): R's X holds one 0/1 column per group
# (gamma:<group>, gauss:<group>), fit$var is (p + G) square, the linear predictor holds the
# group's coefficient. R (survival 3.5-3) then: residuals of every type with a column per
# coefficient (groups included), predict lp/risk/expected/terms, predict on new rows (their group
# by fit$xlevels), basehaz: all work. cox.zph fails ("non-conformable arrays"), so does
# survfit(fit, newdata) ("non-conformable arguments"); with strata(sex) score, Schoenfeld and
# dfbeta residuals, basehaz, predict's expected on new rows and reference = "strata" fail, and
# the martingale residuals are coxfit5's (carried over between strata, refused as above).
# With cluster() every diagnostic works as without it.
dense_f <- "Surv(time, status) ~ age + frailty(ph.ecog)"
dense_gauss_f <- "Surv(time, status) ~ age + sex + frailty(ph.ecog, distribution = 'gaussian')"
dense_strata_f <- "Surv(time, status) ~ age + strata(sex) + frailty(ph.ecog)"
resid_case("lung_dense", "lung", dense_f, all_types)
resid_case("lung_dense_gauss", "lung", dense_gauss_f, c("martingale", "score", "schoenfeld", "dfbeta"))
resid_case("lung_dense_strata", "lung", dense_strata_f, c("martingale", "deviance"))
# rows 14 (ph.ecog missing: NA) and 1, 2, 5, 100 (groups 1, 0, 0, 2)
predict_case("lung_dense", "lung", dense_f, c(1, 2, 5, 14, 100))
predict_case("lung_dense_gauss", "lung", dense_gauss_f, c(1, 2, 5, 14, 100), reference = "sample")
predict_case("lung_dense_strata", "lung", dense_strata_f, c(1, 2, 5, 100), reference = "sample",
             modify = function(nd) nd[, setdiff(names(nd), c("time", "status"))], expected = FALSE)
basehaz_case("lung_dense", "lung", dense_f)
# With cluster(): R's fit$var is the robust variance over every column (groups included), which
# predict's se uses, and fit$naive.var the naive one, which the dfbeta residuals use.
dense_cluster_f <- "Surv(time, status) ~ age + frailty(ph.ecog) + cluster(inst)"
resid_case("lung_dense_cluster", "lung", dense_cluster_f, all_types)
predict_case("lung_dense_cluster", "lung", dense_cluster_f, c(1, 2, 5, 14, 100))

# The names of R's columns (survkit has no predict type "terms"), and predict(fit) lp and risk on the fit's own rows: the same numbers
# as on the fit's data as new rows (checked here), which the tests compare with survkit's predict.
# (predict(fit, type = "expected") on its own rows is status - the martingale residuals, tested
# with those; on new rows R uses the baseline without Efron's tied-death split, as survkit.)
dense_names_case <- function(name, formula) {
  d <- ds("lung")
  f <- fit_case(d, formula, "efron", NULL)
  used <- as.integer(rownames(model.frame(f$fit)))
  own <- lapply(c(lp = "lp", risk = "risk"), function(ty) unname(predict(f$fit, type = ty)))
  for (ty in names(own))
    stopifnot(isTRUE(all.equal(own[[ty]], unname(predict(f$fit, newdata = d[used, ], type = ty)),
                               tolerance = 1e-12)))
  golden_write(file.path(out_dir, sprintf("names_%s.txt", name)),
               c(inputs("lung", formula, "efron", NULL),
                 list(coef_names = names(coef(f$fit)),
                      resid_names = colnames(suppressWarnings(residuals(f$fit, type = "score"))),
                      rows = used, lp = own$lp, risk = own$risk)),
               calls = c(f$call, "names(coef(fit)); colnames(residuals(fit, type = 'score')) (R's dfbeta matrix has no column names)",
                         "predict(fit, type = 'lp'); predict(fit, type = 'risk')"))
}
dense_names_case("lung_dense", dense_f)
dense_names_case("lung_dense_gauss", dense_gauss_f)
