# make_golden_bindings.R: expected values for the Python and R bindings (bindings/*/tests), from R's
# survival. Sourced by tests/golden/make_golden.R (run from the repository root); writes
# tests/golden/bindings/<case>.txt. Data: datasets/reunification.csv (read.csv), and a "messy" copy
# made by a rule the Python test repeats exactly: age missing in rows 1, 18, 35, ... (every 17th,
# 1-based), sex missing in rows 1, 24, 47, ... (every 23rd), reason a factor.
dir.create("tests/golden/bindings", showWarnings = FALSE, recursive = TRUE)
reun <- read.csv("datasets/reunification.csv")
messy <- reun
messy$age[seq(1, nrow(messy), by = 17)] <- NA
messy$sex[seq(1, nrow(messy), by = 23)] <- NA
messy$reason <- factor(messy$reason)
# reason's levels reversed (reference "parental_illness"): a factor's own order is kept.
messy_rev <- messy
messy_rev$reason <- factor(messy$reason, levels = rev(levels(messy$reason)))

full <- "Surv(days, breakdown) ~ age + sex + prior_failed + unplanned + substance + reason + support + strata(la) + cluster(family_id)"

cox_values <- function(fit) {
  s <- summary(fit)
  list(names = names(coef(fit)), coef = unname(coef(fit)), se = unname(sqrt(diag(fit$var))),
       robust_se = if (is.null(fit$naive.var)) numeric() else unname(sqrt(diag(fit$var))),
       naive_se = if (is.null(fit$naive.var)) unname(sqrt(diag(fit$var))) else unname(sqrt(diag(fit$naive.var))),
       var = as.vector(fit$var), loglik = fit$loglik, n = fit$n, nevent = fit$nevent,
       n_dropped = length(fit$na.action),
       concordance = unname(fit$concordance[c("concordance", "std")]),
       lower = unname(s$conf.int[, 3]), upper = unname(s$conf.int[, 4]),
       z = unname(s$coefficients[, "z"]), p = unname(s$coefficients[, ncol(s$coefficients)]),
       logtest = unname(s$logtest), sctest = unname(s$sctest), wald = unname(fit$wald.test),
       iter = fit$iter)
}

cases <- list(
  cox_full_efron = sprintf("coxph(%s, data = reun)", full),
  cox_breslow = "coxph(Surv(days, breakdown) ~ age + sex + prior_failed + support, data = reun, ties = 'breslow')",
  cox_messy = "coxph(Surv(days, breakdown) ~ age + sex + reason + support + strata(la), data = messy)",
  cox_messy_rev = "coxph(Surv(days, breakdown) ~ age + reason + support, data = messy_rev)")
for (name in names(cases)) {
  fit <- eval(parse(text = cases[[name]]))
  golden_write(file.path("tests/golden/bindings", paste0(name, ".txt")), cox_values(fit),
               c(cases[[name]], "summary() of it; se from diag(fit$var), naive from fit$naive.var"))
}

km_case <- function(name, call_text) {
  fit <- eval(parse(text = call_text))
  tab <- summary(fit)$table
  strata <- rep(names(fit$strata), fit$strata)
  golden_write(file.path("tests/golden/bindings", paste0(name, ".txt")),
               list(strata = strata, time = fit$time, n_risk = fit$n.risk, n_event = fit$n.event,
                    n_censor = fit$n.censor, surv = fit$surv, std_err = fit$std.err,
                    lower = fit$lower, upper = fit$upper, cumhaz = fit$cumhaz,
                    std_chaz = fit$std.chaz, records = unname(tab[, "records"]),
                    events = unname(tab[, "events"]), median = unname(tab[, "median"]),
                    n_dropped = length(fit$na.action)),
               c(call_text, "summary(fit)$table"))
}
km_case("km_support", "survfit(Surv(days, breakdown) ~ support, data = reun)")
km_case("km_messy_sex", "survfit(Surv(days, breakdown) ~ sex, data = messy, conf.type = 'log-log')")

lr_case <- function(name, call_text) {
  fit <- eval(parse(text = call_text))
  golden_write(file.path("tests/golden/bindings", paste0(name, ".txt")),
               list(labels = names(fit$n), n = as.vector(fit$n), obs = if (is.matrix(fit$obs)) rowSums(fit$obs) else fit$obs,
                    exp = if (is.matrix(fit$exp)) rowSums(fit$exp) else fit$exp,
                    var = as.vector(fit$var), chisq = fit$chisq, p = fit$pvalue),
               call_text)
}
lr_case("lr_support", "survdiff(Surv(days, breakdown) ~ support, data = reun)")
lr_case("lr_messy_reason_strata", "survdiff(Surv(days, breakdown) ~ reason + strata(support), data = messy, rho = 1)")
