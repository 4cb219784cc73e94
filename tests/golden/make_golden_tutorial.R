# make_golden_tutorial.R: the R side of docs/tutorial.md. Each `# R:` line of the page is run here,
# and the figures it gives are written to tests/golden/tutorial/figures.tsv, one per line:
#   ANCHOR <tab> ROW <tab> FIELD <tab> VALUE <tab> the R expression
# tests/cli/test_tutorial.sh finds the page's first command block whose text contains ANCHOR, the
# first line of its printed output whose first field (whitespace- or comma-separated) is ROW (the
# k-th such line for ROW#k), and
# checks that field number FIELD equals VALUE to the digits printed (1e-9 relative when all 17 are).
# Sourced by make_golden.R (library(survival) loaded, working directory the repository root).
suppressPackageStartupMessages({ library(survival); library(cmprsk); library(haven) })
out <- "tests/golden/tutorial/figures.tsv"
dir.create(dirname(out), showWarnings = FALSE, recursive = TRUE)
rows <- list()
put <- function(anchor, row, field, value, expr) {
  rows[[length(rows) + 1]] <<- sprintf("%s\t%s\t%d\t%.17g\t%s", anchor, row, field, value, expr)
}

d <- read.csv("datasets/reunification.csv")

# section 1: describe
put("survkit describe datasets", "age", 5, mean(d$age), "mean(d$age)")
put("survkit describe datasets", "months_in_care", 8, sum(is.na(d$months_in_care)), "NA's")

# sections 2 and 3: Kaplan-Meier, log-rank and trend tests
ks <- survfit(Surv(days, breakdown) ~ support, data = d)
sk <- summary(ks, times = c(365, 730, 1826))
put("~ support' --times", "365", 4, sk$surv[1], "summary(survfit(~ support), times = 365)$surv[1]")
put("~ support' --times", "365", 6, sk$lower[1], "its lower limit")
put("~ support' --times", "1826#3", 4, sk$surv[9], "summary(...)$surv, support=some at 1826")
kr <- survfit(Surv(days, breakdown) ~ reason, data = d)
put("~ reason' --plot", "reason=neglect", 4, summary(kr)$table["reason=neglect", "median"], "median")
put("~ reason' --plot", "reason=neglect", 5, summary(kr)$table["reason=neglect", "0.95LCL"], "0.95LCL")
sd <- survdiff(Surv(days, breakdown) ~ support, data = d)
cs <- c(2, 0, 1); u <- sum(cs * (sd$obs - sd$exp)); v <- drop(cs %*% sd$var %*% cs)
put("--trend --scores 2,0,1", "support=intensive", 4, sd$exp[1], "survdiff(~ support)$exp[1]")
put("--trend --scores 2,0,1", "Chisq=", 2, sd$chisq, "survdiff(~ support)$chisq")
put("--trend --scores 2,0,1", "Chisq=#2", 2, u^2 / v, "trend: (sum(c(2,0,1) (O - E)))^2 / c' V c")
sr <- survdiff(Surv(days, breakdown) ~ reason, data = d)
put("survkit logrank -f 'Surv(days, breakdown) ~ reason'", "reason=neglect", 5,
    (sr$obs[3] - sr$exp[3])^2 / sr$exp[3], "(O-E)^2/E, neglect")

# section 4: the Cox model with strata and clusters, and section 5: its zph test
fit <- coxph(Surv(days, breakdown) ~ substance + prior_failed + unplanned + age + sex +
               months_in_care + reason + support + strata(la) + cluster(family_id), data = d)
put("survkit cox -f 'Surv(days, breakdown)", "prior_failed", 2, coef(fit)[["prior_failed"]], "coef(fit)")
put("survkit cox -f 'Surv(days, breakdown)", "prior_failed", 5, sqrt(fit$var[2, 2]), "robust se")
put("survkit cox -f 'Surv(days, breakdown)", "supportnone", 2, coef(fit)[["supportnone"]], "coef(fit)")
z <- cox.zph(fit)
put("survkit zph", "GLOBAL", 2, z$table["GLOBAL", "chisq"], "cox.zph(fit)$table")
put("survkit zph", "prior_failed", 2, z$table["prior_failed", "chisq"], "cox.zph(fit)$table")

# section 6: predictions for three children
m <- coxph(Surv(days, breakdown) ~ substance + age + support + strata(la), data = d)
ndc <- read.csv("examples/children.csv")
for (i in 1:3) {
  sf <- summary(survfit(m, newdata = ndc[i, ]), times = c(365, 1826))
  put("survkit predict", i, 3, predict(m, ndc)[i], "predict(m, nd)")
  put("survkit predict", i, 4, sf$surv[1], "summary(survfit(m, newdata = nd[i, ]), times = 365)$surv")
  put("survkit predict", i, 8, sf$lower[2], "its lower limit at 1826")
}

# section 5: survSplit at 365 days, substance's coefficient per period
s <- survSplit(Surv(days, breakdown) ~ ., data = d, cut = 365, episode = "episode", start = "tstart")
f <- coxph(Surv(tstart, days, breakdown) ~ prior_failed + unplanned + age + reason + support +
             substance:factor(episode) + strata(la) + cluster(family_id), data = s)
for (k in 1:2) {
  nm <- paste0("substance:factor(episode)", k)
  put("--cut 365", nm, 2, coef(f)[[nm]], sprintf("coef(f)[['%s']]", nm))
  put("--cut 365", nm, 5, sqrt(diag(f$var))[names(coef(f)) == nm], "robust se")
}

# section 5: dfbeta collapsed by family, the three largest changes of reasonneglect
r <- residuals(fit, type = "dfbeta", collapse = d$family_id[!is.na(d$months_in_care)])
o <- order(-abs(r[, 8]))[1:3]
for (i in o) {
  fam <- sprintf('"%s"', rownames(r)[i])
  put("--type dfbeta", fam, 3, r[i, 2], "residuals(fit, 'dfbeta', collapse = family_id)[, 2]")
  put("--type dfbeta", fam, 4, r[i, 8], "residuals(fit, 'dfbeta', collapse = family_id)[, 8]")
}

# section 7: Weibull models and predictions
w0 <- survreg(Surv(days, breakdown) ~ 1, data = d)
put("~ 1' --plot", "(Intercept)", 2, coef(w0)[[1]], "coef(w0)")
put("~ 1' --plot", "Log(scale)", 2, log(w0$scale), "log(w0$scale)")
w <- survreg(Surv(days, breakdown) ~ substance + age + support, data = d)
put("support' datasets/reunification.csv", "substance", 2, coef(w)[["substance"]], "coef(w)")
put("support' datasets/reunification.csv", "substance", 3, sqrt(vcov(w)["substance", "substance"]), "se")
nd <- read.csv("examples/children.csv")
q <- predict(w, nd, type = "quantile", p = c(0.1, 0.25), se.fit = TRUE)
lp <- predict(w, nd, type = "lp")
for (i in 1:3) {
  put("--p 0.1,0.25", i, 2, q$fit[i, 1], "predict(w, nd, type = 'quantile', p = 0.1)")
  put("--p 0.1,0.25", i, 3, q$se.fit[i, 1], "its se.fit")
  put("--p 0.1,0.25", i, 4, q$fit[i, 2], "predict(w, nd, type = 'quantile', p = 0.25)")
  put("--p 0.1,0.25", i, 8, 1 - pweibull(3652, 1 / w$scale, exp(lp[i])), "1 - pweibull(3652, 1 / scale, exp(lp))")
}

# section 8: competing exits of the care cohort
cc <- read.csv("datasets/care_children.csv")
cc$exit <- factor(match(cc$end_reason, c("adoption", "sgo", "age18"), nomatch = 0), 0:3)
ci <- survfit(Surv(futime, exit) ~ I(age_entry < 5), data = cc)
sm <- summary(ci, times = 1826)
put("~ I(age_entry < 5)", "1826", 5, sm$pstate[1, 2], "summary(ci, times = 1826)$pstate[1, 2]")
put("~ I(age_entry < 5)", "1826", 7, sm$pstate[1, 4], "summary(ci, times = 1826)$pstate[1, 4]")
gt <- cmprsk::cuminc(cc$futime, as.integer(cc$exit) - 1, cc$age_entry < 5)$Tests
put("~ I(age_entry < 5)", "1826#2", 5, sm$pstate[2, 2], "summary(ci, times = 1826)$pstate[2, 2]")
# Gray's rows 1 to 3 (the call printed above them has a line beginning with "3 *": row 3 is the second "3")
for (k in 1:3) put("~ I(age_entry < 5)", c("1", "2", "3#2")[k], 2, gt[k, "stat"], "cmprsk::cuminc(...)$Tests[, 'stat']")
put("~ I(age_entry < 5)", 2, 3, gt[2, "pv"], "cmprsk::cuminc(...)$Tests[2, 'pv']")
cs <- coxph(Surv(futime, end_reason == "adoption") ~ age_entry + reason + substance, data = cc)
put("end_reason == \"adoption\") ~", "age_entry", 2, coef(cs)[["age_entry"]], "coef(cause-specific coxph)")
put("end_reason == \"adoption\") ~", "substance", 4, sqrt(cs$var[6, 6]), "se")
X <- model.matrix(~ age_entry + reason + substance, cc)[, -1]
fg <- cmprsk::crr(cc$futime, as.integer(cc$exit) - 1, X, failcode = 1)
put("--cause 1", "age_entry", 2, fg$coef[[1]], "crr(...)$coef")
put("--cause 1", "age_entry", 4, sqrt(fg$var[1, 1]), "sqrt(diag(crr(...)$var))")
put("--cause 1", "substance", 2, fg$coef[[6]], "crr(...)$coef")

# section 9: who went home, weights, weighted curves and Cox model
g <- glm(ever_home ~ age_entry + reason + substance, family = binomial, data = cc)
put("survkit glm", "age_entry", 2, coef(g)[["age_entry"]], "coef(glm)")
put("survkit glm", "age_entry", 3, sqrt(vcov(g)["age_entry", "age_entry"]), "se")
put("survkit glm", "Residual", 3, deviance(g), "deviance(glm)")
ps <- fitted(g)
cc$w <- ifelse(cc$ever_home == 1, 1 / ps, 1 / (1 - ps))
tr <- cc$ever_home == 1
put("--surv 'Surv(futime, permanent)'", "treated", 3, sum(cc$w[tr])^2 / sum(cc$w[tr]^2), "ESS sum(w)^2 / sum(w^2)")
put("--surv 'Surv(futime, permanent)'", "control", 3, sum(cc$w[!tr])^2 / sum(cc$w[!tr]^2), "ESS")
km <- survfit(Surv(futime, permanent) ~ ever_home, data = cc, weights = w, robust = TRUE)
sk <- summary(km, times = 1095)
put("--surv 'Surv(futime, permanent)'", "1095", 2, sk$surv[1], "summary(km, times = 1095)$surv[1]")
put("--surv 'Surv(futime, permanent)'", "1095", 3, sk$surv[2], "summary(km, times = 1095)$surv[2]")
put("--plot docs/tutorial-ipw-home.png", "ever_home=0", 5, summary(km)$table[1, "median"], "median")
wc <- coxph(Surv(futime, permanent) ~ ever_home, data = cc, weights = w, robust = TRUE)
put("--plot docs/tutorial-ipw-home.png", "ever_home", 2, coef(wc)[[1]], "coef(weighted coxph)")
put("--plot docs/tutorial-ipw-home.png", "ever_home", 5, sqrt(wc$var[1, 1]), "robust se")

# section 10: tmerge, the time-dependent, landmark and Andersen-Gill models
base <- read.csv("datasets/care_children.csv")
tm <- tmerge(base, base, id = child_id, tstop = futime)
mv <- read.csv("datasets/care_moves.csv")
tm <- tmerge(tm, mv, id = child_id, home = tdc(day, home))
tm <- tmerge(tm, mv, id = child_id, prior = tdc(day, prior_breakdowns))
tm <- tmerge(tm, read.csv("datasets/care_services.csv"), id = child_id, services = tdc(day, services))
tm <- tmerge(tm, read.csv("datasets/care_breakdowns.csv"), id = child_id, breakdown = event(day))
tm <- tmerge(tm, read.csv("datasets/care_permanence.csv"), id = child_id, perm = event(day))
put("survkit tmerge", "3", 5, tm$tstop[tm$child_id == 3][1], "tmerge: child 3's first tstop")
td <- coxph(Surv(tstart, tstop, perm) ~ home + age_entry + reason + substance + cluster(family_id), data = tm)
put("Surv(tstart, tstop, perm)", "home", 2, coef(td)[["home"]], "coef(coxph, tmerge rows)")
put("Surv(tstart, tstop, perm)", "home", 5, sqrt(td$var[1, 1]), "robust se")
lm <- subset(tm, tstop > 365); lm$tstart <- pmax(lm$tstart, 365) - 365; lm$tstop <- lm$tstop - 365
ld <- coxph(Surv(tstart, tstop, perm) ~ home + age_entry + reason + substance + cluster(family_id), data = lm)
put("--landmark 365", "home", 2, coef(ld)[["home"]], "coef(coxph, landmark rows)")
put("--landmark 365", "home", 5, sqrt(ld$var[1, 1]), "robust se")
ag <- coxph(Surv(tstart, tstop, breakdown) ~ services + prior + substance + reason + age_entry +
              strata(home) + cluster(family_id), data = tm)
put("Surv(tstart, tstop, breakdown)", "services", 2, coef(ag)[["services"]], "coef(coxph, Andersen-Gill)")
put("Surv(tstart, tstop, breakdown)", "prior", 5, sqrt(ag$var[2, 2]), "robust se")

# section 11: the Stata file, its labels as factor levels
st <- as.data.frame(haven::as_factor(haven::read_dta("examples/reunification.dta")))
sc <- coxph(Surv(days, breakdown) ~ substance + age + support + strata(la), data = st)
put("support + strata(la)' --quiet", "supportintensive", 2, coef(sc)[["supportintensive"]], "coef(coxph, haven::as_factor(read_dta))")
put("support + strata(la)' --quiet", "supportsome", 3, exp(coef(sc)[["supportsome"]]), "exp(coef)")

writeLines(c("# written by tests/golden/make_golden_tutorial.R: anchor, row, field, value, R expression",
             unlist(rows)), out)
