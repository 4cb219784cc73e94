# make_golden_robust.R: expected values for the edge cases of tests/cli/test_errors.sh, data that
# R's classic datasets do not contain (zero weights, a group without events, negative and infinite
# values, one group). Each case's CSV text is written into its golden file (key `csv`, one line per
# field) so the shell test runs survkit on exactly the rows R read here with read.csv.
# Keys: csv, command (km | logrank), formula, weights (optional); km: the survfit curve columns
# (all strata in order) and the print(fit) table's median columns; logrank: survdiff's obs, exp,
# chisq, df (print's: number of groups with exp > 0, minus 1) and p.
# Run through tests/golden/make_golden.R.
out_dir <- "tests/golden/robust"
dir.create(out_dir, showWarnings = FALSE, recursive = TRUE)

km_case <- function(name, csv, formula, weights = NULL) {
  d <- read.csv(text = paste(csv, collapse = "\n"))
  call <- if (is.null(weights)) sprintf("survfit(%s, d)", formula)
          else sprintf("survfit(%s, d, weights = %s)", formula, weights)
  fit <- eval(parse(text = call))
  tab <- summary(fit)$table
  if (is.null(dim(tab))) tab <- t(as.matrix(tab))
  vals <- list(csv = csv, command = "km", formula = formula)
  if (!is.null(weights)) vals$weights <- weights
  vals <- c(vals, list(
    strata = if (is.null(fit$strata)) "all" else names(fit$strata),
    time = fit$time, n_risk = fit$n.risk, n_event = fit$n.event, n_censor = fit$n.censor,
    surv = fit$surv, std_err = fit$std.err, lower = fit$lower, upper = fit$upper,
    cumhaz = fit$cumhaz, std_chaz = fit$std.chaz,
    median = unname(tab[, "median"]), median_lower = unname(tab[, "0.95LCL"]),
    median_upper = unname(tab[, "0.95UCL"])))
  golden_write(file.path(out_dir, paste0(name, ".txt")), vals,
               c(sprintf("d <- read.csv(text = <csv below>); fit <- %s; summary(fit)$table", call)))
}

logrank_case <- function(name, csv, formula) {
  d <- read.csv(text = paste(csv, collapse = "\n"))
  call <- sprintf("survdiff(%s, d)", formula)
  s <- suppressWarnings(eval(parse(text = call)))
  df <- sum(s$exp > 0) - 1 # print.survdiff's degrees of freedom
  golden_write(file.path(out_dir, paste0(name, ".txt")),
               list(csv = csv, command = "logrank", formula = formula, observed = s$obs,
                    expected = s$exp, chisq = s$chisq, df = df,
                    p = suppressWarnings(pchisq(s$chisq, df, lower.tail = FALSE))),
               c(sprintf("d <- read.csv(text = <csv below>); s <- %s; pchisq(s$chisq, sum(s$exp > 0) - 1, lower.tail = FALSE)", call)))
}

header <- "time,status,g,x,w"
km_case("km_zero_weight", c(header, "1,1,a,0.5,1", "2,0,b,1.5,0", "3,1,a,2,1", "4,1,b,3,1", "5,0,b,3,0"),
        "Surv(time, status) ~ g", weights = "w")
km_case("km_negative_times", c(header, "-3,1,a,0.5,1", "1,1,a,1.5,1", "-0.5,0,b,2,1", "4,1,b,3,1", "2,1,b,3,1"),
        "Surv(time, status) ~ g")
km_case("km_one_level", c(header, "1,1,a,0.5,1", "2,0,a,1.5,1", "3,1,a,2,1", "4,0,a,3,1"),
        "Surv(time, status) ~ g")
km_case("km_infinite_group", c(header, "1,1,a,0.5,1", "2,0,b,1.5,1", "3,1,a,inf,1", "4,1,b,3,1", "5,1,a,Inf,1"),
        "Surv(time, status) ~ x")
km_case("km_group_without_events", c(header, "1,1,a,0.5,1", "2,0,b,1.5,1", "3,1,a,2,1", "4,0,b,3,1", "6,1,a,1,1"),
        "Surv(time, status) ~ g")
km_case("km_missing_dropped", c(header, "1,1,a,0.5,1", "NA,0,b,1.5,1", "3,1,a,2,1", "4,NA,b,3,1", "6,1,b,1,1", "7,0,a,1,1"),
        "Surv(time, status) ~ g")
logrank_case("logrank_group_without_events", c(header, "1,1,a,0.5,1", "2,0,b,1.5,1", "3,1,a,2,1", "4,0,b,3,1", "6,1,a,1,1"),
             "Surv(time, status) ~ g")
logrank_case("logrank_no_events", c(header, "1,0,a,0.5,1", "2,0,b,1.5,1", "3,0,a,2,1"),
             "Surv(time, status) ~ g")
logrank_case("logrank_infinite_group", c(header, "1,1,a,0.5,1", "2,0,b,1.5,1", "3,1,a,inf,1", "4,1,b,3,1", "5,1,a,Inf,1"),
             "Surv(time, status) ~ g + x")
