# make_golden_pspline.R: expected values of survkit's Cox fits with pspline() terms, from R's
# survival::coxph with the same terms (coxpenal.fit; theta by frailty.controldf when df is given).
# Sourced by tests/golden/make_golden.R from the repository root; writes
# tests/golden/pspline/<case>.txt. The tests build the same formula on the same CSV.
dir.create("tests/golden/pspline", showWarnings = FALSE, recursive = TRUE)

lung <- read.csv("datasets/lung.csv")
heart <- read.csv("datasets/heart.csv")
bladder2w <- read.csv("datasets/bladder2_weighted.csv")
reun <- read.csv("datasets/reunification.csv")
ridge_sim <- read.csv("datasets/ridge_sim.csv")

source("tests/golden/penal_table.R")

# name: the golden file; formula: as survkit takes it; ties: coxph's ties; dataset: the CSV in
# datasets/; weights: a column of it; naive: add robust = FALSE (R's default is a robust variance
# when some weight is not an integer; survkit's penalised fits give the naive one).
pspline_case <- function(name, formula, ties = "efron", dataset = "lung", weights = NULL,
                         naive = FALSE) {
  data_name <- c(lung = "lung", heart = "heart", reunification = "reun",
                 ridge_sim = "ridge_sim", bladder2_weighted = "bladder2w")[[dataset]]
  run <- penal_coxph(formula, data_name, ties, weights, naive)
  call_text <- run$call_text; fit <- run$fit; warns <- run$warnings
  ps <- grep("^pspline", names(fit$history))
  tab <- penal_table(fit)
  vals <- list(
    dataset = dataset, formula = formula, ties = ties,
    weights = if (is.null(weights)) character() else weights, warnings = warns,
    coef = unname(fit$coefficients), names = names(fit$coefficients),
    var = as.vector(fit$var), var2 = as.vector(fit$var2),
    df = fit$df, loglik = fit$loglik, iter = fit$iter, penalty = fit$penalty,
    # the theta print.coxph.penal prints for each pspline term (its cfun's last value)
    ps_theta = sapply(ps, function(j) fit$history[[j]]$theta),
    frail = fit$frail, fvar = fit$fvar, lp = unname(fit$linear.predictors),
    table = as.vector(tab$rows), table_names = tab$labels,
    n = fit$n, nevent = fit$nevent)
  for (k in seq_along(ps)) {  # the df search's history (thetas, dfs); none for a fixed theta
    h <- fit$history[[ps[k]]]$history
    vals[[sprintf("ps%d_history_theta", k)]] <- if (is.null(h)) numeric() else h[, 1]
    vals[[sprintf("ps%d_history_df", k)]] <- if (is.null(h)) numeric() else h[, 2]
  }
  # termplot(fit, terms = k, se = TRUE, plot = FALSE) for each pspline term: the curve survkit
  # draws with --plot (x: the distinct values of the variable; y: predict(type = "terms"); se)
  if (is.null(fit$frail)) {
    tl <- colnames(predict(fit, type = "terms"))
    for (k in seq_along(ps)) {
      tp <- termplot(fit, terms = match(names(fit$history)[ps[k]], tl), se = TRUE, plot = FALSE)[[1]]
      vals[[sprintf("curve%d_x", k)]] <- tp$x
      vals[[sprintf("curve%d_y", k)]] <- tp$y
      vals[[sprintf("curve%d_se", k)]] <- tp$se
    }
  }
  vals$print_text <- capture.output(print(fit))
  golden_write(file.path("tests/golden/pspline", paste0(name, ".txt")), vals, calls = call_text)
  invisible(fit)
}

pspline_case("lung_default", "Surv(time, status) ~ pspline(age) + sex")
pspline_case("lung_df2", "Surv(time, status) ~ pspline(age, df = 2) + sex")
pspline_case("lung_theta", "Surv(time, status) ~ pspline(age, theta = 0.5) + sex")
pspline_case("lung_nterm_strata_breslow",
  "Surv(time, status) ~ pspline(age, nterm = 8, df = 3) + ph.ecog + strata(sex)", "breslow")
pspline_case("lung_weights", "Surv(time, status) ~ pspline(age, df = 3) + sex", weights = "ph.karno")
pspline_case("lung_two", "Surv(time, status) ~ pspline(age) + pspline(ph.karno, df = 3)")
# counting-process data (R's agfit5): the Stanford heart transplant data
pspline_case("heart_ag", "Surv(start, stop, event) ~ pspline(age) + transplant", dataset = "heart")
# with ridge(): R then keeps the penalty's second derivatives as a full matrix and recycles
# ridge's diagonal over its block (survkit copies that: src/cox/frailty.c, dense_penalty)
pspline_case("ridge_pspline", "Surv(time, status) ~ ridge(x1, x2, theta = 1) + pspline(x3, df = 3) + x6",
  dataset = "ridge_sim")
# with a gamma frailty (R's ptype 3; its outer loop runs to outer.max = 10)
pspline_case("reun_frailty", "Surv(days, breakdown) ~ pspline(age, df = 3) + sex + frailty(la)",
  dataset = "reunification")
# the frailty written first: print.coxph.penal prints its "Variance of random effect=" line before
# pspline's "Theta=" (the printfun lines follow the formula's order)
pspline_case("reun_frailty_first", "Surv(days, breakdown) ~ frailty(la) + pspline(age, df = 3) + sex",
  dataset = "reunification")
# case weights with (start, stop] data and Efron ties (R's agfit5 rule: src/cox/efron.c)
pspline_case("bladder_w", "Surv(start, stop, event) ~ pspline(enum, df = 2) + rx",
  dataset = "bladder2_weighted", weights = "w", naive = TRUE)
# two pspline terms and a gamma frailty whose variance collapses (theta 5e-11: R's last inner loop
# then runs on round-off, see test_pspline.c). R's own count moves with the row order: the same
# call on lung[sample(nrow(lung)), ] after set.seed(1), ..., set.seed(5) gives 45 Newton
# iterations, not 29, and penalties 0.815036 to 0.815079.
pspline_case("lung_frailty_two",
  "Surv(time, status) ~ pspline(age) + sex + frailty(inst) + pspline(ph.karno, df = 3)")
