# survkit: R interface to libsurvkit. The C library builds the model frame from the formula and fits;
# these functions hand it the data frame's columns and dress its answer as survival's own objects
# (classes coxph, survfit, survdiff), so survival's print, summary, coef and vcov methods apply.

# The columns a formula can use, as the C glue takes them: double vectors as they are (no copy),
# integers and logicals as doubles, characters as text, factors as codes with their levels.
sk_columns <- function(data) {
  data <- as.data.frame(data)
  cols <- lapply(data, function(x) {
    if (is.factor(x)) x  # codes and levels, in the factor's order
    else if (is.character(x)) x
    else if (is.double(x)) x
    else if (is.integer(x) || is.logical(x)) as.double(x)
    else stop("column of type ", class(x)[1], " is not supported")
  })
  names(cols) <- names(data)
  cols
}

sk_formula_text <- function(formula) {
  if (inherits(formula, "formula")) paste(deparse(formula, width.cutoff = 500L), collapse = " ")
  else as.character(formula)
}

sk_call <- function(kind, formula, data, weights = NULL, ties = "efron", conf.type = "log",
                    conf.int = 0.95, rho = 0, robust = NULL) {
  ties <- match.arg(ties, c("efron", "breslow", "exact"))
  robust_code <- if (is.null(robust)) 0L else if (isTRUE(robust)) 1L else 2L
  .Call(sk_fit, as.integer(kind), sk_columns(data), sk_formula_text(formula),
        if (is.null(weights)) NULL else as.character(weights),
        match(ties, c("efron", "breslow", "exact")) - 1L, as.character(conf.type),
        as.double(conf.int), as.double(rho), robust_code)
}

# Rows dropped for missing values, as an na.action of class "omit" (print: "n deleted").
sk_na_action <- function(n, kept) {
  if (length(kept) == n) return(NULL)
  out <- setdiff(seq_len(n), kept)
  class(out) <- "omit"
  out
}

#' Cox model: survival::coxph(formula, data, ties =, weights =, robust =) computed by libsurvkit.
#' weights is the name of a column of `data`.
sk_coxph <- function(formula, data, ties = c("efron", "breslow", "exact"), weights = NULL,
                     robust = NULL, ...) {
  ties <- match.arg(ties)
  r <- sk_call(0L, formula, data, weights = weights, ties = ties, robust = robust)
  p <- length(r$names)
  coef <- setNames(r$coef, r$names)
  vmat <- matrix(r$var, p, p, dimnames = list(r$names, r$names))
  fit <- list(coefficients = coef, var = vmat, loglik = r$loglik,
              score = r$score[1], wald.test = r$wald[1], iter = r$iter, n = r$n,
              nevent = r$nevent, means = setNames(r$means, r$names),
              linear.predictors = r$linear_predictors, method = ties,
              concordance = c(concordant = NA, discordant = NA, tied.x = NA, tied.y = NA,
                              tied.xy = NA, concordance = r$concordance[1], std = r$concordance[2]),
              na.action = sk_na_action(nrow(data), r$row_index), call = match.call(),
              formula = formula, warnings = r$warnings)
  if (!is.null(r$naive_var)) {
    fit$naive.var <- matrix(r$naive_var, p, p, dimnames = list(r$names, r$names))
    fit$rscore <- r$rscore[1]
  }
  for (w in r$warnings) warning(w, call. = FALSE)
  class(fit) <- c("sk_coxph", "coxph")
  fit
}

#' Kaplan-Meier curves: survival::survfit(formula, data, conf.type =, conf.int =) by libsurvkit.
sk_survfit <- function(formula, data, weights = NULL, conf.type = "log", conf.int = 0.95, ...) {
  r <- sk_call(1L, formula, data, weights = weights, conf.type = conf.type, conf.int = conf.int)
  fit <- list(n = r$records, time = r$time, n.risk = r$n.risk, n.event = r$n.event,
              n.censor = r$n.censor, surv = r$surv, std.err = r$std.err, cumhaz = r$cumhaz,
              std.chaz = r$std.chaz, type = "right", logse = TRUE, conf.int = conf.int,
              conf.type = conf.type, lower = r$lower, upper = r$upper, call = match.call())
  if (conf.type == "none") fit$lower <- fit$upper <- NULL
  if (length(r$labels) > 1 || r$labels != "all") fit$strata <- setNames(r$strata, r$labels)
  if (r$n_dropped > 0) fit$na.action <- structure(seq_len(r$n_dropped), class = "omit")
  class(fit) <- c("sk_survfit", "survfit")
  fit
}

#' Log-rank (G-rho) test: survival::survdiff(formula, data, rho =) by libsurvkit. obs and exp are
#' summed over strata (print(survdiff) shows the same sums).
sk_survdiff <- function(formula, data, rho = 0, ...) {
  r <- sk_call(2L, formula, data, rho = rho)
  k <- length(r$labels)
  fit <- list(n = table(factor(rep(r$labels, r$n), levels = r$labels), dnn = NULL),
              obs = r$obs, exp = r$exp,
              var = matrix(r$var, k, k), chisq = r$chisq, pvalue = r$pvalue, call = match.call())
  if (r$n_dropped > 0) fit$na.action <- structure(seq_len(r$n_dropped), class = "omit")
  class(fit) <- c("sk_survdiff", "survdiff")
  fit
}
