# make_golden_cox.R: expected values of survkit's Cox model, from R's survival::coxph.
# Sourced by tests/golden/make_golden.R (run from the repository root). Each case writes
# tests/golden/cox/<case>.txt holding the model's inputs as survkit's array entry point takes them
# (the design matrix from coxph(x = TRUE), status coded 0/1, 0-based strata and cluster codes) and
# coxph's results. Data come from the committed CSVs (read.csv), rows with missing values dropped
# first so that R and survkit see the same rows.
dir.create("tests/golden/cox", showWarnings = FALSE, recursive = TRUE)

ds <- function(name) read.csv(file.path("datasets", paste0(name, ".csv")))

# Fit, capturing warnings, and write one golden file.
#  name: file name; call_text: the R call as text (evaluated in env); data: the data frame;
#  extra: named list of options for the C side (ties, iter_max, init, robust = "auto"/"on"/"off").
cox_case <- function(name, call_text, data, cluster = NULL, weights = NULL,
                     offset = NULL, ties = "efron", iter_max = 20, init = NULL,
                     robust = "auto", strata = NULL) {
  warns <- character()
  fit <- withCallingHandlers(
    eval(parse(text = call_text), envir = list2env(list(d = data), parent = globalenv())),
    warning = function(w) { warns <<- c(warns, conditionMessage(w)); invokeRestart("muffleWarning") })
  y <- fit$y
  counting <- ncol(y) == 3
  x <- fit$x
  vals <- list(
    n = nrow(y), p = ncol(x), counting = as.integer(counting),
    time = if (counting) y[, 2] else y[, 1],
    status = y[, ncol(y)],
    start = if (counting) y[, 1] else numeric(),
    x = as.vector(x), names = colnames(x),
    weights = if (is.null(weights)) numeric() else weights,
    offset = if (is.null(offset)) numeric() else offset,
    strata = if (is.null(strata)) integer() else as.integer(factor(strata)) - 1L,
    n_strata = if (is.null(strata)) 0L else length(unique(strata)),
    cluster = if (is.null(cluster)) integer() else as.integer(factor(cluster)) - 1L,
    n_clusters = if (is.null(cluster)) 0L else length(unique(cluster)),
    ties = ties, iter_max = iter_max, init = if (is.null(init)) numeric() else init,
    robust = robust,
    # results
    coef = unname(fit$coefficients), var = as.vector(fit$var),
    naive_var = if (is.null(fit$naive.var)) numeric() else as.vector(fit$naive.var),
    loglik = fit$loglik, score = fit$score, wald = fit$wald.test,
    rscore = if (is.null(fit$rscore)) numeric() else fit$rscore,
    iter = fit$iter, means = unname(fit$means), lp = unname(fit$linear.predictors),
    concordance = unname(fit$concordance[c("concordance", "std")]),
    nevent = fit$nevent, n_warnings = length(warns), warnings = warns)
  s <- summary(fit)
  vals$summary_coef <- as.vector(s$coefficients)
  vals$conf_int <- as.vector(s$conf.int)
  vals$logtest <- unname(s$logtest)
  vals$sctest <- unname(s$sctest)
  vals$waldtest_p <- unname(s$waldtest["pvalue"])
  vals$aic <- AIC(fit)
  vals$summary_text <- capture.output(print(summary(fit)))
  golden_write(file.path("tests/golden/cox", paste0(name, ".txt")), vals, calls = call_text)
}

lung <- ds("lung")
lung <- lung[complete.cases(lung[, c("time", "status", "age", "sex", "ph.ecog")]), ]
for (m in c("efron", "breslow", "exact"))
  cox_case(paste0("lung_", m),
           sprintf("coxph(Surv(time, status) ~ age + sex + ph.ecog, data = d, ties = '%s', x = TRUE)", m),
           lung, ties = m)

# Heavy ties: time in whole 100-day units.
lung_t <- lung[!is.na(lung$inst), ]
lung_t$time <- ceiling(lung_t$time / 100)
for (m in c("efron", "breslow", "exact"))
  cox_case(paste0("ties_", m),
           sprintf("coxph(Surv(time, status) ~ age + sex + ph.ecog + strata(inst > 10), data = d, ties = '%s', x = TRUE)", m),
           lung_t, ties = m, strata = lung_t$inst > 10)

# Factor and an interaction with it.
vet <- ds("veteran")
cox_case("veteran_interaction",
         "coxph(Surv(time, status) ~ karno + trt * celltype, data = d, x = TRUE)", vet)

# Counting process with cluster(id).
heart <- ds("heart")
cox_case("heart_cluster",
         "coxph(Surv(start, stop, event) ~ age + year + surgery + transplant + cluster(id), data = d, x = TRUE)",
         heart, cluster = heart$id)
cox_case("heart_breslow",
         "coxph(Surv(start, stop, event) ~ age + year + surgery + transplant, data = d, ties = 'breslow', x = TRUE)",
         heart, ties = "breslow")
cox_case("heart_noconv",
         "coxph(Surv(start, stop, event) ~ age + year + surgery + transplant, data = d, iter.max = 2, x = TRUE)",
         heart, iter_max = 2)

bl <- ds("bladder2")
cox_case("bladder2_cluster",
         "coxph(Surv(start, stop, event) ~ rx + size + number + cluster(id), data = d, x = TRUE)",
         bl, cluster = bl$id)
cox_case("bladder2_strata",
         "coxph(Surv(start, stop, event) ~ rx + size + number + strata(enum) + cluster(id), data = d, x = TRUE)",
         bl, cluster = bl$id, strata = bl$enum)

rats <- ds("rats")
cox_case("rats_cluster",
         "coxph(Surv(time, status) ~ rx + sex + cluster(litter), data = d, x = TRUE)",
         rats, cluster = rats$litter)
cox_case("rats_robust",
         "coxph(Surv(time, status) ~ rx + sex, data = d, robust = TRUE, x = TRUE)",
         rats, robust = "on")
cox_case("rats_cluster_init",
         "coxph(Surv(time, status) ~ rx + sex + cluster(litter), data = d, init = c(0.5, -1), x = TRUE)",
         rats, cluster = rats$litter, init = c(0.5, -1))

# Strata and case weights: whole weights (naive variance) and fractional ones (robust, R's default).
pbc <- ds("pbc")
pbc <- pbc[complete.cases(pbc[, c("time", "status", "age", "bili", "albumin", "edema")]), ]
pbc$status <- as.integer(pbc$status == 2)
pbc$w_int <- 1 + pbc$id %% 3
pbc$w_frac <- 0.5 + (pbc$id %% 4) / 4
cox_case("pbc_strata_weights",
         "coxph(Surv(time, status) ~ age + log(bili) + albumin + strata(edema), data = d, weights = w_int, x = TRUE)",
         pbc, weights = pbc$w_int, strata = pbc$edema)
cox_case("pbc_frac_weights",
         "coxph(Surv(time, status) ~ age + log(bili) + albumin + strata(edema), data = d, weights = w_frac, ties = 'breslow', x = TRUE)",
         pbc, weights = pbc$w_frac, strata = pbc$edema, ties = "breslow")

ov <- ds("ovarian")
cox_case("ovarian_offset",
         "coxph(Surv(futime, fustat) ~ rx + ecog.ps + offset(log(age)), data = d, x = TRUE)",
         ov, offset = log(ov$age))

# A stratum with a single event and one with none.
ls <- lung
ls$grp <- 1
ls$grp[1:6] <- 2; ls$status[1:6] <- c(2, 1, 1, 1, 1, 1)
ls$grp[7:10] <- 3; ls$status[7:10] <- 1
cox_case("strata_single_none",
         "coxph(Surv(time, status) ~ age + sex + ph.ecog + strata(grp), data = d, x = TRUE)",
         ls, strata = ls$grp)

# A collinear column: its coefficient is NA.
lc <- lung
lc$age2 <- lc$age + 2 * lc$sex
cox_case("collinear",
         "coxph(Surv(time, status) ~ age + sex + age2 + ph.ecog, data = d, x = TRUE)", lc)

# Monotone likelihood: mono = 1 only for deaths before day 150, so at every event where it varies
# the dying subject has the largest value; the loglik converges while the coefficient runs away.
lm_ <- lung
lm_$mono <- as.integer(lm_$time < 150 & lm_$status == 2)
cox_case("monotone",
         "coxph(Surv(time, status) ~ age + mono, data = d, x = TRUE)", lm_)
cox_case("monotone_breslow_counting",
         "coxph(Surv(rep(0, nrow(d)), time, status) ~ age + mono, data = d, ties = 'breslow', x = TRUE)",
         lm_, ties = "breslow")
cox_case("monotone_exact",
         "coxph(Surv(time, status) ~ age + mono, data = d, ties = 'exact', x = TRUE)", lm_,
         ties = "exact")
# x = -time is largest at every event: the iteration runs out (R: 21 iterations, a warning).
lm_$mono2 <- -lm_$time / 100
cox_case("monotone_noconv",
         "coxph(Surv(time, status) ~ age + mono2, data = d, x = TRUE)", lm_)

# Initial values and small iteration limits.
cox_case("lung_init",
         "coxph(Surv(time, status) ~ age + sex + ph.ecog, data = d, init = c(0.02, -0.3, 0.2), x = TRUE)",
         lung, init = c(0.02, -0.3, 0.2))
cox_case("lung_iter2",
         "coxph(Surv(time, status) ~ age + sex + ph.ecog, data = d, iter.max = 2, x = TRUE)",
         lung, iter_max = 2)
cox_case("lung_iter1",
         "coxph(Surv(time, status) ~ age + sex + ph.ecog, data = d, iter.max = 1, x = TRUE)",
         lung, iter_max = 1)
cox_case("lung_iter0_init",
         "coxph(Surv(time, status) ~ age + sex + ph.ecog, data = d, iter.max = 0, init = c(0.01, -0.5, 0.4), x = TRUE)",
         lung, iter_max = 0, init = c(0.01, -0.5, 0.4))
cox_case("lung_exact_iter2",
         "coxph(Surv(time, status) ~ age + sex + ph.ecog, data = d, ties = 'exact', iter.max = 2, x = TRUE)",
         lung, ties = "exact", iter_max = 2)

# Weights of two scales (issue 21): rows near weight 1 leave the risk sets first, rows near 1e-6
# remain. Running sums that subtracted the rows that leave would keep few digits of the rest.
spread_w <- function(t, id) ifelse(t <= 200, 1 + (id %% 5) / 4, 1e-6 * (1 + (id %% 3) / 2))
lung_s <- lung
lung_s$w <- spread_w(lung_s$time, seq_len(nrow(lung_s)))
cox_case("spread_lung",
         "coxph(Surv(time, status) ~ age + sex + ph.ecog, data = d, weights = w, x = TRUE)  # w = ifelse(time <= 200, 1 + (i %% 5) / 4, 1e-6 * (1 + (i %% 3) / 2)), i the row",
         lung_s, weights = lung_s$w)
cox_case("spread_lung_breslow_robust",
         "coxph(Surv(time, status) ~ age + sex + ph.ecog, data = d, weights = w, ties = 'breslow', robust = TRUE, x = TRUE)",
         lung_s, weights = lung_s$w, ties = "breslow", robust = "on")
heart_s <- heart
heart_s$w <- spread_w(heart_s$stop, heart_s$id)
cox_case("spread_heart_counting",
         "coxph(Surv(start, stop, event) ~ age + year + surgery + transplant, data = d, weights = w, x = TRUE)  # w = ifelse(stop <= 200, 1 + (id %% 5) / 4, 1e-6 * (1 + (id %% 3) / 2))",
         heart_s, weights = heart_s$w)
