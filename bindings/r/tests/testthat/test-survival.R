# Each survkit fit against survival's own fit of the same data (same call, survival's function).
library(survival)
root <- Sys.getenv("SURVKIT_SOURCE", "../../../..")
reun <- read.csv(file.path(root, "datasets", "reunification.csv"))
messy <- reun
messy$age[seq(1, nrow(messy), by = 17)] <- NA
messy$sex[seq(1, nrow(messy), by = 23)] <- NA
messy$reason <- factor(messy$reason)
rownames(messy) <- paste0("r", rev(seq_len(nrow(messy))))
tol <- 1e-9
full <- Surv(days, breakdown) ~ age + sex + prior_failed + unplanned + substance + reason +
  support + strata(la) + cluster(family_id)

# print(fit) without its Call: lines (everything after the first blank line).
strip <- function(x) {
  out <- capture.output(print(x))
  out[-seq_len(which(out == "")[1])]
}

expect_cox_equal <- function(a, b) {
  expect_equal(coef(a), coef(b), tolerance = tol)
  expect_equal(vcov(a), vcov(b), tolerance = tol)
  expect_equal(a$loglik, b$loglik, tolerance = tol)
  expect_equal(a$n, b$n)
  expect_equal(a$nevent, b$nevent)
  expect_equal(unname(a$score), unname(b$score), tolerance = tol)
  expect_equal(unname(a$wald.test), unname(b$wald.test), tolerance = tol)
  expect_equal(unname(a$concordance[c("concordance", "std")]),
               unname(b$concordance[c("concordance", "std")]), tolerance = tol)
  expect_equal(length(a$na.action), length(b$na.action))
  sa <- summary(a); sb <- summary(b)
  expect_equal(sa$coefficients, sb$coefficients, tolerance = tol)
  expect_equal(sa$conf.int, sb$conf.int, tolerance = tol)
  expect_equal(sa$logtest, sb$logtest, tolerance = tol)
  # print shows the same table (the call line differs).
  expect_equal(strip(a), strip(b))
}

test_that("sk_coxph equals coxph: strata, cluster, Efron", {
  expect_cox_equal(sk_coxph(full, data = reun), coxph(full, data = reun))
})

test_that("sk_coxph equals coxph: Breslow; missing values, a factor, row names", {
  f <- Surv(days, breakdown) ~ age + sex + prior_failed + support
  expect_cox_equal(sk_coxph(f, reun, ties = "breslow"), coxph(f, reun, ties = "breslow"))
  f <- Surv(days, breakdown) ~ age + sex + reason + support + strata(la)
  expect_cox_equal(sk_coxph(f, messy), coxph(f, messy))
})

test_that("a factor keeps its level order (reference level), unused levels too", {
  d <- messy
  d$reason <- factor(d$reason, levels = rev(levels(d$reason)))
  f <- Surv(days, breakdown) ~ age + reason + support
  expect_cox_equal(sk_coxph(f, d), coxph(f, d))
})

test_that("sk_survfit equals survfit", {
  for (ct in c("log", "log-log", "plain")) {
    a <- sk_survfit(Surv(days, breakdown) ~ support, reun, conf.type = ct)
    b <- survfit(Surv(days, breakdown) ~ support, reun, conf.type = ct)
    for (k in c("time", "n.risk", "n.event", "n.censor", "surv", "std.err", "lower", "upper",
                "cumhaz", "std.chaz", "strata", "n"))
      expect_equal(unclass(a[[k]]), unclass(b[[k]]), tolerance = tol, info = paste(ct, k))
    expect_equal(summary(a)$table, summary(b)$table, tolerance = tol)
    expect_equal(strip(a), strip(b))
  }
  a <- sk_survfit(Surv(days, breakdown) ~ sex, messy)
  b <- survfit(Surv(days, breakdown) ~ sex, messy)
  expect_equal(a$surv, b$surv, tolerance = tol)
  expect_equal(unclass(a$strata), unclass(b$strata))
})

test_that("sk_survdiff equals survdiff", {
  a <- sk_survdiff(Surv(days, breakdown) ~ support, reun)
  b <- survdiff(Surv(days, breakdown) ~ support, reun)
  expect_equal(a$obs, b$obs, tolerance = tol)
  expect_equal(a$exp, b$exp, tolerance = tol)
  expect_equal(unname(a$var), unname(b$var), tolerance = tol)
  expect_equal(a$chisq, b$chisq, tolerance = tol)
  expect_equal(a$pvalue, b$pvalue, tolerance = tol)
  expect_equal(strip(a), strip(b))
  a <- sk_survdiff(Surv(days, breakdown) ~ reason + strata(support), messy, rho = 1)
  b <- survdiff(Surv(days, breakdown) ~ reason + strata(support), messy, rho = 1)
  expect_equal(a$obs, rowSums(b$obs), tolerance = tol)
  expect_equal(a$exp, rowSums(b$exp), tolerance = tol)
  expect_equal(a$chisq, b$chisq, tolerance = tol)
})

test_that("bad formulas are R errors with the caret message", {
  expect_error(sk_coxph("Surv(days, breakdown) ~ age +", reun),
               "at character 30: unexpected end of formula\n  Surv\\(days, breakdown\\) ~ age \\+\n {31}\\^")
  expect_error(sk_coxph(Surv(days, breakdown) ~ agee, reun), "no column named 'agee'")
  expect_error(sk_survfit("Surv(days, breakdown ~ support", reun), "formula")
})
