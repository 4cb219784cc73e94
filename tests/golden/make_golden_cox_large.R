# make_golden_cox_large.R: expected values for Cox fits large enough to take survkit's large-data
# paths (rows split over two threads, 0/1 columns read as bytes, event slots on two threads), from
# R's survival::coxph. Sourced by tests/golden/make_golden.R (run from the repository root); writes
# tests/golden/cox_large/<case>.txt with results only: the inputs are rebuilt by the C test from
# datasets/lung.csv in the same way (every row repeated 500 times, copy k = 0..499 after copy k - 1).
dir.create("tests/golden/cox_large", showWarnings = FALSE, recursive = TRUE)

lung <- read.csv(file.path("datasets", "lung.csv"))
copies <- 500
big <- lung[rep(seq_len(nrow(lung)), times = copies), ]
copy <- rep(seq_len(copies) - 1, each = nrow(lung))

large_case <- function(name, call_text, data) {
  fit <- eval(parse(text = call_text), envir = list2env(list(big = data), parent = globalenv()))
  golden_write(file.path("tests/golden/cox_large", paste0(name, ".txt")),
               list(n = fit$n, coef = unname(coef(fit)), se = unname(sqrt(diag(vcov(fit)))),
                    loglik = fit$loglik, iter = fit$iter,
                    concordance = unname(fit$concordance["concordance"]),
                    concordance_se = unname(fit$concordance["std"])),
               c("lung <- read.csv('datasets/lung.csv'); big <- lung[rep(seq_len(nrow(lung)), times = 500), ]",
                 call_text))
}

# Integer days: 500 tied copies of every time (Efron's tied sets of up to 500 deaths).
large_case("lung_x500", "coxph(Surv(time, status) ~ age + factor(sex), data = big)", big)

# Copy k shifted by k / 1000 days: about 70,000 distinct event times, each with its own deaths.
shifted <- big
shifted$time <- shifted$time + copy / 1000
large_case("lung_x500_shifted", "coxph(Surv(time, status) ~ age + factor(sex), data = big)", shifted)

# Seven 0/1 columns (indicators of sex, of age thresholds and of an even age) beside age:
# survkit sums the 0/1 columns of a large fit with integer times through their patterns, four
# columns at a time (two groups here, the second of three).
large_case("lung_x500_indicators",
           paste("coxph(Surv(time, status) ~ age + I(sex == 2) + I(age >= 50) + I(age >= 60) +",
                 "I(age >= 65) + I(age >= 70) + I(age >= 75) +",
                 "I(age %% 2 == 0), data = big)"),
           big)

# The same seven 0/1 columns alone: no column goes through the SYRK, the information comes wholly
# from the joint patterns.
large_case("lung_x500_indicators_only",
           paste("coxph(Surv(time, status) ~ I(sex == 2) + I(age >= 50) + I(age >= 60) +",
                 "I(age >= 65) + I(age >= 70) + I(age >= 75) + I(age %% 2 == 0), data = big)"),
           big)

# Six of those 0/1 columns beside age with case weights 1, 2, 3 in turn and strata by age >= 65:
# the patterns' sums with weights and with a sentinel slot per stratum.
big_w <- big
big_w$w <- rep(1:3, length.out = nrow(big_w))
large_case("lung_x500_indicators_weighted_strata",
           paste("coxph(Surv(time, status) ~ age + I(sex == 2) + I(age >= 50) + I(age >= 60) +",
                 "I(age >= 70) + I(age >= 75) + I(age %% 2 == 0) + strata(age >= 65),",
                 "weights = rep(1:3, length.out = nrow(big)), data = big)"),
           big_w)
