# make_golden_care.R: the care-episodes cohort (datasets/care_*.csv, by make_care_episodes.R) through
# R's tmerge and coxph: the (tstart, tstop] file survkit tmerge must reproduce byte for byte
# (tests/golden/care/care_tm.csv) and the Cox fits on it that survkit cox must reproduce
# (tests/golden/care/<fit>.txt: coef, se, robust_se, loglik, n, nevent). Sourced by
# tests/golden/make_golden.R (run from the repository root).
suppressPackageStartupMessages(library(survival))
source("tests/golden/golden_io.R")
dir.create("tests/golden/care", showWarnings = FALSE, recursive = TRUE)
rd <- function(name) read.csv(file.path("datasets", name), na.strings = c("NA", ""))
base <- rd("care_children.csv")
moves <- rd("care_moves.csv")
services <- rd("care_services.csv")
breakdowns <- rd("care_breakdowns.csv")
permanence <- rd("care_permanence.csv")
tm_call <- paste(
  "tm <- tmerge(base, base, id = child_id, tstop = futime)",
  "tm <- tmerge(tm, moves, id = child_id, home = tdc(day, home))",
  "tm <- tmerge(tm, moves, id = child_id, prior = tdc(day, prior_breakdowns))",
  "tm <- tmerge(tm, services, id = child_id, services = tdc(day, services))",
  "tm <- tmerge(tm, breakdowns, id = child_id, breakdown = event(day))",
  "tm <- tmerge(tm, breakdowns, id = child_id, n_breakdowns = cumevent(day))",
  "tm <- tmerge(tm, permanence, id = child_id, perm = event(day))", sep = "; ")
eval(parse(text = tm_call))
write.csv(as.data.frame(tm), "tests/golden/care/care_tm.csv", row.names = FALSE)
tm <- read.csv("tests/golden/care/care_tm.csv")   # the fits read the file, as survkit does

fit_golden <- function(name, fit, call) {
  s <- summary(fit)$coefficients
  robust <- if ("robust se" %in% colnames(s)) s[, "robust se"] else rep(NA, nrow(s))
  golden_write(file.path("tests/golden/care", paste0(name, ".txt")),
               list(names = names(coef(fit)), coef = unname(coef(fit)), se = unname(s[, "se(coef)"]),
                    robust_se = unname(robust), loglik = fit$loglik, n = fit$n, nevent = fit$nevent),
               c(tm_call, call))
}
# The time-dependent exposure: at home (tdc) against permanence (adoption, special guardianship).
f <- coxph(Surv(tstart, tstop, perm) ~ home + age_entry + reason + cluster(child_id), data = tm)
fit_golden("home_tdc", f, "coxph(Surv(tstart, tstop, perm) ~ home + age_entry + reason + cluster(child_id), data = tm)")
# The immortal-time mistake: 'ever went home' as a baseline covariate.
b <- read.csv("datasets/care_children.csv")
f <- coxph(Surv(futime, permanent) ~ ever_home + age_entry + reason, data = b)
fit_golden("home_ever", f, "coxph(Surv(futime, permanent) ~ ever_home + age_entry + reason, data = read.csv('datasets/care_children.csv'))")
# Recurrent breakdowns (Andersen-Gill): at risk only at home (strata(home): no event in care).
f <- coxph(Surv(tstart, tstop, breakdown) ~ services + prior + substance + reason + age_entry +
             strata(home) + cluster(child_id), data = tm)
fit_golden("breakdown_ag", f, "coxph(Surv(tstart, tstop, breakdown) ~ services + prior + substance + reason + age_entry + strata(home) + cluster(child_id), data = tm)")
# Landmark at one year: still in follow-up at day 365, time from then, home as it was (tdc).
lm <- subset(tm, tstop > 365)
lm$tstart <- pmax(lm$tstart, 365) - 365
lm$tstop <- lm$tstop - 365
f <- coxph(Surv(tstart, tstop, perm) ~ home + age_entry + cluster(child_id), data = lm)
fit_golden("landmark_365", f, "lm <- subset(tm, tstop > 365); lm$tstart <- pmax(lm$tstart, 365) - 365; lm$tstop <- lm$tstop - 365; coxph(Surv(tstart, tstop, perm) ~ home + age_entry + cluster(child_id), data = lm)")
# Landmark on the base file (right-censored): children still followed at day 365.
lb <- subset(b, futime > 365)
lb$futime <- lb$futime - 365
f <- coxph(Surv(futime, permanent) ~ ever_home + age_entry, data = lb)
fit_golden("landmark_base_365", f, "lb <- subset(b, futime > 365); lb$futime <- lb$futime - 365; coxph(Surv(futime, permanent) ~ ever_home + age_entry, data = lb)")
