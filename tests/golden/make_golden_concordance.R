# make_golden_concordance.R: expected concordance (Harrell's C as coxph reports it) for
# tests/unit/test_concordance.c. Sourced by make_golden.R from the repository root (needs survival
# and golden_io.R). Every input is read from the committed CSVs in datasets/.
#
# coxph (survival 3.5-3) computes fit$concordance with
#   concordancefit(Y, fit$linear.predictors, istrat, weights, reverse = TRUE, timefix = FALSE)
# where Y is the (aeqSurv-adjusted) response the fit used, i.e. fit$y. Each golden file holds those
# inputs exactly as R used them -- time, status, start (counting process), weights, 0-based strata
# codes, linear predictor (centred; concordance ignores the shift) -- and the five counts, the
# concordance and its standard error (sqrt of the infinitesimal-jackknife variance).

out_dir <- "tests/golden/concordance"
dir.create(out_dir, showWarnings = FALSE, recursive = TRUE)
ds <- function(name) read.csv(file.path("datasets", paste0(name, ".csv")))

# Write one case: y a Surv matrix, lp the predictor, w weights or NULL, s strata (any vector) or
# NULL; conc the named vector c(concordant, discordant, tied.x, tied.y, tied.xy, concordance, std).
write_case <- function(name, y, lp, w, s, conc, calls, cl = NULL) {
  ny <- ncol(y)
  vals <- list()
  if (ny == 3) vals$start <- unname(y[, 1])
  vals$time <- unname(y[, ny - 1])
  vals$status <- unname(y[, ny])
  vals$lp <- unname(lp)
  if (!is.null(w)) vals$weights <- unname(w)
  if (!is.null(s)) {
    f <- factor(s)
    vals$strata <- as.integer(f) - 1L
    vals$n_strata <- nlevels(f)
  }
  if (!is.null(cl)) {
    f <- factor(cl)
    vals$cluster <- as.integer(f) - 1L
    vals$n_clusters <- nlevels(f)
  }
  vals$counts <- unname(conc[c("concordant", "discordant", "tied.x", "tied.y", "tied.xy")])
  vals$concordance <- unname(conc["concordance"])
  vals$std <- unname(conc["std"])
  golden_write(file.path(out_dir, paste0(name, ".txt")), vals, calls)
}

# A coxph case: the fit's own concordance, with the inputs it was computed from.
cox_case <- function(name, fit, w = NULL, s = NULL, calls, cl = NULL) {
  stopifnot(length(fit$linear.predictors) == nrow(fit$y))
  write_case(name, fit$y, fit$linear.predictors, w, s, fit$concordance, calls, cl)
}

lung <- ds("lung")
veteran <- ds("veteran")
heart <- ds("heart")
pbc <- ds("pbc")

# 1. lung, two covariates: few ties in the predictor.
fit <- coxph(Surv(time, status) ~ age + sex, data = lung)
cox_case("lung_age_sex", fit,
         calls = c("lung <- read.csv('datasets/lung.csv')",
                   "fit <- coxph(Surv(time, status) ~ age + sex, data = lung); fit$concordance"))

# 2. lung, ph.ecog alone (one missing value dropped): the predictor takes 4 values, heavy ties.
d <- lung[!is.na(lung$ph.ecog), ]
fit <- coxph(Surv(time, status) ~ ph.ecog, data = d)
cox_case("lung_ecog", fit,
         calls = c("d <- lung[!is.na(lung$ph.ecog), ]",
                   "fit <- coxph(Surv(time, status) ~ ph.ecog, data = d); fit$concordance"))

# 3. veteran with the factor celltype.
fit <- coxph(Surv(time, status) ~ trt + factor(celltype) + karno, data = veteran)
cox_case("veteran_celltype", fit,
         calls = c("veteran <- read.csv('datasets/veteran.csv')",
                   "fit <- coxph(Surv(time, status) ~ trt + factor(celltype) + karno, data = veteran); fit$concordance"))

# 4. heart: counting-process (start, stop] data (aeqSurv has adjusted some times: use fit$y).
fit <- coxph(Surv(start, stop, event) ~ age + year + surgery + transplant, data = heart)
cox_case("heart_counting", fit,
         calls = c("heart <- read.csv('datasets/heart.csv')",
                   "fit <- coxph(Surv(start, stop, event) ~ age + year + surgery + transplant, data = heart); fit$concordance"))

# 5. pbc stratified on edema (3 strata: R keeps them separate).
d <- pbc[!is.na(pbc$bili) & !is.na(pbc$albumin), ]
fit <- coxph(Surv(time, status == 2) ~ age + log(bili) + albumin + strata(edema), data = d)
cox_case("pbc_strata_edema", fit, s = d$edema,
         calls = c("pbc <- read.csv('datasets/pbc.csv'); d <- pbc[!is.na(pbc$bili) & !is.na(pbc$albumin), ]",
                   "fit <- coxph(Surv(time, status == 2) ~ age + log(bili) + albumin + strata(edema), data = d); fit$concordance"))

# 6. A weighted fit (non-integer case weights).
w <- 0.5 + (seq_len(nrow(lung)) %% 7) / 3
fit <- coxph(Surv(time, status) ~ age + sex, data = lung, weights = w)
cox_case("lung_weighted", fit, w = w,
         calls = c("w <- 0.5 + (seq_len(nrow(lung)) %% 7) / 3",
                   "fit <- coxph(Surv(time, status) ~ age + sex, data = lung, weights = w); fit$concordance"))

# 7. Ties in time and in the predictor: times rounded to months, integer covariates, so there are
#    tied deaths, tied predictors, and deaths tied on both (tied.xy > 0).
d <- lung[!is.na(lung$ph.ecog), ]
d$month <- round(d$time / 30.4375)
fit <- coxph(Surv(month, status) ~ ph.ecog + sex, data = d)
cox_case("lung_ties", fit,
         calls = c("d <- lung[!is.na(lung$ph.ecog), ]; d$month <- round(d$time / 30.4375)",
                   "fit <- coxph(Surv(month, status) ~ ph.ecog + sex, data = d); fit$concordance"))

# 8. Weighted, tied, stratified: veteran with times rounded to 10 days, weights, strata(trt).
d <- veteran
d$t10 <- round(d$time / 10)
w <- 1 + (seq_len(nrow(d)) %% 4) * 0.25
fit <- coxph(Surv(t10, status) ~ karno + factor(celltype) + strata(trt), data = d, weights = w)
cox_case("veteran_ties_weighted_strata", fit, w = w, s = d$trt,
         calls = c("d <- veteran; d$t10 <- round(d$time / 10); w <- 1 + (seq_len(nrow(d)) %% 4) * 0.25",
                   "fit <- coxph(Surv(t10, status) ~ karno + factor(celltype) + strata(trt), data = d, weights = w); fit$concordance"))

# 9. More than 10 strata: R folds the strata into one (start, stop] data set shifted in time; the
#    numbers must be the same as a per-stratum count.
d <- lung[!is.na(lung$inst), ]
fit <- coxph(Surv(time, status) ~ age + sex + strata(inst), data = d)
cox_case("lung_many_strata", fit, s = d$inst,
         calls = c("d <- lung[!is.na(lung$inst), ]",
                   "fit <- coxph(Surv(time, status) ~ age + sex + strata(inst), data = d); fit$concordance"))

# 10. Counting process with strata and weights.
w <- 0.75 + (seq_len(nrow(heart)) %% 5) / 4
fit <- coxph(Surv(start, stop, event) ~ age + transplant + strata(surgery), data = heart, weights = w)
cox_case("heart_weighted_strata", fit, w = w, s = heart$surgery,
         calls = c("w <- 0.75 + (seq_len(nrow(heart)) %% 5) / 4",
                   "fit <- coxph(Surv(start, stop, event) ~ age + transplant + strata(surgery), data = heart, weights = w); fit$concordance"))

# With cluster(): R sums each cluster's dfbeta before squaring (a grouped jackknife).
fit <- coxph(Surv(start, stop, event) ~ age + transplant + cluster(id), data = heart)
cox_case("heart_cluster_id", fit, cl = heart$id,
         calls = "fit <- coxph(Surv(start, stop, event) ~ age + transplant + cluster(id), data = heart); fit$concordance")

# robust = TRUE with an id and strata: the id is the cluster.
d <- pbc[!is.na(pbc$bili), ]
d$grp <- d$id %/% 4
fit <- coxph(Surv(time, status == 2) ~ age + log(bili) + strata(edema), data = d, robust = TRUE, id = grp)
cox_case("pbc_robust_id_strata", fit, s = d$edema, cl = d$grp,
         calls = c("d <- pbc[!is.na(pbc$bili), ]; d$grp <- d$id %/% 4",
                   "fit <- coxph(Surv(time, status == 2) ~ age + log(bili) + strata(edema), data = d, robust = TRUE, id = grp); fit$concordance"))

# Plain concordance() calls, not through coxph.
conc_vec <- function(cfit) c(cfit$count, concordance = cfit$concordance, std = sqrt(cfit$var))

# 11. concordance(fit) of a coxph fit agrees with fit$concordance.
fit <- coxph(Surv(time, status) ~ age + sex + ph.karno, data = lung)
cf <- concordance(fit)
write_case("lung_concordance_fit", fit$y, fit$linear.predictors, NULL, NULL, conc_vec(cf),
           c("fit <- coxph(Surv(time, status) ~ age + sex + ph.karno, data = lung)",
             "cf <- concordance(fit); c(cf$count, cf$concordance, sqrt(cf$var))"))

# 12. concordance(y ~ x, reverse = TRUE) on a raw (uncentred) predictor.
cf <- concordance(Surv(time, status) ~ age, data = lung, reverse = TRUE)
write_case("lung_concordance_age", Surv(lung$time, lung$status), lung$age, NULL, NULL, conc_vec(cf),
           c("cf <- concordance(Surv(time, status) ~ age, data = lung, reverse = TRUE)",
             "c(cf$count, cf$concordance, sqrt(cf$var))"))

# 13. concordance(y ~ x, reverse = TRUE) with weights and counting-process data.
w <- 1 + (seq_len(nrow(heart)) %% 3)
cf <- concordance(Surv(start, stop, event) ~ age, data = heart, weights = w, reverse = TRUE)
write_case("heart_concordance_age_weighted", aeqSurv(Surv(heart$start, heart$stop, heart$event)),
           heart$age, w, NULL, conc_vec(cf),
           c("w <- 1 + (seq_len(nrow(heart)) %% 3)",
             "cf <- concordance(Surv(start, stop, event) ~ age, data = heart, weights = w, reverse = TRUE)",
             "c(cf$count, cf$concordance, sqrt(cf$var)); inputs: aeqSurv(Surv(start, stop, event)), age"))

# 14. Infinite follow-up times (censored at Inf), which the public concordance accepts as R does.
d <- lung[1:60, ]
idx <- which(d$status == 1)[1:5]
d$time[idx] <- Inf
cf <- concordance(Surv(time, status) ~ age, data = d, reverse = TRUE)
write_case("lung_infinite_times", Surv(d$time, d$status), d$age, NULL, NULL, conc_vec(cf),
           c("d <- lung[1:60, ]; idx <- which(d$status == 1)[1:5]; d$time[idx] <- Inf",
             "cf <- concordance(Surv(time, status) ~ age, data = d, reverse = TRUE)",
             "c(cf$count, cf$concordance, sqrt(cf$var))"))
