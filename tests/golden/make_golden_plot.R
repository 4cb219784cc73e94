# make_golden_plot.R: the curves and numbers the plotting tests draw and check (tests/golden/plot/).
# Sourced by make_golden.R from the repository root, with survival and golden_io.R loaded.
# One file per fit. Per stratum k (1-based, in R's order) the keys are prefixed "sK_": the survfit
# rows (time, n_risk, n_event, n_censor, surv, std_err, lower, upper, cumhaz, std_chaz), the median,
# and what the plot must show: the number at risk at the risk-table times (summary(fit, times,
# extend = TRUE)$n.risk, survminer's risk table) and the curve transforms of plot.survfit(fun = ...).

write_fit <- function(path, fit, risk_times, calls) {
  st <- if (is.null(fit$strata)) rep(1L, length(fit$time)) else rep(seq_along(fit$strata), fit$strata)
  labels <- if (is.null(fit$strata)) "all" else names(fit$strata)
  med <- unname(summary(fit)$table)
  med <- if (is.null(dim(med))) med[7] else summary(fit)$table[, "median"]
  sm <- summary(fit, times = risk_times, extend = TRUE)
  sm_strata <- if (is.null(sm$strata)) rep(1L, length(sm$time)) else as.integer(sm$strata)
  values <- list(n_strata = length(labels), labels = labels, risk_times = risk_times,
                 conf_level = fit$conf.int)
  for (k in seq_along(labels)) {
    w <- st == k
    p <- paste0("s", k, "_")
    v <- list(time = fit$time[w], n_risk = fit$n.risk[w], n_event = fit$n.event[w],
              n_censor = fit$n.censor[w], surv = fit$surv[w], std_err = fit$std.err[w],
              lower = fit$lower[w], upper = fit$upper[w], cumhaz = fit$cumhaz[w],
              std_chaz = fit$std.chaz[w], median = unname(med[k]),
              risk_n = sm$n.risk[sm_strata == k],
              event = 1 - fit$surv[w], event_lower = 1 - fit$upper[w], event_upper = 1 - fit$lower[w],
              cloglog = log(-log(fit$surv[w])),
              # plot(fit, fun = "cumhaz", conf.int = TRUE) draws fit$cumhaz with survfit_confint(
              # cumhaz, std.chaz, logse = FALSE, "plain"): cumhaz -/+ z std.chaz, lower cut at 0.
              cumhaz_lower = pmax(fit$cumhaz[w] - qnorm(0.975) * fit$std.chaz[w], 0),
              cumhaz_upper = fit$cumhaz[w] + qnorm(0.975) * fit$std.chaz[w])
    names(v) <- paste0(p, names(v))
    values <- c(values, v)
  }
  golden_write(path, values, calls)
}

dir.create("tests/golden/plot", showWarnings = FALSE)
lung <- read.csv("datasets/lung.csv")
veteran <- read.csv("datasets/veteran.csv")
aml <- read.csv("datasets/aml.csv")

fit <- survfit(Surv(time, status) ~ 1, data = lung)
write_fit("tests/golden/plot/lung_all.txt", fit, seq(0, 1000, 200),
          c('fit <- survfit(Surv(time, status) ~ 1, data = read.csv("datasets/lung.csv"))',
            'summary(fit, times = seq(0, 1000, 200), extend = TRUE)$n.risk'))

fit <- survfit(Surv(time, status) ~ sex, data = lung)
write_fit("tests/golden/plot/lung_sex.txt", fit, seq(0, 1000, 200),
          c('fit <- survfit(Surv(time, status) ~ sex, data = read.csv("datasets/lung.csv"))',
            'summary(fit, times = seq(0, 1000, 200), extend = TRUE)$n.risk'))

fit <- survfit(Surv(time, status) ~ celltype, data = veteran)
write_fit("tests/golden/plot/veteran_celltype.txt", fit, seq(0, 1000, 200),
          c('fit <- survfit(Surv(time, status) ~ celltype, data = read.csv("datasets/veteran.csv"))',
            'summary(fit, times = seq(0, 1000, 200), extend = TRUE)$n.risk'))

# Risk-table times on a log axis (fun = "cloglog"): the counts at times between the event times.
fit <- survfit(Surv(time, status) ~ x, data = aml)
write_fit("tests/golden/plot/aml_x.txt", fit, c(1, 2, 5, 10, 20, 50, 100, 200),
          c('fit <- survfit(Surv(time, status) ~ x, data = read.csv("datasets/aml.csv"))',
            'summary(fit, times = c(1, 2, 5, 10, 20, 50, 100, 200), extend = TRUE)$n.risk'))
