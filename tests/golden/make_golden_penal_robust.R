# make_golden_penal_robust.R: expected values of the robust (sandwich) variance of survkit's
# ridge() and pspline() Cox fits, from R's survival::coxph (3.5): with cluster(), robust = TRUE,
# or by default when some case weight is not a whole number, coxph keeps coxpenal.fit's var as
# naive.var and sets var to crossprod of the dfbeta residuals (collapsed by cluster); var2 stays.
# Sourced by tests/golden/make_golden.R from the repository root; writes
# tests/golden/penal_robust/<case>.txt. The tests build the same call on the same CSV.
dir.create("tests/golden/penal_robust", showWarnings = FALSE, recursive = TRUE)

lung <- read.csv("datasets/lung.csv")
lungw <- read.csv("datasets/weighted_lung.csv")

source("tests/golden/penal_table.R")

# name: the golden file; formula as survkit takes it; dataset: "lung" or "lungw" (the CSV
# weighted_lung.csv); weights: a column; robust: coxph's robust argument (NULL: R's default),
# survkit's --robust; the key `options` holds survkit's extra options.
robust_case <- function(name, formula, dataset = "lung", weights = NULL, robust = NULL) {
  call_text <- sprintf("coxph(%s, data = %s%s%s)", formula, dataset,
                       if (is.null(weights)) "" else paste0(", weights = ", weights),
                       if (is.null(robust)) "" else paste0(", robust = ", robust))
  fit <- eval(parse(text = call_text))
  stopifnot(!is.null(fit$naive.var))
  tab <- penal_table(fit)
  vals <- list(
    dataset = c(lung = "lung", lungw = "weighted_lung")[[dataset]], formula = formula,
    weights = if (is.null(weights)) character() else weights,
    options = if (isTRUE(robust)) "--robust" else character(),
    coef = unname(fit$coefficients), names = names(fit$coefficients),
    var = as.vector(fit$var), var2 = as.vector(fit$var2), naive_var = as.vector(fit$naive.var),
    rscore = fit$rscore, loglik = fit$loglik, df = fit$df, iter = fit$iter,
    table = as.vector(tab$rows), table_names = tab$labels,
    # residuals(fit, "dfbeta") (by columns): R's uses naive.var, "dfbetas" scales by the robust se
    dfbeta = as.vector(residuals(fit, type = "dfbeta")),
    dfbetas = as.vector(residuals(fit, type = "dfbetas")),
    print_text = capture.output(print(fit)))
  golden_write(file.path("tests/golden/penal_robust", paste0(name, ".txt")), vals,
               calls = call_text)
}

robust_case("ridge_cluster", "Surv(time, status) ~ ridge(age, ph.ecog, theta = 1) + sex + cluster(inst)")
robust_case("ridge_robust", "Surv(time, status) ~ ridge(age, ph.ecog, theta = 1) + sex",
            robust = TRUE)
robust_case("ridge_weights", "Surv(time, status) ~ ridge(age, ph.ecog, theta = 1) + sex",
            dataset = "lungw", weights = "w")
robust_case("pspline_weights", "Surv(time, status) ~ pspline(age, df = 2) + sex",
            dataset = "lungw", weights = "w")
robust_case("pspline_cluster_strata",
            "Surv(time, status) ~ pspline(age, df = 2) + ph.ecog + cluster(inst) + strata(sex)")
