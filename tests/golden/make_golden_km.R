# make_golden_km.R: expected values for the km and logrank modules (tests/unit/test_km*.c,
# test_logrank.c), from survival's survfit, summary, quantile, print(rmean =) and survdiff.
# Run through tests/golden/make_golden.R from the repository root. Every input comes from the
# committed CSVs in datasets/ (read.csv) or is written out here; the input vectors are stored in
# each golden file so the unit tests need no CSV reader.
dir.create("tests/golden/km", showWarnings = FALSE)
ds <- function(name) read.csv(file.path("datasets", paste0(name, ".csv")))

# One survfit case. data: a data frame with columns time, status, (start), (w), g (the grouping,
# NULL for ~ 1). Writes the inputs, the options and R's results.
km_case <- function(file, data, call_text, conf.type = "log", conf.int = 0.95, ctype = 1,
                    probs = c(0.25, 0.5, 0.75), tau = NA, times = NULL, robust = NULL) {
  counting <- "start" %in% names(data)
  y <- if (counting) Surv(data$start, data$time, data$status) else Surv(data$time, data$status)
  has_g <- "g" %in% names(data)
  w <- if ("w" %in% names(data)) data$w else NULL
  g <- if (has_g) data$g else NULL
  form <- if (has_g) y ~ g else y ~ 1
  args <- list(form, conf.type = conf.type, conf.int = conf.int, ctype = ctype)
  if (!is.null(w)) args$weights <- w
  if (!is.null(robust)) args$robust <- robust
  fit <- do.call(survfit, args)
  labels <- if (is.null(fit$strata)) "all" else sub("^g=", "", names(fit$strata))
  sizes <- if (is.null(fit$strata)) length(fit$time) else as.vector(fit$strata)
  gcode <- if (has_g) as.integer(factor(data$g)) - 1L else rep(0L, nrow(data))
  tab <- if (is.na(tau)) summary(fit)$table else summary(fit, rmean = tau)$table
  if (!is.matrix(tab)) tab <- matrix(tab, nrow = 1, dimnames = list(NULL, names(tab)))
  q <- quantile(fit, probs)
  qm <- function(x) as.vector(t(matrix(x, ncol = length(probs))))
  vals <- list(time = data$time, status = data$status)
  if (counting) vals$start <- data$start
  if (!is.null(w)) vals$weights <- w
  if (!is.null(robust)) vals$robust <- as.integer(robust)  # absent: R's default rule (-1)
  vals <- c(vals, list(group = gcode, labels = labels, conf_type = conf.type,
    conf_level = conf.int, ctype = ctype, probs = probs, tau = tau,
    strata_sizes = sizes, out_time = fit$time, n_risk = fit$n.risk, n_event = fit$n.event,
    n_censor = fit$n.censor, surv = fit$surv, std_err = fit$std.err, lower = fit$lower,
    upper = fit$upper, cumhaz = fit$cumhaz, std_chaz = fit$std.chaz,
    records = tab[, "records"], n_max = tab[, "n.max"], n_start = tab[, "n.start"],
    events = tab[, "events"], median = tab[, "median"],
    lcl = tab[, grep("LCL", colnames(tab))], ucl = tab[, grep("UCL", colnames(tab))],
    q_est = qm(q$quantile), q_lower = qm(q$lower), q_upper = qm(q$upper)))
  if (!is.na(tau)) { vals$rmean <- tab[, "rmean"]; vals$se_rmean <- tab[, "se(rmean)"] }
  calls <- c(call_text,
    sprintf("survfit(y ~ g, %sconf.type = '%s', conf.int = %g, ctype = %d%s); summary(fit%s)$table; quantile(fit, c(%s))",
            if (is.null(w)) "" else "weights = w, ", conf.type, conf.int, ctype,
            if (is.null(robust)) "" else sprintf(", robust = %s", robust), if (is.na(tau)) "" else sprintf(", rmean = %g", tau),
            paste(probs, collapse = ", ")))
  if (!is.null(times)) {
    s <- summary(fit, times = times)
    st <- if (is.null(s$strata)) rep(labels, length(s$time)) else sub("^g=", "", as.character(s$strata))
    vals <- c(vals, list(times = times, at_group = match(st, labels) - 1L, at_time = s$time,
      at_n_risk = s$n.risk, at_n_event = s$n.event, at_n_censor = s$n.censor, at_surv = s$surv,
      at_std_err = s$std.err, at_lower = s$lower, at_upper = s$upper))
    calls <- c(calls, sprintf("summary(fit, times = c(%s))", paste(times, collapse = ", ")))
  }
  golden_write(file.path("tests/golden/km", file), vals, calls)
}

lung <- ds("lung"); aml <- ds("aml"); ovarian <- ds("ovarian"); veteran <- ds("veteran")
heart <- ds("heart"); bladder2 <- ds("bladder2")

km_case("lung_sex.txt", data.frame(time = lung$time, status = lung$status - 1, g = lung$sex),
        "lung <- read.csv('datasets/lung.csv'); survfit(Surv(time, status) ~ sex, lung)",
        probs = c(0.1, 0.25, 0.5, 0.75, 0.9), tau = 365, times = c(0, 100, 200.5, 365, 1000))
km_case("lung_all_loglog90.txt", data.frame(time = lung$time, status = lung$status - 1),
        "survfit(Surv(time, status) ~ 1, lung, conf.type = 'log-log', conf.int = 0.9)",
        conf.type = "log-log", conf.int = 0.9, tau = 500, times = c(5, 500, 2000))
km_case("aml_plain.txt", data.frame(time = aml$time, status = aml$status, g = aml$x),
        "aml <- read.csv('datasets/aml.csv'); survfit(Surv(time, status) ~ x, aml, conf.type = 'plain')",
        conf.type = "plain", tau = 40, times = c(10, 20, 30, 161))
km_case("ovarian_logit99.txt", data.frame(time = ovarian$futime, status = ovarian$fustat, g = ovarian$rx),
        "ovarian <- read.csv('datasets/ovarian.csv'); survfit(Surv(futime, fustat) ~ rx, ovarian, conf.type = 'logit', conf.int = 0.99)",
        conf.type = "logit", conf.int = 0.99, tau = 1000)
km_case("veteran_arcsin80.txt", data.frame(time = veteran$time, status = veteran$status, g = veteran$celltype),
        "veteran <- read.csv('datasets/veteran.csv'); survfit(Surv(time, status) ~ celltype, veteran, conf.type = 'arcsin', conf.int = 0.8)",
        conf.type = "arcsin", conf.int = 0.8, tau = 200)
km_case("veteran_fh.txt", data.frame(time = veteran$time, status = veteran$status, g = veteran$trt),
        "survfit(Surv(time, status) ~ trt, veteran, ctype = 2)", ctype = 2, tau = 300)
km_case("heart_counting.txt", data.frame(start = heart$start, time = heart$stop, status = heart$event, g = heart$transplant),
        "heart <- read.csv('datasets/heart.csv'); survfit(Surv(start, stop, event) ~ transplant, heart)",
        tau = 500, times = c(0, 30, 365))
km_case("bladder2_counting_loglog.txt", data.frame(start = bladder2$start, time = bladder2$stop, status = bladder2$event, g = bladder2$rx),
        "bladder2 <- read.csv('datasets/bladder2.csv'); survfit(Surv(start, stop, event) ~ rx, bladder2, conf.type = 'log-log')",
        conf.type = "log-log", tau = 30)
km_case("lung_weights.txt", data.frame(time = lung$time, status = lung$status - 1, w = (lung$age %% 3) + 1, g = lung$sex),
        "survfit(Surv(time, status) ~ sex, lung, weights = (age %% 3) + 1)  # integer case weights: Greenwood",
        tau = 365, times = c(100, 365))
okl <- !is.na(lung$ph.ecog)
km_case("lung_ties_fh.txt", data.frame(time = lung$time[okl] %/% 100, status = lung$status[okl] - 1, g = lung$ph.ecog[okl]),
        "survfit(Surv(time %/% 100, status) ~ ph.ecog, lung, ctype = 2)  # heavy ties; rows with ph.ecog NA dropped",
        ctype = 2, tau = 5)
km_case("no_events_group.txt", data.frame(time = c(3, 5, 5, 8, 10, 2, 4, 7), status = c(1, 0, 1, 1, 0, 0, 0, 0),
                                          g = c(1, 1, 1, 1, 1, 2, 2, 2)),
        "survfit(Surv(c(3,5,5,8,10,2,4,7), c(1,0,1,1,0,0,0,0)) ~ c(1,1,1,1,1,2,2,2))  # group 2 has no events",
        tau = 6)
km_case("single.txt", data.frame(time = 7, status = 1),
        "survfit(Surv(7, 1) ~ 1)  # a single observation", tau = 10)
km_case("flat_half.txt", data.frame(time = c(1, 2, 3, 4, 5, 6), status = c(1, 1, 1, 0, 1, 1)),
        "survfit(Surv(1:6, c(1,1,1,0,1,1)) ~ 1)  # a flat stretch at exactly 0.5 (midpoint rules)",
        probs = c(0.25, 0.5, 0.75, 1), tau = 6)

# ---- robust (infinitesimal jackknife) variance: R's default for non-integer case weights ----
# std.err is then that of surv for ctype 1 (logse FALSE); with ctype 2 R keeps logse TRUE.
okk <- !is.na(lung$ph.karno)
lk <- data.frame(time = lung$time[okk], status = lung$status[okk] - 1, w = lung$ph.karno[okk] / 100,
                 g = lung$sex[okk])
km_case("robust_lung_sex_log.txt", lk,
        "survfit(Surv(time, status) ~ sex, lung, weights = ph.karno / 100)  # rows with ph.karno NA dropped; robust by default",
        probs = c(0.1, 0.25, 0.5, 0.75, 0.9), tau = 365, times = c(0, 100, 200.5, 365, 1000))
km_case("robust_lung_all_loglog.txt", lk[, c("time", "status", "w")],
        "survfit(Surv(time, status) ~ 1, lung, weights = ph.karno / 100, conf.type = 'log-log')",
        conf.type = "log-log", tau = 500, times = c(5, 500, 2000))
km_case("robust_lung_sex_plain_fh.txt", lk,
        "survfit(Surv(time, status) ~ sex, lung, weights = ph.karno / 100, conf.type = 'plain', ctype = 2)",
        conf.type = "plain", ctype = 2, tau = 365, times = c(100, 365))
km_case("robust_veteran_karno.txt", data.frame(time = veteran$time, status = veteran$status, w = veteran$karno / 37,
                                               g = veteran$celltype),
        "survfit(Surv(time, status) ~ celltype, veteran, weights = karno / 37)",
        tau = 200, times = c(10, 100, 500))
km_case("robust_veteran_karno_loglog_fh.txt", data.frame(time = veteran$time, status = veteran$status,
                                                         w = veteran$karno / 37, g = veteran$trt),
        "survfit(Surv(time, status) ~ trt, veteran, weights = karno / 37, conf.type = 'log-log', ctype = 2)",
        conf.type = "log-log", ctype = 2, tau = 300)
km_case("robust_off_lung_sex.txt", lk,
        "survfit(Surv(time, status) ~ sex, lung, weights = ph.karno / 100, robust = FALSE)  # Greenwood",
        tau = 365, times = c(100, 365), robust = FALSE)
km_case("robust_on_integer_weights.txt", data.frame(time = lung$time, status = lung$status - 1, w = (lung$age %% 3) + 1, g = lung$sex),
        "survfit(Surv(time, status) ~ sex, lung, weights = (age %% 3) + 1, robust = TRUE)",
        tau = 365, times = c(100, 365), robust = TRUE)
km_case("robust_heart_counting.txt", data.frame(start = heart$start, time = heart$stop, status = heart$event,
                                                w = 0.5 + (heart$id %% 4) / 3, g = heart$transplant),
        "survfit(Surv(start, stop, event) ~ transplant, heart, weights = 0.5 + (id %% 4) / 3)  # robust by default, each row its own cluster",
        tau = 500, times = c(0, 30, 365))
km_case("robust_bladder2_counting_loglog.txt", data.frame(start = bladder2$start, time = bladder2$stop, status = bladder2$event,
                                                          w = bladder2$size / 3, g = bladder2$rx),
        "survfit(Surv(start, stop, event) ~ rx, bladder2, weights = size / 3, conf.type = 'log-log')",
        conf.type = "log-log", tau = 30)
# Weights of two scales (issue 21): rows of weight near 1 leave first, rows near 1e-6 remain. A
# running sum that subtracts the rows that leave keeps only ~4 digits of the small rows' sums.
spread_w <- function(t, id) ifelse(t <= 200, 1 + (id %% 5) / 4, 1e-6 * (1 + (id %% 3) / 2))
km_case("robust_spread_lung.txt", data.frame(time = lung$time, status = lung$status - 1,
                                             w = spread_w(lung$time, seq_len(nrow(lung)))),
        "survfit(Surv(time, status) ~ 1, lung, weights = ifelse(time <= 200, 1 + (i %% 5) / 4, 1e-6 * (1 + (i %% 3) / 2)))  # i the row number",
        tau = 500, times = c(100, 300, 600))
km_case("robust_spread_lung_fh.txt", data.frame(time = lung$time, status = lung$status - 1,
                                                w = spread_w(lung$time, seq_len(nrow(lung))), g = lung$sex),
        "survfit(Surv(time, status) ~ sex, lung, weights = (as above), ctype = 2)", ctype = 2)
km_case("robust_spread_heart_counting.txt", data.frame(start = heart$start, time = heart$stop, status = heart$event,
                                                       w = spread_w(heart$stop, heart$id)),
        "survfit(Surv(start, stop, event) ~ 1, heart, weights = ifelse(stop <= 200, 1 + (id %% 5) / 4, 1e-6 * (1 + (id %% 3) / 2)))",
        times = c(30, 300))
km_case("spread_lung_greenwood.txt", data.frame(time = lung$time, status = lung$status - 1,
                                            w = spread_w(lung$time, seq_len(nrow(lung)))),
        "survfit(Surv(time, status) ~ 1, lung, weights = (as above), robust = FALSE)  # Greenwood and Nelson-Aalen",
        robust = FALSE, tau = 500)

# ---- survdiff ----
# One survdiff case; pairwise chisq from survdiff on each pair's rows; trend from survdiff's var.
lr_case <- function(file, data, call_text, rho = 0, scores = NULL) {
  y <- Surv(data$time, data$status)
  has_s <- "s" %in% names(data)
  g <- factor(data$g)
  fit <- if (has_s) survdiff(y ~ g + strata(data$s), rho = rho) else survdiff(y ~ g, rho = rho)
  k <- nlevels(g)
  obs <- if (is.matrix(fit$obs)) rowSums(fit$obs) else fit$obs
  ex <- if (is.matrix(fit$exp)) rowSums(fit$exp) else fit$exp
  df <- sum(ex > 0) - 1
  vals <- list(time = data$time, status = data$status, group = as.integer(g) - 1L,
               labels = levels(g), rho = rho)
  if (has_s) { sf <- factor(data$s); vals$strata <- as.integer(sf) - 1L; vals$n_strata <- nlevels(sf) }
  vals <- c(vals, list(n = as.vector(fit$n), observed = obs, expected = ex, var = fit$var,
                       chisq = fit$chisq, df = df, p = pchisq(fit$chisq, df, lower.tail = FALSE)))
  pa <- c(); pb <- c(); pc <- c(); pp <- c()
  for (a in 1:(k - 1)) for (b in (a + 1):k) {
    keep <- as.integer(g) %in% c(a, b)
    gg <- factor(g[keep]); yy <- y[keep]
    f2 <- if (has_s) survdiff(yy ~ gg + strata(data$s[keep]), rho = rho) else survdiff(yy ~ gg, rho = rho)
    pa <- c(pa, a - 1); pb <- c(pb, b - 1); pc <- c(pc, f2$chisq)
    pp <- c(pp, pchisq(f2$chisq, 1, lower.tail = FALSE))
  }
  cs <- if (is.null(scores)) seq_len(k) else scores
  u <- sum(cs * (obs - ex)); v <- drop(t(cs) %*% fit$var %*% cs)
  vals <- c(vals, list(pair_a = pa, pair_b = pb, pair_chisq = pc, pair_p = pp,
                       pair_holm = p.adjust(pp, "holm"), pair_bh = p.adjust(pp, "BH"),
                       scores = cs, trend_chisq = u^2 / v, trend_p = pchisq(u^2 / v, 1, lower.tail = FALSE)))
  golden_write(file.path("tests/golden/km", file), vals,
               c(call_text, sprintf("survdiff(y ~ g%s, rho = %g); pairs: survdiff on each pair's rows; p.adjust(p, 'holm'/'BH')",
                                    if (has_s) " + strata(s)" else "", rho),
                 "trend: u = sum(c * (O - E)); v = t(c) %*% fit$var %*% c; chisq = u^2 / v, pchisq(chisq, 1, lower.tail = FALSE)"))
}

lr_case("lr_lung_sex.txt", data.frame(time = lung$time, status = lung$status - 1, g = lung$sex),
        "survdiff(Surv(time, status) ~ sex, lung)")
lr_case("lr_veteran_celltype_rho1.txt", data.frame(time = veteran$time, status = veteran$status, g = veteran$celltype),
        "survdiff(Surv(time, status) ~ celltype, veteran, rho = 1)", rho = 1)
lr_case("lr_veteran_celltype.txt", data.frame(time = veteran$time, status = veteran$status, g = veteran$celltype),
        "survdiff(Surv(time, status) ~ celltype, veteran)")
lr_case("lr_lung_ecog_strata_sex.txt", data.frame(time = lung$time[okl], status = lung$status[okl] - 1,
        g = lung$ph.ecog[okl], s = lung$sex[okl]),
        "survdiff(Surv(time, status) ~ ph.ecog + strata(sex), lung)  # rows with ph.ecog NA dropped; 4 groups, ecog 3 has 1 row")
lr_case("lr_ovarian_rx_strata_rho05.txt", data.frame(time = ovarian$futime, status = ovarian$fustat, g = ovarian$rx, s = ovarian$resid.ds),
        "survdiff(Surv(futime, fustat) ~ rx + strata(resid.ds), ovarian, rho = 0.5)", rho = 0.5)
oki <- !is.na(lung$inst)
lr_case("lr_ties.txt", data.frame(time = lung$time[oki] %/% 100, status = lung$status[oki] - 1, g = lung$inst[oki] %% 5),
        "survdiff(Surv(time %/% 100, status) ~ inst %% 5, lung)  # heavy ties, 5 groups; rows with inst NA dropped")
