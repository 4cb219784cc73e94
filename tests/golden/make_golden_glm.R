# make_golden_glm.R: expected values of survkit's binomial GLM, from R's glm() and summary.glm().
# Sourced by tests/golden/make_golden.R (run from the repository root). Each case writes
# tests/golden/glm/<case>.txt with the formula and data file (for the frame path), the model's
# inputs as survkit's array entry point takes them (model.matrix with its "(Intercept)" column, y
# coded 0/1, prior weights, offset, 0-based cluster codes) and glm's results: coefficients (NA when
# aliased), summary's standard errors, z and p, vcov(fit) (complete, NA rows for aliased columns),
# deviances, degrees of freedom, AIC, iterations, convergence, fitted values, linear predictors,
# R's warnings, and the text of print(summary(fit)).
# Cluster-robust variance (--cluster): sandwich::vcovCL(fit, cluster, type = "HC0",
# cadjust = FALSE) written out here in base R: V = B M B with B = vcov(fit) and M the sum over
# clusters of u_c u_c', u_c = sum over the cluster's rows of x_i * r_i * w_i, r_i the working
# residual residuals(fit, "working") and w_i the working weight weights(fit, "working") (sandwich's
# estfun.glm).
dir.create("tests/golden/glm", showWarnings = FALSE, recursive = TRUE)

ds <- function(name) read.csv(file.path("datasets", paste0(name, ".csv")))

glm_case <- function(name, dataset, formula, link = "logit", weights = NULL, cluster = NULL,
                     data = ds(dataset), subset_note = NULL) {
  call_text <- sprintf("glm(%s, family = binomial(link = \"%s\"), data = d%s)", formula, link,
                       if (is.null(weights)) "" else paste0(", weights = ", weights))
  warns <- character()
  env <- list2env(list(d = data), parent = globalenv())
  fit <- withCallingHandlers(eval(parse(text = call_text), envir = env),
    warning = function(w) { warns <<- c(warns, conditionMessage(w)); invokeRestart("muffleWarning") })
  s <- summary(fit)
  x <- model.matrix(fit)
  p <- ncol(x)
  aliased <- is.na(coef(fit))
  se <- z <- pv <- rep(NA_real_, p)
  se[!aliased] <- s$coefficients[, 2]
  z[!aliased] <- s$coefficients[, 3]
  pv[!aliased] <- s$coefficients[, 4]
  used <- as.integer(rownames(model.frame(fit)))
  vals <- list(
    formula = formula, dataset = dataset, link = link,
    weights_column = if (is.null(weights)) character() else weights,
    cluster_column = if (is.null(cluster)) character() else cluster,
    n = nrow(x), p = p, x = as.vector(x), names = colnames(x), y = fit$y,
    prior_weights = if (is.null(weights)) numeric() else fit$prior.weights,
    offset = if (is.null(fit$offset)) numeric() else fit$offset,
    coef = unname(coef(fit)), se = se, z = z, pvalue = pv,
    vcov = as.vector(vcov(fit, complete = TRUE)),
    deviance = fit$deviance, null_deviance = fit$null.deviance,
    df_residual = fit$df.residual, df_null = fit$df.null, aic = fit$aic, rank = fit$rank,
    iter = fit$iter, converged = fit$converged, boundary = fit$boundary,
    fitted = unname(fit$fitted.values), lp = unname(fit$linear.predictors),
    se_fit = unname(predict(fit, se.fit = TRUE)$se.fit),
    n_warnings = length(warns), warnings = warns)
  calls <- c(call_text, "s <- summary(fit); s$coefficients; vcov(fit, complete = TRUE); predict(fit, se.fit = TRUE)$se.fit")
  if (!is.null(cluster)) {
    cl <- data[[cluster]][used]
    vals$cluster <- as.integer(factor(cl)) - 1L
    vals$n_clusters <- length(unique(cl))
    B <- vcov(fit)
    xa <- x[, !aliased, drop = FALSE]
    u <- xa * (residuals(fit, "working") * weights(fit, "working"))
    uc <- rowsum(u, cl, reorder = FALSE)
    V <- B %*% crossprod(uc) %*% B
    rv <- matrix(NA_real_, p, p)
    rv[!aliased, !aliased] <- V
    rse <- rep(NA_real_, p)
    rse[!aliased] <- sqrt(diag(V))
    vals$robust_vcov <- as.vector(rv)
    vals$robust_se <- rse
    calls <- c(calls, sprintf("B %%*%% crossprod(rowsum(model.matrix(fit) * residuals(fit, 'working') * weights(fit, 'working'), d$%s)) %%*%% B, B = vcov(fit)", cluster))
  }
  vals$summary_text <- capture.output(print(s))
  golden_write(file.path("tests/golden/glm", paste0(name, ".txt")), vals, calls = calls)
}

# The three links on lung (logical response from a comparison, rows with NA dropped).
for (link in c("logit", "probit", "cloglog"))
  glm_case(paste0("lung_", link), "lung", "I(status == 2) ~ age + sex + ph.ecog + ph.karno", link)

# Factors, an interaction, integer case weights; then non-integer weights (R's warning).
glm_case("reunification_factors", "reunification",
         "breakdown ~ age + sex + reason + support + prior_failed * unplanned")
glm_case("reunification_weights", "reunification", "breakdown ~ age + sex + support + substance",
         weights = "months_in_care")
glm_case("pbc_frac_weights", "pbc", "I(status == 2) ~ age + log(bili) + edema", link = "probit",
         weights = "albumin")
# Offset: the null deviance comes from a second fit with the intercept alone.
glm_case("reunification_offset", "reunification",
         "breakdown ~ sex + substance + offset(log(months_in_care))", link = "cloglog")
# A two-level string response (the second level, "Nonmaintained", is 1); R needs it as a factor.
aml <- ds("aml")
aml$x <- factor(aml$x)
glm_case("aml_string", "aml", "x ~ time + status", data = aml)
# An aliased column: its coefficient is NA, summary omits it.
glm_case("aliased", "reunification", "breakdown ~ age + I(2 * age) + sex + unplanned")
# Complete separation: R warns that fitted probabilities are numerically 0 or 1.
glm_case("separated", "lung", "I(time > 500) ~ time + age")
# Cluster-robust variance, as sandwich::vcovCL(type = "HC0", cadjust = FALSE).
glm_case("reunification_cluster", "reunification", "unplanned ~ age + sex + reason + prior_failed",
         cluster = "family_id")
