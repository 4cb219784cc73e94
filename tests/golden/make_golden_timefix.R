# make_golden_timefix.R: R's timefix (aeqSurv), which coxph, survfit and survdiff apply by default:
# times that differ by no more than sqrt(.Machine$double.eps), absolutely or relative to the mean of
# the distinct times, are one time. Sourced by tests/golden/make_golden.R (run from the repository
# root); writes tests/golden/timefix/<case>.txt.
dir.create("tests/golden/timefix", showWarnings = FALSE, recursive = TRUE)

# aeqSurv on vectors built from exact decimal constants (survkit's test builds the same doubles).
small <- c(1, 1 + 1e-10, 2, 2 + 1e-8, 2 + 2e-8, 3, 3 + 5e-8, 5.5, 5.5 - 1e-12, 10)
small_status <- rep(c(1, 0), length.out = length(small))
seconds <- 1.7e9 + c(0, 10, 20, 30, 60, 100, 130)
seconds_status <- rep(1, length(seconds))
start <- c(0, 1, 1 + 1e-11, 2, 0)
stop <- c(1 + 1e-10, 2, 3, 4 - 1e-9, 4)
counting_status <- c(1, 0, 1, 1, 0)
golden_write("tests/golden/timefix/aeqsurv.txt",
             list(small = small, small_fixed = unname(aeqSurv(Surv(small, small_status))[, 1]),
                  seconds = seconds,
                  seconds_fixed = unname(aeqSurv(Surv(seconds, seconds_status))[, 1]),
                  start = start, stop = stop,
                  start_fixed = unname(aeqSurv(Surv(start, stop, counting_status))[, 1]),
                  stop_fixed = unname(aeqSurv(Surv(start, stop, counting_status))[, 2]),
                  empty_interval_error = tryCatch(aeqSurv(Surv(c(1, 1 + 1e-12), c(2, 1 + 2e-12), c(1, 1))),
                                                  error = function(e) conditionMessage(e))),
             c("small <- c(1, 1 + 1e-10, 2, 2 + 1e-8, 2 + 2e-8, 3, 3 + 5e-8, 5.5, 5.5 - 1e-12, 10)",
               "aeqSurv(Surv(small, rep(c(1, 0), length.out = 10)))[, 1]",
               "seconds <- 1.7e9 + c(0, 10, 20, 30, 60, 100, 130); aeqSurv(Surv(seconds, rep(1, 7)))[, 1]",
               "aeqSurv(Surv(c(0, 1, 1 + 1e-11, 2, 0), c(1 + 1e-10, 2, 3, 4 - 1e-9, 4), c(1, 0, 1, 1, 0)))",
               "aeqSurv(Surv(c(1, 1 + 1e-12), c(2, 1 + 2e-12), c(1, 1)))"))

# lung's days with every third row moved by 1e-10 and the next by 2e-10: with timefix the fits are
# those of the days themselves, without it the ties split.
lung <- read.csv(file.path("datasets", "lung.csv"))
lung$time <- lung$time + ((seq_len(nrow(lung)) - 1) %% 3) * 1e-10
fit_case <- function(name, timefix) {
  fit <- coxph(Surv(time, status) ~ age + sex, data = lung,
               control = coxph.control(timefix = timefix))
  km <- survfit(Surv(time, status) ~ 1, data = lung, timefix = timefix)
  golden_write(file.path("tests/golden/timefix", paste0(name, ".txt")),
               list(coef = unname(coef(fit)), se = unname(sqrt(diag(vcov(fit)))),
                    loglik = fit$loglik, km_time = km$time, km_surv = km$surv),
               c("lung <- read.csv('datasets/lung.csv'); lung$time <- lung$time + ((seq_len(nrow(lung)) - 1) %% 3) * 1e-10",
                 sprintf("coxph(Surv(time, status) ~ age + sex, data = lung, control = coxph.control(timefix = %s))", timefix),
                 sprintf("survfit(Surv(time, status) ~ 1, data = lung, timefix = %s)", timefix)))
}
fit_case("lung_jitter", TRUE)
fit_case("lung_jitter_no_timefix", FALSE)
