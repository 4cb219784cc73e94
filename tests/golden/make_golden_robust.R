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

# Cox models at the edges (coxph): an aliased column, a monotone likelihood, no convergence, no
# events, initial values, covariates of a large scale. Data inline (csv) or a committed dataset.
# Keys: coef (NA = aliased), loglik (null model, fit), iterations (fit$iter), warning (R's first
# warning, "" when none), options (extra survkit arguments mirroring the coxph arguments).
cox_case <- function(name, formula, csv = NULL, dataset = NULL, options = "", ...) {
  d <- if (!is.null(csv)) read.csv(text = paste(csv, collapse = "\n"))
       else read.csv(file.path("datasets", paste0(dataset, ".csv")))
  warning_text <- ""
  fit <- withCallingHandlers(coxph(as.formula(formula), d, ...), warning = function(w) {
    if (warning_text == "") warning_text <<- conditionMessage(w)
    invokeRestart("muffleWarning")
  })
  extra <- list(...)
  args <- if (length(extra)) paste0(", ", paste(names(extra), unlist(extra), sep = " = ", collapse = ", ")) else ""
  source_text <- if (!is.null(csv)) "read.csv(text = <csv below>)" else sprintf("read.csv(\"datasets/%s.csv\")", dataset)
  vals <- list(command = "cox", formula = formula, options = options)
  if (!is.null(csv)) vals$csv <- csv else vals$dataset <- dataset
  vals <- c(vals, list(coef = unname(coef(fit)), loglik = fit$loglik, iterations = fit$iter,
                       warning = warning_text))
  golden_write(file.path(out_dir, paste0(name, ".txt")), vals,
               sprintf("d <- %s; fit <- coxph(%s, d%s); coef(fit); fit$loglik; fit$iter", source_text, formula, args))
}

cox_data <- c("start,time,status,x,x2,g,big", "0,1,1,3,6,a,3000", "0,2,1,1,2,a,1000", "1,3,0,5,10,b,5000",
              "0,4,1,2,4,b,2000", "2,5,1,6,12,a,6000", "0,6,0,4,8,b,4000", "0,7,1,7,14,a,7000",
              "3,8,1,2.5,5,b,2500", "0,9,0,8,16,a,8000", "0,10,1,3.5,7,b,3500")
cox_case("cox_aliased", "Surv(time, status) ~ x + x2", csv = cox_data)
cox_case("cox_counting_large_scale", "Surv(start, time, status) ~ big", csv = cox_data)
cox_case("cox_iter_max", "Surv(time, status) ~ g + x", csv = cox_data, options = "--iter-max 1", iter.max = 1)
cox_case("cox_monotone", "Surv(time, status) ~ I(time > 30) + x", dataset = "aml")
cox_case("cox_not_converged", "Surv(time, status) ~ g + x",
         csv = c("time,status,g,x", "1,1,a,3", "2,1,a,1", "3,0,b,5", "4,1,a,2", "5,0,b,6", "6,0,b,4",
                 "7,1,a,7", "8,0,b,2.5", "9,1,a,8", "10,0,b,3.5"))
cox_case("cox_no_events", "Surv(time, status) ~ x", csv = c("time,status,x", "1,0,6", "2,0,5", "3,0,4"))
cox_case("cox_heart_large_scale", "Surv(start, stop, event) ~ I(age * 100) + transplant", dataset = "heart")
cox_case("cox_init", "Surv(start, stop, event) ~ I(age * 100)", dataset = "heart",
         options = "--init 0.0001", init = 0.0001)
