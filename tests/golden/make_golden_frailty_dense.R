# make_golden_frailty_dense.R: expected values of survkit's DENSE frailty fits, from R's
# survival::coxph with frailty(x, sparse = FALSE), which R also chooses by default for 5 groups or
# fewer: one penalised 0/1 column per group (coefficients gamma:<level>, gauss:<level>), the
# frailty's own outer loop. Sourced by tests/golden/make_golden.R from the repository root; writes
# tests/golden/frailty_dense/<case>.txt, read by tests/unit/test_frailty_dense.c.
dir.create("tests/golden/frailty_dense", showWarnings = FALSE, recursive = TRUE)

lung <- read.csv("datasets/lung.csv")
bladder2 <- read.csv("datasets/bladder2.csv")
reun <- read.csv("datasets/reunification.csv")
source("tests/golden/penal_table.R")

# name: the golden file; formula: as survkit takes it; ties: coxph's ties. Written: R's full
# coefficient vector, var and var2 (the indicators' columns from fcol, 0-based, G of them), the
# printed table (penal_table: the frailty row from its printfun, coxph.wtest on its block), the
# frailty term's outer-loop history as R keeps it (hist, column-major, hist_cols columns: for
# the gamma's "em" theta, loglik, c.loglik; for "aic" theta, loglik, df, ...; for the gaussian's
# REML theta, resid, fsum, trace; for df = thetas, dfs with R's starting row (0, 0)).
# robust = TRUE: coxph(..., robust = TRUE) (survkit's --robust); with cluster() in the formula R's
# default is robust too. Then var is R's robust var (crossprod of the dfbeta residuals, the
# indicators' columns among them), naive_var coxpenal.fit's, rscore the robust score test.
dense_case <- function(name, formula, ties = "efron", dataset = "lung", robust = FALSE) {
  data_name <- c(lung = "lung", bladder2 = "bladder2", reunification = "reun")[[dataset]]
  run <- penal_coxph(formula, data_name, ties)
  if (robust) {  # penal_coxph has no robust = TRUE: the same call with it
    run$call_text <- sub(")$", ", robust = TRUE)", run$call_text)
    run$fit <- eval(parse(text = run$call_text))
  }
  fit <- run$fit
  fpos <- grep("^frailty", names(fit$pterms))
  h <- fit$history[[grep("^frailty", names(fit$history))]]
  hist <- if (is.null(h$history)) matrix(h$theta, 1) else rbind(h$history)
  theta <- if (is.null(h$history)) h$theta else hist[nrow(hist), 1]
  kk <- fit$assign2[[fpos]]
  tab <- penal_table(fit)
  vals <- list(
    dataset = dataset, formula = formula, ties = ties, weights = character(),
    robust = if (robust) "TRUE" else "default",
    naive_var = if (is.null(fit$naive.var)) NA else as.vector(fit$naive.var),
    rscore = if (is.null(fit$rscore)) NA else fit$rscore,
    warnings = run$warnings,
    coef_names = names(fit$coefficients), coef = unname(fit$coefficients),
    fcol = min(kk) - 1, G = length(kk),
    var = as.vector(fit$var), var2 = as.vector(fit$var2),
    df = fit$df, loglik = fit$loglik, iter = fit$iter, penalty = fit$penalty,
    theta = theta, c_loglik = if (is.null(h$c.loglik)) NA else h$c.loglik,
    hist_cols = ncol(hist), hist = as.vector(hist),
    lp = unname(fit$linear.predictors), means = unname(fit$means),
    table = as.vector(tab$rows), table_labels = tab$labels,
    n = fit$n, nevent = fit$nevent, print_text = capture.output(print(fit)))
  # a pspline term (one at most here): termplot(fit, terms = k, se = TRUE, plot = FALSE), the
  # curve survkit draws with --plot (R's predict(type = "terms") works with a dense frailty)
  ps <- grep("^pspline", names(fit$pterms))
  if (length(ps)) {
    # (R warns "contrasts dropped from factor frailty(ph.ecog)" here: the indicators' own)
    tl <- suppressWarnings(colnames(predict(fit, type = "terms")))
    tp <- suppressWarnings(termplot(fit, terms = match(names(fit$pterms)[ps], tl), se = TRUE,
                                    plot = FALSE))[[1]]
    vals$curve_x <- tp$x; vals$curve_y <- tp$y; vals$curve_se <- tp$se
  }
  golden_write(file.path("tests/golden/frailty_dense", paste0(name, ".txt")), vals,
               calls = run$call_text)
}

# the examples of R's documentation style: 4 ECOG groups (default dense), 18 institutions forced
dense_case("lung_gamma", "Surv(time, status) ~ age + frailty(ph.ecog)")
dense_case("lung_gauss", "Surv(time, status) ~ age + frailty(ph.ecog, distribution = 'gaussian')")
# theta collapses towards 0 (5e-07 at the end): nu = 1/theta is 2e6
dense_case("lung_inst", "Surv(time, status) ~ age + frailty(inst, sparse = FALSE)")
# the other searches for theta, and a fixed theta
dense_case("lung_gamma_aic", "Surv(time, status) ~ age + frailty(ph.ecog, method = 'aic')")
dense_case("lung_fixed", "Surv(time, status) ~ age + frailty(ph.ecog, theta = 0.5)")
dense_case("lung_gauss_aic",
  "Surv(time, status) ~ age + frailty(ph.ecog, distribution = 'gaussian', method = 'aic')")
dense_case("lung_gauss_fixed_breslow",
  "Surv(time, status) ~ age + frailty(ph.ecog, distribution = 'gaussian', theta = 0.2)", "breslow")
dense_case("lung_df", "Surv(time, status) ~ age + frailty(ph.ecog, df = 2)")
# strata, Breslow ties, the frailty first (its columns before age) or alone
dense_case("lung_strata", "Surv(time, status) ~ age + strata(sex) + frailty(ph.ecog)")
dense_case("lung_breslow", "Surv(time, status) ~ age + sex + frailty(ph.ecog)", "breslow")
dense_case("lung_first", "Surv(time, status) ~ frailty(ph.ecog) + age")
dense_case("lung_only", "Surv(time, status) ~ frailty(ph.ecog)")
# with ridge() (diagonal penalties) and with pspline() (R's full penalty matrix, in which the
# frailty's diagonal is recycled over its block as ridge's is; R's first inner loop runs out)
dense_case("lung_ridge", "Surv(time, status) ~ age + frailty(ph.ecog) + ridge(wt.loss, theta = 1)")
dense_case("lung_pspline", "Surv(time, status) ~ age + frailty(ph.ecog) + pspline(wt.loss)")
# counting-process data (R's agfit5): bladder2's 4 recurrence numbers, and 7 tumour counts forced
dense_case("bladder_enum", "Surv(start, stop, event) ~ rx + size + frailty(enum)",
  dataset = "bladder2")
dense_case("bladder_number_breslow",
  "Surv(start, stop, event) ~ rx + size + frailty(number, sparse = FALSE)", "breslow",
  dataset = "bladder2")
# a larger cohort: 3 support levels, 3000 rows
dense_case("reun_support", "Surv(days, breakdown) ~ age + frailty(support)",
  dataset = "reunification")
# the robust variance R gives a dense frailty (its columns are covariates for residuals.coxph):
# with robust = TRUE, and with cluster() (R's default then); the printed chisq of the frailty is
# coxph.wtest on the robust var's block
dense_case("lung_robust", "Surv(time, status) ~ age + frailty(ph.ecog)", robust = TRUE)
dense_case("lung_cluster", "Surv(time, status) ~ age + frailty(ph.ecog) + cluster(inst)")
# R's frailty() matches its argument partially (dist =) and the distribution as
# pmatch(distribution, c("gamma", "gaussian", "t")): the gaussian frailty
dense_case("lung_gauss_dist", "Surv(time, status) ~ age + frailty(ph.ecog, dist = 'gauss')")
# R counts frailty(x)'s values (nclass) before na.omit. A value whose rows all go: R keeps its
# column (all zeros, coefficient ~0 at R's solution, 9.5e-25 here); survkit has no such group.
dense_case("lung_empty_level", "Surv(time, status) ~ age + sqrt(meal.cal - 1100) + frailty(ph.ecog)")
# 6 values before na.omit, 5 after: R's default is the SPARSE frailty (nclass > 5)
local({
  formula <- paste("Surv(time, status) ~ age + sqrt(abs(inst - 21.5) - 1) +",
                   "frailty((inst > 2) + (inst > 6) + (inst > 12) + (inst > 16) + (inst > 25))")
  run <- penal_coxph(formula, "lung", "efron")
  fit <- run$fit
  stopifnot(!is.null(fit$frail))
  golden_write("tests/golden/frailty_dense/lung_nclass_sparse.txt",
               list(dataset = "lung", formula = formula, ties = "efron", weights = character(),
                    robust = "default",
                    warnings = run$warnings, coef = unname(fit$coefficients), frail = fit$frail,
                    fvar = fit$fvar, var = as.vector(fit$var), df = fit$df, loglik = fit$loglik,
                    iter = fit$iter, print_text = capture.output(print(fit))),
               calls = run$call_text)
})
