# make_golden_ipw.R: expected values of survkit's propensity weights and balance table (ipw), from
# R's glm() and the formulas of the CLI contract (docs: /shared/spec/cli.md, "ipw"), written out in
# base R below. Sourced by tests/golden/make_golden.R. Each case writes tests/golden/ipw/<case>.txt:
# the formula and dataset, the options, and ps, weights, their summary (min, max, sums and
# effective sample sizes per group) and the balance rows (one per design column without the
# intercept: smd and variance ratio before and after weighting).
dir.create("tests/golden/ipw", showWarnings = FALSE, recursive = TRUE)

ds <- function(name) read.csv(file.path("datasets", paste0(name, ".csv")))

wvar <- function(x, w) { # sum w (x - mw)^2 * S / (S^2 - S2)
  mw <- sum(w * x) / sum(w); S <- sum(w); S2 <- sum(w^2)
  sum(w * (x - mw)^2) * S / (S^2 - S2)
}

ipw_case <- function(name, dataset, formula, estimand = "ate", stabilize = FALSE, trim = 0) {
  d <- ds(dataset)
  fit <- glm(as.formula(formula), family = binomial, data = d)
  ps <- unname(fitted(fit))
  tr <- fit$y
  w <- if (estimand == "ate") ifelse(tr == 1, 1 / ps, 1 / (1 - ps)) else ifelse(tr == 1, 1, ps / (1 - ps))
  lo <- hi <- NA_real_
  if (trim > 0) {
    lo <- unname(quantile(w, trim, type = 7)); hi <- unname(quantile(w, 1 - trim, type = 7))
    w <- pmin(pmax(w, lo), hi)
  }
  if (stabilize) { pt <- mean(tr == 1); w <- w * ifelse(tr == 1, pt, 1 - pt) }
  X <- model.matrix(fit)[, -1, drop = FALSE]
  t1 <- tr == 1; t0 <- !t1
  bal <- t(apply(X, 2, function(x) {
    vt <- var(x[t1]); vc <- var(x[t0])
    mwt <- sum(w[t1] * x[t1]) / sum(w[t1]); mwc <- sum(w[t0] * x[t0]) / sum(w[t0])
    s <- sqrt((vt + vc) / 2)
    c(smd_before = (mean(x[t1]) - mean(x[t0])) / s, smd_after = (mwt - mwc) / s,
      vr_before = vt / vc, vr_after = wvar(x[t1], w[t1]) / wvar(x[t0], w[t0]))
  }))
  vals <- list(formula = formula, dataset = dataset, estimand = estimand,
               stabilize = as.integer(stabilize), trim = trim,
               n = length(ps), treated = sum(t1), ps = ps, weights = w,
               min = min(w), max = max(w), sum_treated = sum(w[t1]), sum_control = sum(w[t0]),
               ess_treated = sum(w[t1])^2 / sum(w[t1]^2), ess_control = sum(w[t0])^2 / sum(w[t0]^2),
               trim_lower = lo, trim_upper = hi,
               names = colnames(X), smd_before = bal[, "smd_before"], smd_after = bal[, "smd_after"],
               vr_before = bal[, "vr_before"], vr_after = bal[, "vr_after"],
               coef = unname(coef(fit)), deviance = fit$deviance, aic = fit$aic)
  golden_write(file.path("tests/golden/ipw", paste0(name, ".txt")), vals,
               calls = c(sprintf("fit <- glm(%s, family = binomial, data = d); ps <- fitted(fit)", formula),
                         sprintf("estimand %s, stabilize %s, trim %g: weights and balance by the contract's formulas (make_golden_ipw.R)",
                                 estimand, stabilize, trim)))
}

f <- "unplanned ~ age + sex + reason + support + prior_failed"
ipw_case("reunification_ate", "reunification", f)
ipw_case("reunification_att_stab", "reunification", f, estimand = "att", stabilize = TRUE)
ipw_case("reunification_trim", "reunification", f, stabilize = TRUE, trim = 0.05)
ipw_case("lung_ate", "lung", "I(sex == 2) ~ age + ph.ecog + ph.karno + wt.loss")

# IPW-adjusted curves: R's survfit with the ATE weights and robust = TRUE (infinitesimal jackknife),
# per treatment group; at each time the treated-minus-control difference of survival with the
# limits diff +- z sqrt(se_1^2 + se_0^2) and the ratio S_1/S_0 with limits exp(log ratio +- z
# sqrt((se_1/S_1)^2 + (se_0/S_0)^2)) (se from summary(fit, times)$std.err, the groups being
# disjoint sets of rows); the same for the restricted means (print(fit, rmean = tau)'s se(rmean)).
curve_case <- function(name, dataset, formula, surv, times, tau, stabilize = FALSE) {
  d <- ds(dataset)
  fit <- glm(as.formula(formula), family = binomial, data = d)
  ps <- fitted(fit); tr <- fit$y
  w <- ifelse(tr == 1, 1 / ps, 1 / (1 - ps))
  if (stabilize) { pt <- mean(tr == 1); w <- w * ifelse(tr == 1, pt, 1 - pt) }
  d$w <- NA_real_
  d$w[as.integer(names(ps))] <- w
  treat <- deparse(as.formula(formula)[[2]])
  kcall <- sprintf("survfit(%s ~ %s, data = d, weights = w, robust = TRUE)", surv, treat)
  km <- eval(parse(text = kcall))
  s <- summary(km, times = times)
  g <- as.integer(s$strata)
  z <- qnorm(0.975)
  S0 <- s$surv[g == 1]; S1 <- s$surv[g == 2]; e0 <- s$std.err[g == 1]; e1 <- s$std.err[g == 2]
  se_d <- sqrt(e0^2 + e1^2); se_lr <- sqrt((e1 / S1)^2 + (e0 / S0)^2)
  tab <- summary(km, rmean = tau)$table
  r0 <- tab[1, "rmean"]; r1 <- tab[2, "rmean"]; q0 <- tab[1, "se(rmean)"]; q1 <- tab[2, "se(rmean)"]
  se_rd <- sqrt(q0^2 + q1^2); se_rr <- sqrt((q1 / r1)^2 + (q0 / r0)^2)
  vals <- list(formula = formula, dataset = dataset, surv = surv, stabilize = as.integer(stabilize),
               times = times, tau = tau, labels = names(km$strata),
               curve_time = km$time, curve_strata = rep(seq_along(km$strata), km$strata) - 1L,
               curve_surv = km$surv, curve_std_err = km$std.err, curve_lower = km$lower,
               curve_upper = km$upper,
               surv_control = S0, surv_treated = S1, se_control = e0, se_treated = e1,
               diff = S1 - S0, diff_lower = S1 - S0 - z * se_d, diff_upper = S1 - S0 + z * se_d,
               ratio = S1 / S0, ratio_lower = exp(log(S1 / S0) - z * se_lr),
               ratio_upper = exp(log(S1 / S0) + z * se_lr),
               rmst = c(r0, r1), rmst_se = c(q0, q1), rmst_diff = r1 - r0,
               rmst_diff_lower = r1 - r0 - z * se_rd, rmst_diff_upper = r1 - r0 + z * se_rd,
               rmst_ratio = r1 / r0, rmst_ratio_lower = exp(log(r1 / r0) - z * se_rr),
               rmst_ratio_upper = exp(log(r1 / r0) + z * se_rr))
  golden_write(file.path("tests/golden/ipw", paste0(name, ".txt")), vals,
               calls = c(sprintf("fit <- glm(%s, family = binomial, data = d); w: ATE weights%s", formula,
                                 if (stabilize) ", stabilised" else ""),
                         paste0("km <- ", kcall),
                         sprintf("summary(km, times = c(%s)); summary(km, rmean = %g)$table", paste(times, collapse = ", "), tau)))
}
curve_case("curves_reunification", "reunification", f, "Surv(days, breakdown)",
           times = c(180, 365, 730, 1095), tau = 1000)
curve_case("curves_lung", "lung", "I(sex == 2) ~ age + ph.ecog", "Surv(time, status)",
           times = c(100, 200, 365), tau = 500, stabilize = TRUE)
