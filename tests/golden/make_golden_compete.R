# make_golden_compete.R: expected values for the competing-risks module (tests/unit/test_compete*.c,
# tests/cli/test_compete.sh), from survival's survfit(Surv(time, factor(event)) ~ g) (the
# Aalen-Johansen curves, std.err and limits) and cmprsk's cuminc(...)$Tests and crr.
# Run through tests/golden/make_golden.R from the repository root. Inputs: datasets/pbc.csv and
# two synthetic files written here to tests/data/compete/ (committed; the CLI tests read them);
# each golden file also holds its input vectors, so the unit tests need no CSV reader.
suppressPackageStartupMessages(library(cmprsk))
dir.create("tests/golden/compete", showWarnings = FALSE)
dir.create("tests/data/compete", showWarnings = FALSE, recursive = TRUE)
pbc <- read.csv("datasets/pbc.csv")

# --- synthetic data: string states, ties across causes, weights, late entry with split rows
set.seed(20261203)
n <- 400
g <- sample(c("a", "b", "c"), n, replace = TRUE)
t_ev <- pmax(1, round(rexp(n, ifelse(g == "a", 1/40, 1/60))))      # integer times: many ties
cause <- sample(c("relapse", "death", "other"), n, replace = TRUE, prob = c(0.5, 0.35, 0.15))
cause[g == "c" & cause == "other"] <- "death"                    # no "other" events in group c
cens <- round(runif(n, 10, 150))
time <- pmin(t_ev, cens)
event <- ifelse(t_ev <= cens, cause, "censored")
site <- sample(c("north", "south"), n, replace = TRUE)
w <- round(runif(n, 0.2, 3), 3)
syn <- data.frame(id = seq_len(n), time = time, event = event, g = g, site = site, w = w,
                  x1 = round(rnorm(n), 3), x2 = round(runif(n, 20, 80)), stringsAsFactors = FALSE)
write.csv(syn, "tests/data/compete/synthetic.csv", row.names = FALSE)
syn <- read.csv("tests/data/compete/synthetic.csv", stringsAsFactors = FALSE)

# counting-process form: each subject split at a random time, some entering late
split_rows <- function(d) {
  out <- list()
  for (i in seq_len(nrow(d))) {
    entry <- if (i %% 5 == 0) floor(d$time[i] / 3) else 0
    if (entry >= d$time[i]) entry <- 0
    cut <- if (d$time[i] - entry >= 4 && i %% 2 == 0) entry + floor((d$time[i] - entry) / 2) else NA
    if (is.na(cut)) {
      out[[i]] <- data.frame(id = d$id[i], start = entry, stop = d$time[i], event = d$event[i],
                             g = d$g[i], w = d$w[i])
    } else {
      out[[i]] <- data.frame(id = d$id[i], start = c(entry, cut), stop = c(cut, d$time[i]),
                             event = c("censored", d$event[i]), g = d$g[i], w = d$w[i])
    }
  }
  do.call(rbind, out)
}
syn_cp <- split_rows(syn)
write.csv(syn_cp, "tests/data/compete/synthetic_counting.csv", row.names = FALSE)
syn_cp <- read.csv("tests/data/compete/synthetic_counting.csv", stringsAsFactors = FALSE)

states_of <- function(ev, censor) {
  lv <- sort(unique(as.character(ev)))
  c(censor, setdiff(lv, censor))
}

# One survfit case. Writes inputs (state codes 0 = censored, 1.. in factor order), options, the
# curves of every group one after another (pstate etc. column by column: state (s0), then states),
# and Gray's test per state when asked (cmprsk::cuminc with group and strata).
aj_case <- function(file, call_text, time, event, censor, group = NULL, weights = NULL,
                    start = NULL, id = NULL, conf.type = "log", conf.int = 0.95, strata = NULL,
                    gray = !is.null(group) && is.null(weights) && is.null(start), rho = 0) {
  lev <- states_of(event, censor)
  ev <- factor(as.character(event), levels = lev)
  y <- if (is.null(start)) Surv(time, ev) else Surv(start, time, ev)
  gr <- if (is.null(group)) rep("all", length(time)) else as.character(group)
  args <- list(y ~ gr, conf.type = conf.type, conf.int = conf.int)
  if (!is.null(weights)) args$weights <- weights
  if (!is.null(id)) args$id <- id
  fit <- do.call(survfit, args)
  glev <- sort(unique(gr))
  vals <- list(time = time, state = as.integer(ev) - 1L, states = lev[-1],
               group = match(gr, glev) - 1L, labels = glev, conf_type = conf.type,
               conf_level = conf.int, rho = rho)
  if (!is.null(start)) vals$start <- start
  if (!is.null(id)) vals$id <- match(id, sort(unique(id))) - 1L
  if (!is.null(weights)) vals$weights <- weights
  if (!is.null(strata)) vals$strata <- match(strata, sort(unique(strata))) - 1L
  sizes <- if (is.null(fit$strata)) length(fit$time) else as.vector(fit$strata)
  vals <- c(vals, list(strata_sizes = sizes, out_time = fit$time, n_risk = fit$n.risk[, 1],
    n_censor = fit$n.censor, n_event = as.vector(fit$n.event), pstate = as.vector(fit$pstate),
    std_err = as.vector(fit$std.err), lower = as.vector(fit$lower), upper = as.vector(fit$upper)))
  calls <- c(call_text, sprintf("survfit(Surv(%stime, factor(event, levels = c(%s))) ~ g%s%s, conf.type = '%s', conf.int = %g)",
    if (is.null(start)) "" else "start, ", paste0("'", lev, "'", collapse = ", "),
    if (is.null(weights)) "" else ", weights = w", if (is.null(id)) "" else ", id = id",
    conf.type, conf.int))
  if (gray) {
    ci <- if (is.null(strata)) cuminc(time, as.character(event), gr, rho = rho, cencode = censor)
          else cuminc(time, as.character(event), gr, strata, rho = rho, cencode = censor)
    tests <- ci$Tests
    vals$gray_state <- match(rownames(tests), lev) - 1L
    vals$gray_stat <- tests[, "stat"]
    vals$gray_p <- tests[, "pv"]
    vals$gray_df <- tests[, "df"]
    calls <- c(calls, sprintf("cmprsk::cuminc(time, event, g%s, rho = %g, cencode = '%s')$Tests",
                              if (is.null(strata)) "" else ", strata", rho, censor))
  }
  golden_write(file.path("tests/golden/compete", file), vals, calls)
}

aj_case("pbc_edema.txt", "pbc <- read.csv('datasets/pbc.csv'); survfit(Surv(time, factor(status)) ~ edema, pbc)",
        pbc$time, pbc$status, "0", group = pbc$edema)
pbc_trt <- pbc[!is.na(pbc$trt), ]
aj_case("pbc_trt_strata_loglog90.txt", "survfit(Surv(time, factor(status)) ~ trt, pbc, conf.type = 'log-log', conf.int = 0.9); cuminc(..., strata = sex)",
        pbc_trt$time, pbc_trt$status, "0", group = pbc_trt$trt, conf.type = "log-log",
        conf.int = 0.9, strata = pbc_trt$sex)
pbc_stage <- pbc[!is.na(pbc$stage), ]
aj_case("pbc_stage_rho1.txt", "survfit(Surv(time, factor(status)) ~ stage, pbc, conf.type = 'plain'); cuminc(..., rho = 1)",
        pbc_stage$time, pbc_stage$status, "0", group = pbc_stage$stage, conf.type = "plain", rho = 1)
aj_case("pbc_all.txt", "survfit(Surv(time, factor(status)) ~ 1, pbc)", pbc$time, pbc$status, "0")
aj_case("syn_groups.txt", "syn <- read.csv('tests/data/compete/synthetic.csv'); survfit(Surv(time, factor(event)) ~ g, syn)",
        syn$time, syn$event, "censored", group = syn$g, strata = syn$site)
aj_case("syn_weights_logit.txt", "survfit(Surv(time, factor(event)) ~ g, syn, weights = w, conf.type = 'logit')",
        syn$time, syn$event, "censored", group = syn$g, weights = syn$w, conf.type = "logit")
aj_case("syn_counting_arcsin.txt", "syn_cp <- read.csv('tests/data/compete/synthetic_counting.csv'); survfit(Surv(start, stop, factor(event)) ~ g, syn_cp, id = id, weights = w, conf.type = 'arcsin')",
        syn_cp$stop, syn_cp$event, "censored", group = syn_cp$g, weights = syn_cp$w,
        start = syn_cp$start, id = syn_cp$id, conf.type = "arcsin")
aj_case("syn_counting_all.txt", "survfit(Surv(start, stop, factor(event)) ~ 1, syn_cp, id = id)",
        syn_cp$stop, syn_cp$event, "censored", start = syn_cp$start, id = syn_cp$id)

# --- Fine-Gray: cmprsk::crr. Inputs (time, state codes, design matrix column-major, names), crr's
# coef, var, loglik, loglik.null, converged, its number of Newton steps (the smallest maxiter for
# which crr converges), uftime, bfitj and predict.crr for the first rows of the design.
crr_iterations <- function(...) {
  for (k in 0:50) if (crr(..., maxiter = k)$converged) return(k)
  NA
}
fg_case <- function(file, call_text, time, event, censor, cause, X, weights = NULL, n_new = 3) {
  lev <- states_of(event, censor)
  state <- match(as.character(event), lev) - 1L
  cause_code <- match(cause, lev) - 1L
  if (is.null(weights)) {
    fit <- crr(time, state, X, failcode = cause_code, cencode = 0)
    iters <- crr_iterations(time, state, X, failcode = cause_code, cencode = 0)
  } else {  # integer case weights: crr on the rows repeated w times
    rep_i <- rep(seq_along(time), weights)
    fit <- crr(time[rep_i], state[rep_i], X[rep_i, , drop = FALSE], failcode = cause_code, cencode = 0)
    iters <- crr_iterations(time[rep_i], state[rep_i], X[rep_i, , drop = FALSE],
                            failcode = cause_code, cencode = 0)
  }
  newx <- X[seq_len(n_new), , drop = FALSE]
  pr <- predict(fit, newx)
  vals <- list(time = time, state = state, states = lev[-1], cause = cause_code, x = as.vector(X),
               names = colnames(X))
  if (!is.null(weights)) vals$weights <- weights
  vals <- c(vals, list(coef = fit$coef, var = as.vector(fit$var), loglik = fit$loglik,
                       loglik_null = fit$loglik.null, converged = as.integer(fit$converged),
                       iterations = iters, uftime = fit$uftime, bfitj = fit$bfitj,
                       n_new = n_new, predict = as.vector(pr[, -1])))
  golden_write(file.path("tests/golden/compete", file), vals,
               c(call_text, sprintf("crr(time, state, X, failcode = %d, cencode = 0)%s; predict(fit, X[1:%d, ])",
                                    cause_code, if (is.null(weights)) "" else " on rows repeated w times", n_new)))
}
pbc_fg <- pbc[!is.na(pbc$stage), ]
X1 <- model.matrix(~ age + log(bili) + albumin + edema + factor(stage), pbc_fg)[, -1]
fg_case("fg_pbc_death.txt", "pbc: crr(time, status, model.matrix(~ age + log(bili) + albumin + edema + factor(stage))[, -1], failcode = 2)",
        pbc_fg$time, pbc_fg$status, "0", "2", X1)
X2 <- model.matrix(~ age + log(bili) + sex, pbc)[, -1]
fg_case("fg_pbc_transplant.txt", "pbc: crr(time, status, model.matrix(~ age + log(bili) + sex)[, -1], failcode = 1)",
        pbc$time, pbc$status, "0", "1", X2)
X3 <- model.matrix(~ x1 + x2 + g + x1:g, syn)[, -1]
fg_case("fg_syn_relapse.txt", "syn: crr(time, event, model.matrix(~ x1 + x2 + g + x1:g)[, -1], failcode = 'relapse', cencode = 'censored')",
        syn$time, syn$event, "censored", "relapse", X3)
wint <- 1 + (seq_len(nrow(syn)) %% 3)
fg_case("fg_syn_weights.txt", "syn: crr(..., failcode = 'death') on each row repeated w = 1 + (row %% 3) times",
        syn$time, syn$event, "censored", "death", model.matrix(~ x1 + x2, syn)[, -1], weights = wint)

# --- summaries of pbc ~ edema: summary(fit, times =) and print(fit, rmean = 3000)'s table, and a
# cause-specific Cox model with a string comparison in Surv()
fit_e <- survfit(Surv(time, factor(status)) ~ edema, pbc)
se <- summary(fit_e, times = c(500, 1000, 2000.5))
tab <- summary(fit_e, rmean = 3000)$table
golden_write("tests/golden/compete/pbc_edema_summaries.txt",
  list(times = c(500, 1000, 2000.5), at_pstate = as.vector(se$pstate), at_std_err = as.vector(se$std.err),
       at_n_risk = as.vector(se$n.risk[, 1]), rmean = tab[, "rmean"]),
  c("fit <- survfit(Surv(time, factor(status)) ~ edema, pbc); s <- summary(fit, times = c(500, 1000, 2000.5))",
    "summary(fit, rmean = 3000)$table[, 'rmean'] (rows: states slowest, then groups)"))
cs <- coxph(Surv(time, event == "relapse") ~ x1 + x2 + g, syn)
golden_write("tests/golden/compete/cox_cause_specific.txt",
  list(coef = coef(cs), se = sqrt(diag(vcov(cs))), loglik = cs$loglik),
  "syn <- read.csv('tests/data/compete/synthetic.csv'); coxph(Surv(time, event == \"relapse\") ~ x1 + x2 + g, syn)")
