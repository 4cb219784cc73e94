# make_golden_survreg.R: expected values of survkit's survreg, from R's survival::survreg and
# summary(survreg). Sourced by tests/golden/make_golden.R (run from the repository root). Each case
# writes tests/golden/survreg/<case>.txt holding the model's inputs as survkit's array entry point
# takes them (the design matrix from survreg(x = TRUE) without its intercept column, the response
# as R's Surv codes it, 0-based strata and cluster codes) and survreg's results.
dir.create("tests/golden/survreg", showWarnings = FALSE, recursive = TRUE)
suppressPackageStartupMessages(library(splines)) # ns() in a formula

ds <- function(name) read.csv(file.path("datasets", paste0(name, ".csv")))

sr_case <- function(name, call_text, data, dist, scale = 0, strata = NULL, cluster = NULL,
                    weights = NULL, offset = NULL, robust = "auto", iter_max = 30) {
  warns <- character()
  fit <- withCallingHandlers(
    eval(parse(text = call_text), envir = list2env(list(d = data), parent = globalenv())),
    warning = function(w) { warns <<- c(warns, conditionMessage(w)); invokeRestart("muffleWarning") })
  y <- fit$y
  interval <- ncol(y) == 3
  x <- fit$x[, -1, drop = FALSE]
  s <- summary(fit)
  tab <- s$table
  has_naive <- !is.null(fit$naive.var)
  vals <- list(
    n = nrow(y), p = ncol(x), interval = as.integer(interval),
    time = y[, 1], time2 = if (interval) y[, 2] else numeric(), status = y[, ncol(y)],
    x = as.vector(x), names = colnames(x),
    weights = if (is.null(weights)) numeric() else weights,
    offset = if (is.null(offset)) numeric() else offset,
    strata = if (is.null(strata)) integer() else as.integer(factor(strata)) - 1L,
    n_strata = if (is.null(strata)) 0L else length(unique(strata)),
    strata_labels = if (length(fit$scale) > 1) names(fit$scale) else character(),
    cluster = if (is.null(cluster)) integer() else as.integer(factor(cluster)) - 1L,
    n_clusters = if (is.null(cluster)) 0L else length(unique(cluster)),
    dist = dist, fixed_scale = scale, robust = robust, iter_max = iter_max,
    # results
    coef = unname(fit$coefficients), scale = unname(fit$scale), var = as.vector(vcov(fit)),
    naive_var = if (has_naive) as.vector(fit$naive.var) else numeric(),
    loglik = fit$loglik, iter = fit$iter, lp = unname(fit$linear.predictors),
    row_names = rownames(tab), value = unname(tab[, 1]), se = unname(tab[, 2]),
    naive_se = if (has_naive) unname(tab[, 3]) else numeric(),
    z = unname(tab[, if (has_naive) 4 else 3]), pvalue = unname(tab[, if (has_naive) 5 else 4]),
    chi = s$chi, df = sum(fit$df) - fit$idf,
    chi_p = pchisq(s$chi, sum(fit$df) - fit$idf, lower.tail = FALSE),
    n_warnings = length(warns), warnings = warns,
    summary_text = gsub("\t", "\\t", capture.output(print(s)), fixed = TRUE))
  golden_write(file.path("tests/golden/survreg", paste0(name, ".txt")), vals, calls = call_text)
}

lung <- ds("lung")
lung <- lung[complete.cases(lung[, c("time", "status", "age", "sex", "ph.ecog")]), ]
for (dist in c("weibull", "exponential", "gaussian", "logistic", "lognormal", "loglogistic"))
  sr_case(paste0("lung_", dist),
          sprintf("survreg(Surv(time, status) ~ age + sex + ph.ecog, data = d, dist = '%s', x = TRUE)", dist),
          lung, dist)

# The intercept only (R's meanonly path: no intercept-only pre-fit).
sr_case("lung_meanonly", "survreg(Surv(time, status) ~ 1, data = d, x = TRUE)", lung, "weibull")

# A scale per stratum.
sr_case("lung_strata", "survreg(Surv(time, status) ~ age + ph.ecog + strata(sex), data = d, x = TRUE)",
        lung, "weibull", strata = lung$sex)
sr_case("lung_strata_lognormal",
        "survreg(Surv(time, status) ~ age + sex + strata(ph.ecog > 0), data = d, dist = 'lognormal', x = TRUE)",
        lung, "lognormal", strata = lung$ph.ecog > 0)

# Case weights (not whole numbers) and an offset.
lung_w <- lung
lung_w$w <- 0.5 + (seq_len(nrow(lung_w)) %% 4) / 3
sr_case("lung_weights",
        "survreg(Surv(time, status) ~ age + sex + ph.ecog, data = d, weights = w, dist = 'loglogistic', x = TRUE)",
        lung_w, "loglogistic", weights = lung_w$w)
sr_case("lung_offset",
        "survreg(Surv(time, status) ~ sex + ph.ecog + offset(age / 100), data = d, dist = 'lognormal', x = TRUE)",
        lung, "lognormal", offset = lung$age / 100)

# A fixed scale.
sr_case("lung_fixed_scale",
        "survreg(Surv(time, status) ~ age + sex + ph.ecog, data = d, scale = 0.8, x = TRUE)",
        lung, "weibull", scale = 0.8)
sr_case("lung_fixed_scale_gaussian",
        "survreg(Surv(time, status) ~ age + sex, data = d, dist = 'gaussian', scale = 250, x = TRUE)",
        lung, "gaussian", scale = 250)

# Robust variance: cluster(inst), and robust = TRUE (one cluster per row).
lung_i <- lung[!is.na(lung$inst), ]
sr_case("lung_cluster",
        "survreg(Surv(time, status) ~ age + sex + ph.ecog + cluster(inst), data = d, x = TRUE)",
        lung_i, "weibull", cluster = lung_i$inst)
sr_case("lung_robust",
        "survreg(Surv(time, status) ~ age + sex + ph.ecog, data = d, dist = 'loglogistic', robust = TRUE, x = TRUE)",
        lung, "loglogistic", robust = "on")
sr_case("lung_cluster_strata",
        "survreg(Surv(time, status) ~ age + ph.ecog + strata(sex) + cluster(inst), data = d, dist = 'lognormal', x = TRUE)",
        lung_i, "lognormal", strata = lung_i$sex, cluster = lung_i$inst)

# An aliased column.
sr_case("lung_aliased",
        "survreg(Surv(time, status) ~ age + I(2 * age) + sex, data = d, x = TRUE)", lung, "weibull")

# Factors with an interaction.
vet <- ds("veteran")
sr_case("veteran_factor",
        "survreg(Surv(time, status) ~ karno + trt * celltype, data = d, x = TRUE)", vet, "weibull")

# Out of iterations: R's warning, iteration count and last iterate.
sr_case("lung_iter2",
        "survreg(Surv(time, status) ~ age + sex + ph.ecog, data = d, dist = 'loglogistic', maxiter = 2, x = TRUE)",
        lung, "loglogistic", iter_max = 2)

# No events at all: the loglik goes to 0 and R never sees a relative change small enough (0/0):
# out of iterations, with R's warning.
sr_case("no_events", "survreg(Surv(time, status) ~ x, data = d, x = TRUE)",
        data.frame(time = c(5, 3, 7), status = 0, x = c(1, 2, 3)), "weibull")

# Interval data, Surv(time1, time2, type = 'interval2'): left (time1 NA), right (time2 NA),
# interval and exact (equal bounds) rows, built from lung's times by a fixed rule.
iv <- lung
k <- seq_len(nrow(iv)) %% 5
iv$t1 <- ifelse(iv$status == 1, iv$time, ifelse(k == 0, NA, ifelse(k == 1, iv$time, iv$time - 10 - k * 7)))
iv$t2 <- ifelse(iv$status == 1, NA, ifelse(k == 0, iv$time + 20, ifelse(k == 1, iv$time, iv$time + 15)))
# survival 3.5-3 takes the log of a lower bound of 0 and stops ("Invalid survival times for this
# distribution"; later versions make such a row left-censored): bounds of at least 1 here.
iv$t1[!is.na(iv$t1) & iv$t1 < 1] <- 1
# the same rows as a CSV for the command-line test (tests/cli/test_survreg.sh)
write.csv(iv[, c("t1", "t2", "age", "sex", "ph.ecog")], "tests/golden/survreg/interval_data.csv",
          row.names = FALSE, na = "")
for (dist in c("weibull", "gaussian", "loglogistic", "lognormal"))
  sr_case(paste0("interval_", dist),
          sprintf("survreg(Surv(t1, t2, type = 'interval2') ~ age + sex + ph.ecog, data = d, dist = '%s', x = TRUE)", dist),
          iv, dist)
sr_case("interval_robust",
        "survreg(Surv(t1, t2, type = 'interval2') ~ age + sex, data = d, dist = 'weibull', robust = TRUE, x = TRUE)",
        iv, "weibull", robust = "on")

# Robust variance with case weights: survival 3.5-3 sums unweighted dfbeta residuals.
lung_wi <- lung_w[!is.na(lung_w$inst), ]
sr_case("lung_weights_cluster",
        "survreg(Surv(time, status) ~ age + sex + ph.ecog + cluster(inst), data = d, weights = w, dist = 'gaussian', x = TRUE)",
        lung_wi, "gaussian", weights = lung_wi$w, cluster = lung_wi$inst)

# predict.survreg for new rows: types lp, response (with se.fit) and quantile (p = 0.25, 0.5,
# with se.fit), and 1 - psurvreg(t, lp, scale) at two times. The new rows (written as CSV for the
# test, a missing covariate in the last one) are the first rows of the data.
pred_case <- function(name, call_text, data, newdata, dist, times = c(100, 365), newstrata = NULL) {
  fit <- eval(parse(text = call_text), envir = list2env(list(d = data), parent = globalenv()))
  nd_path <- file.path("tests/golden/survreg", paste0("newdata_", name, ".csv"))
  write.csv(newdata, nd_path, row.names = FALSE, na = "")
  lp <- predict(fit, newdata, type = "lp", se.fit = TRUE)
  resp <- predict(fit, newdata, type = "response", se.fit = TRUE)
  qq <- predict(fit, newdata, type = "quantile", p = c(0.25, 0.5), se.fit = TRUE)
  sc <- if (is.null(newstrata)) rep(fit$scale, nrow(newdata)) else unname(fit$scale[newstrata])
  surv <- sapply(times, function(t) 1 - psurvreg(t, lp$fit, sc, dist))
  golden_write(file.path("tests/golden/survreg", paste0("pred_", name, ".txt")),
               list(dataset = name, formula = deparse(formula(fit), width.cutoff = 500L), dist = dist,
                    n = nrow(newdata), lp = unname(lp$fit), lp_se = unname(lp$se.fit),
                    response = unname(resp$fit), response_se = unname(resp$se.fit),
                    quantile = as.vector(qq$fit), quantile_se = as.vector(qq$se.fit),
                    p = c(0.25, 0.5), times = times, survival = as.vector(surv)),
               calls = c(call_text, "predict(fit, newdata, type = 'lp' | 'response' | 'quantile', p = c(0.25, 0.5), se.fit = TRUE)",
                         "1 - psurvreg(times, lp, scale, dist)"))
}
lung_nd <- lung[c(1:7, 9), c("time", "status", "age", "sex", "ph.ecog", "inst")]
lung_nd$age[8] <- NA
pred_case("lung_weibull", "survreg(Surv(time, status) ~ age + sex + ph.ecog, data = d)", lung, lung_nd, "weibull")
pred_case("lung_lognormal", "survreg(Surv(time, status) ~ age + sex + ph.ecog, data = d, dist = 'lognormal')", lung, lung_nd, "lognormal")
pred_case("lung_logistic", "survreg(Surv(time, status) ~ age + sex + ph.ecog, data = d, dist = 'logistic')", lung, lung_nd, "logistic")
pred_case("lung_strata", "survreg(Surv(time, status) ~ age + ph.ecog + strata(sex), data = d)", lung, lung_nd, "weibull",
          newstrata = paste0("sex=", lung_nd$sex))
# a spline basis: new rows get the fit's knots (makepredictcall), not knots of their own; all
# of lung.csv, as the test fits it (ns() takes its knots from every row of the data)
pred_case("lung_ns", "survreg(Surv(time, status) ~ ns(age, df = 3) + sex, data = d)", ds("lung"), lung_nd, "weibull")
vet_nd <- vet[c(1, 30, 60, 90, 120), ]
pred_case("veteran_factor", "survreg(Surv(time, status) ~ karno + trt * celltype, data = d)", vet, vet_nd, "weibull")

# The fitted survival averaged over the fit's rows (per stratum), as --plot draws it beside the
# Kaplan-Meier curves: mean(1 - psurvreg(t, fit$linear.predictors, scale, dist)).
mean_surv <- function(fit, dist, groups, times) {
  sc <- if (length(fit$scale) > 1) fit$scale[groups] else rep(fit$scale, length(groups))
  unlist(lapply(levels(factor(groups)), function(g) sapply(times, function(t)
    mean(1 - psurvreg(t, fit$linear.predictors[groups == g], sc[groups == g], dist)))))
}
fw <- survreg(Surv(time, status) ~ age + sex + ph.ecog, data = lung)
fs <- survreg(Surv(time, status) ~ age + ph.ecog + strata(sex), data = lung, dist = "loglogistic")
golden_write("tests/golden/survreg/mean_survival.txt",
             list(times = c(50, 200, 500),
                  weibull = mean_surv(fw, "weibull", rep("all", nrow(lung)), c(50, 200, 500)),
                  loglogistic_strata = mean_surv(fs, "loglogistic", paste0("sex=", lung$sex), c(50, 200, 500))),
             calls = c("survreg(Surv(time, status) ~ age + sex + ph.ecog, data = lung)",
                       "survreg(Surv(time, status) ~ age + ph.ecog + strata(sex), data = lung, dist = 'loglogistic')",
                       "mean(1 - psurvreg(t, fit$linear.predictors, scale, dist)) per stratum"))
