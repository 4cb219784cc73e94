# make_golden_cox_null.R: Cox models without covariates, only an offset (p = 0), from R's coxph.
# Sourced by tests/golden/make_golden.R. The log-likelihood is the partial likelihood at the
# offset (R's coxph with no covariates evaluates it there once). Each case writes
# tests/golden/cox_null/<case>.txt with the inputs as survkit_cox_fit_arrays takes them and coxph's
# loglik and linear predictor.
dir.create("tests/golden/cox_null", showWarnings = FALSE, recursive = TRUE)

ds <- function(name) read.csv(file.path("datasets", paste0(name, ".csv")))

null_case <- function(name, call_text, data, offset, ties, strata = NULL) {
  fit <- eval(parse(text = call_text), envir = list2env(list(d = data), parent = globalenv()))
  y <- fit$y
  vals <- list(
    n = nrow(y), time = y[, 1], status = y[, 2], offset = offset, ties = ties,
    strata = if (is.null(strata)) integer() else as.integer(factor(strata)) - 1L,
    n_strata = if (is.null(strata)) 0L else length(unique(strata)),
    loglik = fit$loglik, lp = unname(fit$linear.predictors), nevent = fit$nevent)
  golden_write(file.path("tests/golden/cox_null", paste0(name, ".txt")), vals, calls = call_text)
}

ov <- ds("ovarian")
null_case("ovarian_offset_only",
          "coxph(Surv(futime, fustat) ~ offset(log(age)), data = d)",
          ov, offset = log(ov$age), ties = "efron")

lung <- ds("lung")
lung <- lung[complete.cases(lung[, c("time", "status", "age", "sex")]), ]
lung$status <- as.integer(lung$status == 2)
null_case("lung_offset_strata_breslow",
          "coxph(Surv(time, status) ~ offset(age / 50) + strata(sex), data = d, ties = 'breslow')",
          lung, offset = lung$age / 50, ties = "breslow", strata = lung$sex)
