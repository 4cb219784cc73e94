# make_golden_readers.R: expected values for the SPSS, Stata and SAS readers and the compressed CSV
# readers (tests/golden/readers/). Sourced by make_golden.R from the repository root. Inputs are the
# committed fixtures in tests/data/readers/ (written by tests/data/readers/make_readers_data.R and,
# for the SPSS portable file haven cannot write, make_por.py), read
# with haven as an R user would: value-labelled columns become factors by haven::as_factor with the
# labels no row uses dropped (droplevels), dates and date-times numbers (days and seconds since
# 1970-01-01, as.numeric of R's Date and POSIXct). Each file holds the columns as R sees them and the
# fits of coxph and survfit on them.
suppressPackageStartupMessages(library(haven))
dir.create("tests/golden/readers", showWarnings = FALSE)
as_r <- function(d) {
  d <- as.data.frame(lapply(d, function(x) {
    if (is.labelled(x)) return(droplevels(as_factor(x)))
    if (inherits(x, "Date") || inherits(x, "POSIXct")) return(as.numeric(x))
    zap_labels(x)
  }), stringsAsFactors = FALSE)
  d
}
cox_formula <- Surv(time, status) ~ age + sex + ecog + wt_loss + site
km_formula <- Surv(I(exit - entry), status) ~ sex
kmdt_formula <- Surv(I((exit_dt - entry_dt) / 86400), status) ~ ecog

readers_golden <- function(name, read_call) {
  raw <- eval(parse(text = read_call))
  d <- as_r(raw)
  values <- list(n_rows = nrow(d), names = names(d),
                 label = sapply(raw, function(x) { l <- attr(x, "label", exact = TRUE)
                                                   if (is.null(l)) NA_character_ else l }),
                 class = sapply(d, function(x) class(x)[1]),
                 missing = sapply(d, function(x) sum(is.na(x))))
  for (col in names(d)) {
    x <- d[[col]]
    if (is.factor(x)) {
      values[[paste0(col, "@levels")]] <- levels(x)
      values[[paste0(col, "@codes")]] <- ifelse(is.na(x), -1L, as.integer(x) - 1L)
    } else if (is.numeric(x)) {
      values[[paste0(col, "@values")]] <- x
    }
  }
  dt <- if ("entry_dt" %in% names(d)) kmdt_formula else
        Surv(I((exitdt - entrydt) / 86400), status) ~ ecog
  fit <- coxph(cox_formula, data = d)
  values$cox_names <- names(coef(fit))
  values$cox_coef <- unname(coef(fit))
  values$cox_var <- fit$var
  values$cox_loglik <- fit$loglik
  values$cox_n <- fit$n
  km <- survfit(km_formula, data = d)
  values$km_strata <- names(km$strata)
  values$km_strata_n <- unname(km$strata)
  values$km_time <- km$time
  values$km_surv <- km$surv
  values$km_std_err <- km$std.err
  kmdt <- survfit(dt, data = d)
  values$kmdt_strata <- names(kmdt$strata)
  values$kmdt_time <- kmdt$time
  values$kmdt_surv <- kmdt$surv
  golden_write(file.path("tests/golden/readers", paste0(name, ".txt")), values,
               c(paste0("d <- as_r(", read_call, ")  # as_r: droplevels(as_factor(x)) of a labelled column, as.numeric of a Date or POSIXct"),
                 paste("fit <- coxph(", deparse(cox_formula), ", data = d)"),
                 paste("km <- survfit(", deparse(km_formula), ", data = d)"),
                 paste("kmdt <- survfit(", paste(deparse(dt), collapse = ""), ", data = d)")))
  # what `survkit convert` must write, byte for byte: write.csv(d, row.names = FALSE)
  write.csv(d, file.path("tests/golden/readers", paste0("convert_", name, ".csv")), row.names = FALSE)
}
dir <- "tests/data/readers"
readers_golden("sav", sprintf('read_sav("%s/lung.sav")', dir))
readers_golden("zsav", sprintf('read_sav("%s/lung.zsav")', dir))
readers_golden("por", sprintf('read_por("%s/lung.por")', dir))
readers_golden("dta", sprintf('read_dta("%s/lung.dta")', dir))
for (v in c(8, 11, 13, 15))
  readers_golden(sprintf("dta_v%d", v), sprintf('read_dta("%s/lung_v%d.dta")', dir, v))
readers_golden("xpt", sprintf('read_xpt("%s/lung.xpt")', dir))
readers_golden("xpt_v8", sprintf('read_xpt("%s/lung_v8.xpt")', dir))
readers_golden("sas7bdat", sprintf('read_sas("%s/lung.sas7bdat")', dir))

# Compressed CSV: coxph and survfit on lung as read.csv reads the compressed file itself.
csv_golden <- function(name, read_call) {
  d <- eval(parse(text = read_call))
  fit <- coxph(Surv(time, status) ~ age + sex + ph.ecog + wt.loss, data = d)
  km <- survfit(Surv(time, status) ~ sex, data = d)
  golden_write(file.path("tests/golden/readers", paste0(name, ".txt")),
               list(n_rows = nrow(d), names = names(d), cox_names = names(coef(fit)),
                    cox_coef = unname(coef(fit)), cox_var = fit$var, cox_loglik = fit$loglik,
                    km_strata = names(km$strata), km_time = km$time, km_surv = km$surv,
                    km_std_err = km$std.err),
               c(paste("d <-", read_call),
                 "fit <- coxph(Surv(time, status) ~ age + sex + ph.ecog + wt.loss, data = d)",
                 "km <- survfit(Surv(time, status) ~ sex, data = d)"))
}
csv_golden("csv_gz", sprintf('read.csv(gzfile("%s/lung.csv.gz"))', dir))
csv_golden("tsv_gz", sprintf('read.delim(gzfile("%s/lung.tsv.gz"))', dir))
csv_golden("csv_zst", sprintf('read.csv(pipe("zstd -dc %s/lung.csv.zst"))', dir))
