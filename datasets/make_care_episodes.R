# make_care_episodes.R: generates the SYNTHETIC care-episodes cohort, in the base-plus-events shape
# R's tmerge (and survkit tmerge) takes: one row per child, and files of dated events. No row
# describes a real child: every value is drawn from the model below, whose rates are tuned to the
# published figures cited for reunification.csv (see datasets/README.md). Deterministic (set.seed,
# base R only). Run from the repository root:
#   Rscript datasets/make_care_episodes.R
#
# Time is days since the child's entry to care (day 0). Each child alternates between care and home:
#   in care:  return home     hazard  r_ret  * k_r t^(k_r - 1) * exp(x' b_ret)     (t: days in care)
#             permanence      rate    r_perm * exp(x' b_perm)   (adoption or special guardianship)
#   at home:  breakdown       hazard  c k t^(k-1) exp(x' b_bd) z_f, times 0.6 once services start
#                             (services start after a return for 60%, an exponential delay, mean
#                             45 days), k < 1: breakdowns come soon after a return
#             permanence      rate    r_perm * exp(x' b_perm) * exp(-1.2)  (a child arrangements or
#                             special guardianship order while at home: rarer)
# A breakdown is a re-entry to care; the child may go home again (every earlier breakdown multiplies
# the return rate by 0.6 and the next breakdown's hazard by exp(0.5)). Follow-up ends at permanence,
# the 18th birthday, the closing date (entries spread over 2006-04-01 .. 2012-03-31, all followed to
# 2013-03-31) or loss to follow-up (2% a year). z_f ~ Gamma(mean 1, variance 0.3) is shared by the
# sibling group. Days are whole days; each stay lasts at least one day.

set.seed(20251203)
n_target <- 2500
la_codes <- sprintf("LA%02d", 1:12)
la_logmult <- c(0.00, 0.25, -0.30, 0.45, -0.15, 0.10, -0.45, 0.35, 0.05, -0.20, 0.55, -0.05)
la_size <- c(0.14, 0.11, 0.10, 0.09, 0.09, 0.08, 0.08, 0.07, 0.07, 0.06, 0.06, 0.05)
reasons <- c("neglect", "abuse", "parental_illness", "behaviour", "other")
b_bd_reason <- c(neglect = 1.10, abuse = 0.10, parental_illness = -0.35, behaviour = 0.25, other = 0)
b_ret_reason <- c(neglect = -0.35, abuse = -0.45, parental_illness = 0.40, behaviour = 0.20, other = 0)
closing <- 7 * 365.25   # 2013-03-31, in days after 2006-04-01

fam_sizes <- integer(0)
while (sum(fam_sizes) < n_target)
  fam_sizes <- c(fam_sizes, sample(1:4, 1, prob = c(0.46, 0.30, 0.16, 0.08)))
fam_sizes[length(fam_sizes)] <- fam_sizes[length(fam_sizes)] - (sum(fam_sizes) - n_target)
n_fam <- length(fam_sizes)
fam <- data.frame(family_id = seq_len(n_fam),
                  la = sample(la_codes, n_fam, replace = TRUE, prob = la_size),
                  reason = sample(reasons, n_fam, replace = TRUE, prob = c(0.42, 0.22, 0.10, 0.11, 0.15)),
                  stringsAsFactors = FALSE)
fam$substance <- rbinom(n_fam, 1, ifelse(fam$reason == "neglect", 0.55, 0.30))
fam$frailty <- rgamma(n_fam, shape = 1 / 0.3, rate = 1 / 0.3)
fam$entry_day <- floor(runif(n_fam, 0, 6 * 365.25))
fam$eldest_age <- runif(n_fam, 0, 16.9)

d <- fam[rep(seq_len(n_fam), fam_sizes), ]
d$sib <- sequence(fam_sizes)
n <- nrow(d)
gap <- ifelse(d$sib == 1, 0, runif(n, 1, 4))
d$age_entry <- round(pmax(d$eldest_age - ave(gap, d$family_id, FUN = cumsum), runif(n, 0, 0.9)), 1)
d$reason[d$reason == "behaviour" & d$age_entry < 8] <- "other"
d$sex <- sample(c("F", "M"), n, replace = TRUE, prob = c(0.48, 0.52))
d$child_id <- seq_len(n)
d$entry_date <- format(as.Date("2006-04-01") + d$entry_day)
d$day18 <- ceiling((18 - d$age_entry) * 365.25)

moves <- list(); breakdowns <- list(); services <- list(); permanence <- list()
d$futime <- NA_real_; d$end_reason <- NA_character_
for (i in seq_len(n)) {
  x <- d[i, ]
  horizon <- min(closing - x$entry_day, x$day18, ceiling(rexp(1, 0.02 / 365.25)) + 1)
  ended <- if (horizon == x$day18) "age18" else if (horizon == closing - x$entry_day) "closing" else "lost"
  horizon <- ceiling(horizon)
  t <- 0; prior <- 0
  mv <- data.frame(child_id = x$child_id, day = 0, home = 0, prior_breakdowns = 0)
  sv <- data.frame(child_id = x$child_id, day = 0, services = 0)
  la_m <- la_logmult[match(x$la, la_codes)]
  perm_rate <- 0.0007 * exp(-0.22 * x$age_entry + 0.3 * (x$reason == "abuse") + 0.5 * la_m)
  repeat {
    # in care: return home (Weibull in days since this entry) against permanence
    ret_scale <- 0.0045 * exp(b_ret_reason[[x$reason]] - 0.3 * x$substance + 0.02 * x$age_entry -
                               0.5 * prior - 0.2 * la_m)
    t_ret <- (rexp(1) / ret_scale)^(1 / 0.8)
    t_perm <- rexp(1, perm_rate)
    stay <- max(1, ceiling(min(t_ret, t_perm)))
    if (t + stay >= horizon) { end <- horizon; break }
    if (t_perm < t_ret) {
      t <- t + stay; end <- t; ended <- if (x$age_entry < 10) "adoption" else "sgo"
      permanence[[length(permanence) + 1]] <- data.frame(child_id = x$child_id, day = t,
                                                         order = ended)
      break
    }
    t <- t + stay
    mv <- rbind(mv, data.frame(child_id = x$child_id, day = t, home = 1, prior_breakdowns = prior))
    sv <- rbind(sv, data.frame(child_id = x$child_id, day = t, services = 0))
    # at home: services may start; breakdown (Weibull, frailty, 0.6 after services) or permanence
    s_start <- if (runif(1) < 0.6) max(1, ceiling(rexp(1, 1 / 45))) else Inf
    rate <- 0.0045 * x$frailty * exp(b_bd_reason[[x$reason]] + 0.45 * x$substance + 0.5 * prior -
                                       0.04 * x$age_entry + la_m)
    e <- rexp(1); k <- 0.55
    H_s <- rate * s_start^k
    t_bd <- if (e <= H_s) (e / rate)^(1 / k) else ((H_s + (e - H_s) / 0.6) / rate)^(1 / k)
    t_perm <- rexp(1, perm_rate * exp(-1.2))
    stay <- max(1, ceiling(min(t_bd, t_perm)))
    if (s_start < min(stay, horizon - t))
      sv <- rbind(sv, data.frame(child_id = x$child_id, day = t + s_start, services = 1))
    if (t + stay >= horizon) { end <- horizon; break }
    t <- t + stay
    if (t_perm < t_bd) {
      end <- t; ended <- "sgo"
      permanence[[length(permanence) + 1]] <- data.frame(child_id = x$child_id, day = t, order = ended)
      break
    }
    prior <- prior + 1
    breakdowns[[length(breakdowns) + 1]] <- data.frame(child_id = x$child_id, day = t)
    mv <- rbind(mv, data.frame(child_id = x$child_id, day = t, home = 0, prior_breakdowns = prior))
    sv <- rbind(sv, data.frame(child_id = x$child_id, day = t, services = 0))
  }
  d$futime[i] <- end
  d$end_reason[i] <- ended
  moves[[i]] <- mv; services[[i]] <- sv
}
moves <- do.call(rbind, moves); services <- do.call(rbind, services)
breakdowns <- do.call(rbind, breakdowns); permanence <- do.call(rbind, permanence)
# Baseline summaries for the immortal-time illustration (docs/time-varying.md): whether the child
# ever went home during follow-up, and whether follow-up ended in permanence.
d$ever_home <- as.integer(d$child_id %in% moves$child_id[moves$home == 1])
d$permanent <- as.integer(d$end_reason %in% c("adoption", "sgo"))

base <- d[, c("child_id", "family_id", "la", "sex", "age_entry", "reason", "substance",
              "entry_date", "day18", "futime", "end_reason", "ever_home", "permanent")]
write.csv(base, "datasets/care_children.csv", row.names = FALSE)
# Event files in the order a case file would list them (by date), not sorted by child.
ord <- function(x, dates) x[order(dates, x$child_id), ]
write.csv(ord(moves, d$entry_day[moves$child_id] + moves$day), "datasets/care_moves.csv", row.names = FALSE)
write.csv(ord(breakdowns, d$entry_day[breakdowns$child_id] + breakdowns$day),
          "datasets/care_breakdowns.csv", row.names = FALSE)
write.csv(ord(services, d$entry_day[services$child_id] + services$day), "datasets/care_services.csv",
          row.names = FALSE)
write.csv(ord(permanence, d$entry_day[permanence$child_id] + permanence$day),
          "datasets/care_permanence.csv", row.names = FALSE)

# The figures datasets/README.md quotes.
if (requireNamespace("survival", quietly = TRUE)) {
  library(survival)
  b <- read.csv("datasets/care_children.csv")
  cat(sprintf("children %d, families %d, ever home %.1f%%, permanence %.1f%%, end: %s\n", nrow(b),
              length(unique(b$family_id)), 100 * mean(b$ever_home), 100 * mean(b$permanent),
              paste(names(table(b$end_reason)), table(b$end_reason), collapse = ", ")))
  mv <- read.csv("datasets/care_moves.csv")
  bd <- read.csv("datasets/care_breakdowns.csv")
  ret <- mv[mv$home == 1, ]
  cat(sprintf("returns home %d, breakdowns %d (%.1f%% of returns), children with 2+ returns %d\n",
              nrow(ret), nrow(bd), 100 * nrow(bd) / nrow(ret), sum(table(ret$child_id) >= 2)))
  # time to first breakdown after the first return (KM, as for reunification.csv)
  first <- ret[!duplicated(ret$child_id), ]
  nb <- bd[!duplicated(bd$child_id), ]
  nxt <- merge(first, nb, by = "child_id", all.x = TRUE, suffixes = c("", ".bd"))
  nxt$fu <- b$futime[match(nxt$child_id, b$child_id)]
  nxt$end <- ifelse(is.na(nxt$day.bd), nxt$fu, nxt$day.bd) - nxt$day
  nxt$status <- as.integer(!is.na(nxt$day.bd))
  km <- survfit(Surv(end, status) ~ 1, data = nxt)
  cat(sprintf("first returns breaking down: 2y %.3f 5y %.3f\n",
              1 - summary(km, times = 730.5, extend = TRUE)$surv,
              1 - summary(km, times = 1826.25, extend = TRUE)$surv))
  km2 <- survfit(Surv(end, status) ~ 1, data = nxt,
                 subset = b$reason[match(nxt$child_id, b$child_id)] == "neglect")
  cat(sprintf("neglect: 2y %.3f 5y %.3f\n", 1 - summary(km2, times = 730.5, extend = TRUE)$surv,
              1 - summary(km2, times = 1826.25, extend = TRUE)$surv))
  kr <- survfit(Surv(pmin(ifelse(b$ever_home == 1, NA, b$futime), b$futime, na.rm = TRUE), rep(0, nrow(b))) ~ 1)
  invisible(kr)
}
