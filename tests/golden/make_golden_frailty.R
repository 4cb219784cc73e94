# make_golden_frailty.R: expected values of survkit's penalised Cox fits (frailty()), from R's
# survival::coxph with the same terms. Sourced by tests/golden/make_golden.R from the repository
# root; writes tests/golden/frailty/<case>.txt. The tests build the same formula on the same CSV.
dir.create("tests/golden/frailty", showWarnings = FALSE, recursive = TRUE)

reun <- read.csv("datasets/reunification.csv")
bladder2 <- read.csv("datasets/bladder2.csv")
bladder2w <- read.csv("datasets/bladder2_weighted.csv")
kidney <- read.csv("datasets/kidney.csv")
ridge_sim <- read.csv("datasets/ridge_sim.csv")
source("tests/golden/penal_table.R")

# R's printed table of print.coxph.penal (its print1 matrix): one row per coefficient, then the
# frailty row (coef, se, se2 NA; chisq = sum(frail^2 / fvar), df = fit$df of the term,
# p = pchisq(chisq, max(df, 0.5), lower.tail = FALSE)).
frailty_table <- function(fit) {
  rows <- NULL
  if (length(fit$coefficients)) {
    v <- diag(fit$var); v2 <- diag(fit$var2); b <- fit$coefficients
    chisq <- b^2 / v
    rows <- cbind(b, sqrt(v), sqrt(v2), chisq, 1, pchisq(chisq, 1, lower.tail = FALSE))
  }
  if (is.null(fit$frail)) return(rows)  # ridge(): no frailty row
  dff <- fit$df[length(fit$df)]
  test <- sum(fit$frail^2 / fit$fvar)
  rbind(rows, c(NA, NA, NA, test, dff, pchisq(test, max(dff, 0.5), lower.tail = FALSE)))
}

# name: the golden file; formula: as survkit takes it; ties: coxph's ties; naive: add
# robust = FALSE (R's default is a robust variance when some weight is not an integer, which
# R cannot compute for a frailty model; survkit's penalised fits give the naive one).
frailty_case <- function(name, formula, ties = "efron", dataset = "reunification",
                         weights = NULL, naive = FALSE) {
  data_name <- c(reunification = "reun", bladder2 = "bladder2", ridge_sim = "ridge_sim",
                 bladder2_weighted = "bladder2w", kidney = "kidney")[[dataset]]
  run <- penal_coxph(formula, data_name, ties, weights, naive)
  call_text <- run$call_text; fit <- run$fit; warns <- run$warnings
  # the frailty term's history (a ridge() term has its own, first when written first)
  which_h <- grep("^frailty", names(fit$history))
  h <- fit$history[[if (length(which_h)) which_h[1] else 1]]
  c_fixed <- if (is.null(h$c.loglik)) NA else h$c.loglik
  hist <- if (is.null(h$history)) matrix(c(h$theta, NA, c_fixed), 1) else rbind(h$history)
  theta <- hist[nrow(hist), 1]
  gauss <- grepl("gaussian", formula)
  if (is.null(fit$frail)) theta <- NA  # ridge(): theta is the formula's, no variance estimated
  vals <- list(
    dataset = dataset, formula = formula, ties = ties,
    weights = if (is.null(weights)) character() else weights, warnings = warns,
    coef = unname(fit$coefficients), var = as.vector(fit$var), var2 = as.vector(fit$var2),
    df = fit$df, loglik = fit$loglik, iter = fit$iter, penalty = fit$penalty,
    theta = theta, c_loglik = if (gauss) NA else c_fixed,
    history_theta = hist[, 1],
    history_loglik = if (gauss) rep(NA, nrow(hist)) else hist[, 2],
    history_c_loglik = if (gauss) rep(NA, nrow(hist)) else hist[, 3],
    history_resid = if (gauss && ncol(hist) == 4) hist[, 2] else rep(NA, nrow(hist)),
    frail = fit$frail, fvar = fit$fvar, lp = unname(fit$linear.predictors),
    table = as.vector(frailty_table(fit)), n = fit$n, nevent = fit$nevent,
    print_text = capture.output(print(fit)))
  golden_write(file.path("tests/golden/frailty", paste0(name, ".txt")), vals, calls = call_text)
}

frailty_case("family_gamma",
  "Surv(days, breakdown) ~ age + sex + prior_failed + frailty(family_id)")
frailty_case("la_gamma", "Surv(days, breakdown) ~ age + frailty(la)")
frailty_case("family_breslow", "Surv(days, breakdown) ~ age + unplanned + frailty(family_id)",
  "breslow")
frailty_case("la_strata", "Surv(days, breakdown) ~ age + substance + strata(sex) + frailty(la)")
frailty_case("family_fixed",
  "Surv(days, breakdown) ~ age + prior_failed + frailty(family_id, theta = 0.5)")
frailty_case("la_only", "Surv(days, breakdown) ~ frailty(la)")
frailty_case("family_gauss",
  "Surv(days, breakdown) ~ age + prior_failed + frailty(family_id, distribution = 'gaussian')")
frailty_case("la_gauss", "Surv(days, breakdown) ~ age + frailty.gaussian(la)")
frailty_case("la_gauss_fixed", "Surv(days, breakdown) ~ age + frailty.gaussian(la, theta = 0.2)",
  "breslow")
# case weights (R's coxfit5 leaves them out of the frailty block's diagonal); some inner loops
# run out of iterations
frailty_case("la_weights", "Surv(days, breakdown) ~ age + frailty(la)", weights = "months_in_care")
# counting-process data (R's agfit5): recurrent bladder tumours, a frailty per patient
frailty_case("bladder_gamma", "Surv(start, stop, event) ~ rx + number + size + frailty(id)",
  dataset = "bladder2")
frailty_case("bladder_gauss_breslow",
  "Surv(start, stop, event) ~ rx + size + frailty.gaussian(id)", "breslow", dataset = "bladder2")
# ridge(): a simulated cohort of correlated covariates (datasets/make_ridge_sim.R)
frailty_case("ridge_scaled", "Surv(time, status) ~ ridge(x1, x2, x3, x4, x5, theta = 1) + x6",
  dataset = "ridge_sim")
frailty_case("ridge_unscaled_breslow",
  "Surv(time, status) ~ ridge(x1, x2, x3, theta = 5, scale = FALSE)", "breslow",
  dataset = "ridge_sim")
# a sparse frailty and a dense penalty together (R's ptype 3)
frailty_case("la_ridge", "Surv(days, breakdown) ~ ridge(age, prior_failed, theta = 2) + sex + frailty(la)")
# ridge()'s scale is each column's variance before na.omit (months_in_care has 60 missing values)
frailty_case("family_ridge_na",
  "Surv(days, breakdown) ~ ridge(age, prior_failed, months_in_care, theta = 0.5) + frailty(family_id)")
# ridge(df = ) and an estimated frailty variance: R's outer loop runs both searches at once
# (frailty.controldf for the ridge, the frailty's own rule for its theta), every theta each step
frailty_case("la_ridge_df", "Surv(days, breakdown) ~ ridge(age, df = 0.5) + sex + frailty(la)")
frailty_case("la_ridge_df_gauss",
  "Surv(days, breakdown) ~ ridge(age, prior_failed, df = 1) + frailty.gaussian(la)")
# case weights with (start, stop] data and Efron ties: R's agfit5 sums the tied deaths' risk
# times their weight again in Efron's denominators (survkit copies that rule for this case,
# src/cox/efron.c); weights w = 1 / rx (datasets/make_bladder2_weighted.R). R's inner loops
# often run out of iterations here (its score is not its loglik's gradient); so do survkit's.
frailty_case("bladder_w_gamma", "Surv(start, stop, event) ~ rx + size + frailty(id)",
  dataset = "bladder2_weighted", weights = "w", naive = TRUE)
frailty_case("bladder_w_gauss", "Surv(start, stop, event) ~ rx + number + frailty.gaussian(id)",
  dataset = "bladder2_weighted", weights = "w", naive = TRUE)
frailty_case("bladder_w_ridge", "Surv(start, stop, event) ~ ridge(rx, size, theta = 1) + number",
  dataset = "bladder2_weighted", weights = "w", naive = TRUE)
# fractional weights with right-censored data and Efron ties (R's coxfit5 sums the tied deaths'
# risk once, as survkit's kernel does; la_weights has integer weights)
frailty_case("kidney_w_gamma", "Surv(time, status) ~ age + sex + frailty(id)",
  dataset = "kidney", weights = "frail", naive = TRUE)
# frailty(sparse = ): R's frailty.gamma tests it with if (sparse) (a number counts as TRUE);
# sparse = TRUE makes R fit a frailty of 5 groups or fewer sparse (its default there is dense)
frailty_case("support_sparse", "Surv(days, breakdown) ~ age + frailty(support, sparse = TRUE)")
frailty_case("la_sparse_number", "Surv(days, breakdown) ~ age + frailty(la, sparse = 10)")
# the gaussian frailty (REML, R's frailty.controlgauss) with strata, and sparse with 3 groups
frailty_case("la_gauss_strata", "Surv(days, breakdown) ~ age + substance + strata(sex) + frailty.gaussian(la)")
frailty_case("support_gauss_sparse",
  "Surv(days, breakdown) ~ age + frailty(support, distribution = 'gaussian', sparse = TRUE)")
