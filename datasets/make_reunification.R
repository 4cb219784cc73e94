# make_reunification.R: generates datasets/reunification.csv, a SYNTHETIC cohort of children returned
# home from care. No row describes a real child: every value is drawn from the model below, whose rates
# are tuned to published figures (see datasets/README.md for the sources and the tuning results).
# Deterministic (set.seed, base R only). Run from the repository root:
#   Rscript datasets/make_reunification.R
#
# The model, per child i in family f (siblings are returned home together) and local authority a:
#   hazard of re-entry to care  h_i(t) = z_f * lambda_a * k * t^(k-1) * exp(x_i' beta)
#   (Weibull baseline with shape k < 1: breakdowns are most likely soon after the return),
#   z_f ~ Gamma(mean 1, variance theta): a shared frailty for the sibling group (cluster(family_id)),
#   lambda_a: the authority's baseline scale (strata(la)).
# Censoring: the end of follow-up (returns are spread over six years, all followed to the same
# closing date, and at most 5 years), the child's 18th birthday, and a small rate of loss to
# follow-up (moved away). Times are whole days at home (rounded up, at least 1).

set.seed(20240611)

n_target <- 3000
theta <- 0.3            # frailty variance (gamma, mean 1)
shape <- 0.55           # Weibull shape
base_scale <- 0.00140   # baseline: cumulative hazard base_scale * t^shape, t in days (tuned)

# Local authorities: 12, with differing baseline hazards (log multipliers fixed here, not drawn).
la_codes <- sprintf("LA%02d", 1:12)
la_logmult <- c(0.00, 0.25, -0.30, 0.45, -0.15, 0.10, -0.45, 0.35, 0.05, -0.20, 0.55, -0.05)
la_size <- c(0.14, 0.11, 0.10, 0.09, 0.09, 0.08, 0.08, 0.07, 0.07, 0.06, 0.06, 0.05)

# Log-hazard ratios.
beta <- list(
  substance = 0.45,
  prior_failed = 0.70,    # per earlier failed return
  unplanned = 0.40,
  age = -0.05,            # per year of age at return: older children break down less
  male = 0.05,
  months_in_care = -0.008,
  reason = c(neglect = 1.60, abuse = 0.10, parental_illness = -0.35, behaviour = 0.25, other = 0),
  support = c(none = 0, some = -0.20, intensive = -0.55)
)

# Families (sibling groups of 1-4 returned together) until n_target children.
fam_sizes <- integer(0)
while (sum(fam_sizes) < n_target)
  fam_sizes <- c(fam_sizes, sample(1:4, 1, prob = c(0.46, 0.30, 0.16, 0.08)))
fam_sizes[length(fam_sizes)] <- fam_sizes[length(fam_sizes)] - (sum(fam_sizes) - n_target)
n_fam <- length(fam_sizes)

# Family-level characteristics: siblings share the authority, the reason for entry, the parents'
# substance misuse, the history of earlier returns, whether the return was planned and the support.
fam <- data.frame(
  family_id = seq_len(n_fam),
  la = sample(la_codes, n_fam, replace = TRUE, prob = la_size),
  reason = sample(c("neglect", "abuse", "parental_illness", "behaviour", "other"), n_fam,
                  replace = TRUE, prob = c(0.42, 0.22, 0.10, 0.11, 0.15)),
  prior_failed = sample(0:4, n_fam, replace = TRUE, prob = c(0.36, 0.30, 0.18, 0.10, 0.06)),
  stringsAsFactors = FALSE
)
fam$substance <- rbinom(n_fam, 1, ifelse(fam$reason == "neglect", 0.55, 0.30))
fam$unplanned <- rbinom(n_fam, 1, 0.27)
fam$support <- sample(c("none", "some", "intensive"), n_fam, replace = TRUE, prob = c(0.35, 0.45, 0.20))
fam$frailty <- rgamma(n_fam, shape = 1 / theta, rate = 1 / theta)
fam$eldest_age <- runif(n_fam, 0, 17.9)
# Staggered entry: returns spread over six years (2006-04-01 .. 2012-03-31), follow-up closing
# 2013-03-31: the administrative censoring time, at most 5 years.
fam$return_day <- floor(runif(n_fam, 0, 6 * 365.25))
fam$months_base <- rlnorm(n_fam, log(9), 0.8)

d <- fam[rep(seq_len(n_fam), fam_sizes), ]
d$sib <- sequence(fam_sizes)
n <- nrow(d)
# Younger siblings are 1-4 years younger than the one before them.
gap <- ifelse(d$sib == 1, 0, runif(n, 1, 4))
d$age_exact <- d$eldest_age - ave(gap, d$family_id, FUN = cumsum)
d$age_exact <- ifelse(d$age_exact < 0, runif(n, 0, 1), d$age_exact)
d$age <- round(d$age_exact, 1)
d$age_exact <- d$age  # the file's age is the exact age at return
d$sex <- sample(c("F", "M"), n, replace = TRUE, prob = c(0.48, 0.52))
# Children who entered care for their behaviour are mostly teenagers.
d$reason[d$reason == "behaviour" & d$age < 8] <- "other"
d$months_in_care <- pmax(1, round(d$months_base * exp(rnorm(n, 0, 0.25))))

eta <- beta$substance * d$substance + beta$prior_failed * d$prior_failed +
  beta$unplanned * d$unplanned + beta$age * d$age + beta$male * (d$sex == "M") +
  beta$months_in_care * d$months_in_care + beta$reason[d$reason] + beta$support[d$support] +
  la_logmult[match(d$la, la_codes)]
rate <- base_scale * d$frailty * exp(eta)
# Weibull with cumulative hazard rate * t^shape: T = (E / rate)^(1/shape), E ~ Exp(1).
t_event <- (rexp(n) / rate)^(1 / shape)

follow_days <- pmin(5 * 365.25, 7 * 365.25 - d$return_day)
birthday18 <- (18 - d$age) * 365.25
lost <- rexp(n, rate = 0.02 / 365.25)   # 2% a year move away or are lost to follow-up
t_cens <- pmin(follow_days, birthday18, lost)

d$days <- pmax(1, ceiling(pmin(t_event, t_cens)))
d$breakdown <- as.integer(t_event <= t_cens)

# A few missing values: months in care unknown for 2% of children.
d$months_in_care[sample(n, round(0.02 * n))] <- NA

d$child_id <- seq_len(n)
out <- d[, c("child_id", "family_id", "la", "age", "sex", "reason", "prior_failed", "unplanned",
             "substance", "months_in_care", "support", "days", "breakdown")]
write.csv(out, "datasets/reunification.csv", row.names = FALSE, na = "NA")

# Report the figures the README quotes (Kaplan-Meier breakdown = 1 - survival).
if (requireNamespace("survival", quietly = TRUE)) {
  library(survival)
  r <- read.csv("datasets/reunification.csv")
  km_at <- function(fit, days) 1 - summary(fit, times = days, extend = TRUE)$surv
  all <- survfit(Surv(days, breakdown) ~ 1, data = r)
  sub <- survfit(Surv(days, breakdown) ~ 1, data = r, subset = reason == "neglect" & prior_failed > 0)
  cat(sprintf("rows %d, families %d, events %d (%.1f%%)\n", nrow(r), length(unique(r$family_id)),
              sum(r$breakdown), 100 * mean(r$breakdown)))
  cat(sprintf("KM breakdown overall: 2y %.3f  5y %.3f\n", km_at(all, 730.5)[1], km_at(all, 1826.25)[1]))
  cat(sprintf("KM breakdown neglect & prior failed (n=%d): 2y %.3f  5y %.3f\n", sub$n,
              km_at(sub, 730.5)[1], km_at(sub, 1826.25)[1]))
}
