# diag_cases.R: what make_golden_diag.R and make_golden_frailty_diag.R share, sourced by both: the
# fit of one case from a committed dataset (its coxph call kept for the golden file's header), the
# keys that let a test rebuild that fit, and the cox.zph and residuals cases written in the same
# layout. `out_dir` is the folder of golden files: by default the calling script's diag_out_dir.

ds <- function(name) read.csv(file.path("datasets", paste0(name, ".csv")))

# The fit of one case; `weights` names a column of the dataset (or NULL). naive: add
# robust = FALSE (R's default with weights that are not integers is a robust variance, which R
# cannot compute for a frailty model).
fit_case <- function(data, formula, ties, weights, naive = FALSE) {
  env <- list2env(list(d = data), parent = globalenv())
  call <- if (is.null(weights))
    sprintf("coxph(%s, data = d, ties = '%s')", formula, ties)
  else sprintf("coxph(%s, data = d, ties = '%s', weights = %s%s)", formula, ties, weights,
               if (naive) ", robust = FALSE" else "")
  list(fit = eval(parse(text = call), envir = env), call = call)
}

inputs <- function(dataset, formula, ties, weights)
  list(dataset = dataset, formula = formula, ties = ties,
       weights = if (is.null(weights)) character() else weights)

# cox.zph of one fit, one file per transform; with_text adds R's printed table.
zph_case <- function(name, dataset, formula, ties = "efron", weights = NULL,
                     transforms = c("km", "rank", "identity", "log"), with_text = TRUE,
                     out_dir = diag_out_dir) {
  f <- fit_case(ds(dataset), formula, ties, weights)
  for (tr in transforms) {
    z <- cox.zph(f$fit, transform = tr)
    vals <- c(inputs(dataset, formula, ties, weights), list(
      transform = tr, names = rownames(z$table),
      chisq = unname(z$table[, "chisq"]), df = unname(z$table[, "df"]),
      p = unname(z$table[, "p"]),
      time = unname(z$time), x = unname(z$x), y = as.vector(unname(z$y)),
      var = as.vector(z$var),
      strata = if (is.null(z$strata)) character() else as.character(z$strata)))
    if (with_text) vals$text <- capture.output(print(z))
    golden_write(file.path(out_dir, sprintf("zph_%s_%s.txt", name, tr)), vals,
                 calls = c(f$call, sprintf("cox.zph(fit, transform = '%s')", tr)))
  }
}

# residuals.coxph of one fit, one file per type. `collapse` names a column of the dataset (R's
# collapse = that column over the rows the fit used). row_names: R's names (data row numbers,
# group values, or event times for the Schoenfeld types).
resid_case <- function(name, dataset, formula, types, ties = "efron", weights = NULL,
                       collapse = NULL, naive = FALSE, out_dir = diag_out_dir) {
  d <- ds(dataset)
  f <- fit_case(d, formula, ties, weights, naive)
  used <- if (is.null(collapse)) NULL else as.integer(rownames(model.frame(f$fit)))
  for (type in types) {
    call <- if (is.null(collapse)) sprintf("residuals(fit, type = '%s')", type)
            else sprintf("residuals(fit, type = '%s', collapse = d$%s[used])", type, collapse)
    r <- if (is.null(collapse)) residuals(f$fit, type = type)
         else residuals(f$fit, type = type, collapse = d[[collapse]][used])
    m <- as.matrix(r)
    if (type %in% c("martingale", "deviance") && is.null(dim(r))) m <- matrix(r, ncol = 1)
    rn <- if (is.matrix(r)) rownames(r) else names(r)
    vals <- c(inputs(dataset, formula, ties, weights), list(
      type = type, collapse = if (is.null(collapse)) character() else collapse,
      rows_out = nrow(m), cols_out = ncol(m), values = as.vector(unname(m)),
      row_names = rn))
    golden_write(file.path(out_dir, sprintf("resid_%s_%s.txt", name, type)), vals,
                 calls = c(f$call, call))
  }
}
