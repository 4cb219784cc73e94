# make_golden_plot_compete.R: what the pictures of `cuminc --plot` and `ipw --plot` must show
# (tests/unit/test_plot_compete.c), written to tests/golden/plot/. Sourced by make_golden.R.
#
# cuminc_<case>.txt: the input (time, state, group codes and labels) and, per group g and state s
# (1-based, keys "gG_sS_"), the Aalen-Johansen curve of survfit(Surv(time, factor(state)) ~ g):
# time, pstate, lower, upper; the stacked view's edges cumsum(pstate) over states 1..s ("stack");
# and the number at risk in the starting state at the risk-table times,
# summary(fit, times, extend = TRUE)$n.risk[, 1].
# ipw_lung.txt: the love plot's points, abs() of the standardised mean differences of the contract
# (the formulas of make_golden_ipw.R), and the propensity histograms of the two groups as R's
# hist(ps[group], breaks = seq(min(ps), max(ps), length.out = 31), plot = FALSE)$density.

dir.create("tests/golden/plot", showWarnings = FALSE)

cuminc_case <- function(path, call, time, state, group, censor, risk_times) {
  st <- factor(state)
  st <- factor(state, levels = c(censor, setdiff(levels(st), censor)))
  g <- factor(group)
  fit <- survfit(Surv(time, st) ~ g)
  states <- levels(st)[-1]
  strata <- rep(seq_along(fit$strata), fit$strata)
  sm <- summary(fit, times = risk_times, extend = TRUE)
  sm_strata <- as.integer(sm$strata)
  values <- list(time = time, state = as.integer(st) - 1L, group = as.integer(g) - 1L,
                 group_labels = levels(g), state_labels = states, risk_times = risk_times,
                 n_groups = nlevels(g), n_states = length(states))
  for (k in seq_along(fit$strata)) {
    w <- strata == k
    stack <- t(apply(fit$pstate[w, -1, drop = FALSE], 1, cumsum))
    for (s in seq_along(states)) {
      v <- list(time = fit$time[w], pstate = fit$pstate[w, s + 1], lower = fit$lower[w, s + 1],
                upper = fit$upper[w, s + 1], stack = stack[, s])
      names(v) <- paste0("g", k, "_s", s, "_", names(v))
      values <- c(values, v)
    }
    values[[paste0("g", k, "_risk_n")]] <- sm$n.risk[sm_strata == k, 1]
  }
  golden_write(path, values, c(call, sprintf("summary(fit, times = c(%s), extend = TRUE)$n.risk[, 1]",
                                             paste(risk_times, collapse = ", "))))
}

pbc <- read.csv("datasets/pbc.csv")
cuminc_case("tests/golden/plot/cuminc_pbc_edema.txt",
            "fit <- survfit(Surv(time, factor(status)) ~ edema, data = read.csv('datasets/pbc.csv'))",
            pbc$time, pbc$status, pbc$edema, "0", seq(0, 4000, 1000))
syn <- read.csv("tests/data/compete/synthetic.csv", stringsAsFactors = FALSE)
cuminc_case("tests/golden/plot/cuminc_syn_g.txt",
            "fit <- survfit(Surv(time, factor(event, levels = c('censored', ...))) ~ g, data = read.csv('tests/data/compete/synthetic.csv'))",
            syn$time, syn$event, syn$g, "censored", seq(0, 150, 25))

# ipw: the lung case of make_golden_ipw.R (ATE weights)
lung <- read.csv("datasets/lung.csv")
fit <- glm(I(sex == 2) ~ age + ph.ecog + ph.karno + wt.loss, family = binomial, data = lung)
ps <- unname(fitted(fit)); tr <- fit$y
w <- ifelse(tr == 1, 1 / ps, 1 / (1 - ps))
X <- model.matrix(fit)[, -1, drop = FALSE]
t1 <- tr == 1; t0 <- !t1
smd <- t(apply(X, 2, function(x) {
  s <- sqrt((var(x[t1]) + var(x[t0])) / 2)
  c((mean(x[t1]) - mean(x[t0])) / s,
    (sum(w[t1] * x[t1]) / sum(w[t1]) - sum(w[t0] * x[t0]) / sum(w[t0])) / s)
}))
breaks <- seq(min(ps), max(ps), length.out = 31)
h1 <- hist(ps[t1], breaks = breaks, plot = FALSE)
h0 <- hist(ps[t0], breaks = breaks, plot = FALSE)
golden_write("tests/golden/plot/ipw_lung.txt",
             list(treated = tr, ps = ps, names = colnames(X), x = X,
                  abs_smd_before = abs(smd[, 1]), abs_smd_after = abs(smd[, 2]),
                  breaks = breaks, density_treated = h1$density, density_control = h0$density,
                  counts_treated = h1$counts, counts_control = h0$counts),
             c("fit <- glm(I(sex == 2) ~ age + ph.ecog + ph.karno + wt.loss, family = binomial, data = read.csv('datasets/lung.csv')); ps <- fitted(fit)",
               "abs(smd) before and after ATE weighting (make_golden_ipw.R's formulas)",
               "breaks <- seq(min(ps), max(ps), length.out = 31); hist(ps[fit$y == 1], breaks, plot = FALSE)$density (and fit$y == 0)"))
