# make_golden_zphplot.R: what R's plot(cox.zph(fit)) draws (survival 3.5-3), for survkit's
# `zph --plot`: per term, the grid pred.x, the natural-spline smooth yhat and its band
# (yhat -/+ 2 sqrt(var[i, i] * seval)), and for the km and rank transforms the x axis R labels
# with original times. plot.cox.zph of survival 3.5-3 has no plot = FALSE, so zph_smooth() and
# zph_axis() repeat its steps verbatim. Also splines::ns itself on one case. Sourced by
# tests/golden/make_golden.R (run from the repository root); data from the committed CSVs.
suppressPackageStartupMessages(library(splines))
dir.create("tests/golden/zphplot", showWarnings = FALSE, recursive = TRUE)
ds <- function(name) read.csv(file.path("datasets", paste0(name, ".csv")))

# plot.cox.zph's smooth of term i (its code from `pred.x <-` to `ylow <-`).
zph_smooth <- function(x, i, df = 4, nsmo = 40) {
  xx <- x$x
  yy <- x$y
  pred.x <- seq(from = min(xx), to = max(xx), length = nsmo)
  temp <- c(pred.x, xx)
  lmat <- ns(temp, df = df, intercept = TRUE)
  pmat <- lmat[1:nsmo, ]
  xmat <- lmat[-(1:nsmo), ]
  y <- yy[, i]
  keep <- !is.na(y)
  if (!all(keep)) y <- y[keep]
  qmat <- qr(xmat[keep, ])
  yhat <- pmat %*% qr.coef(qmat, y)
  bk <- backsolve(qmat$qr[1:df, 1:df], diag(df))
  xtx <- bk %*% t(bk)
  seval <- ((pmat %*% xtx) * pmat) %*% rep(1, df)
  temp <- 2 * sqrt(x$var[i, i] * seval)
  list(pred.x = pred.x, yhat = c(yhat), yup = c(yhat + temp), ylow = c(yhat - temp),
       xrange = range(xx[keep]), yrange = range(yhat, y, yhat + temp, yhat - temp))
}

# plot.cox.zph's x axis for transforms other than identity and log.
zph_axis <- function(x) {
  xx <- x$x
  xtime <- x$time
  indx <- !duplicated(xx)
  apr1 <- approx(xx[indx], xtime[indx], seq(min(xx), max(xx), length = 17)[2 * (1:8)])
  temp <- signif(apr1$y, 2)
  apr2 <- approx(xtime[indx], xx[indx], temp)
  xaxislab <- rep("", 8)
  for (i in 1:8) xaxislab[i] <- format(temp[i])
  list(at = apr2$y, labels = xaxislab)
}

case <- function(name, dataset, formula, transform, df = 4, nsmo = 40) {
  d <- ds(dataset)
  fit <- eval(parse(text = sprintf("coxph(%s, data = d)", formula)))
  z <- cox.zph(fit, transform = transform)
  terms <- colnames(z$y)
  vals <- list(dataset = dataset, formula = formula, ties = "efron", weights = character(),
               transform = transform, df = df, nsmo = nsmo, terms = terms)
  for (i in seq_along(terms)) {
    s <- zph_smooth(z, i, df, nsmo)
    vals[[paste0("x_", i)]] <- s$pred.x
    vals[[paste0("yhat_", i)]] <- s$yhat
    vals[[paste0("ylow_", i)]] <- s$ylow
    vals[[paste0("yup_", i)]] <- s$yup
    # plot.cox.zph's plot(): range(xx) for identity, range(xx[keep]) else, xx <- exp(xx) for log
    vals[[paste0("xrange_", i)]] <- switch(transform, identity = range(z$x),
                                           log = exp(s$xrange), s$xrange)
    vals[[paste0("yrange_", i)]] <- s$yrange
  }
  if (!(transform %in% c("identity", "log"))) {
    a <- zph_axis(z)
    vals$axis_at <- a$at
    vals$axis_labels <- a$labels
  }
  golden_write(file.path("tests/golden/zphplot", sprintf("%s_%s.txt", name, transform)), vals,
               calls = c(sprintf("fit <- coxph(%s, data = d)", formula),
                         sprintf("z <- cox.zph(fit, transform = '%s')", transform),
                         sprintf("plot(z, df = %d, nsmo = %d): its steps in zph_smooth(), zph_axis()", df, nsmo)))
  invisible(z)
}

LUNG <- "Surv(time, status) ~ age + sex + ph.ecog"
z <- case("lung", "lung", LUNG, "km")
case("lung", "lung", LUNG, "rank")
case("lung", "lung", LUNG, "identity")
case("lung", "lung", LUNG, "log")
case("lung_df3", "lung", LUNG, "km", df = 3, nsmo = 25)
case("veteran_factor", "veteran", "Surv(time, status) ~ karno + celltype", "km")
case("heart", "heart", "Surv(start, stop, event) ~ age + year + surgery + transplant", "km")
# A covariate constant within one stratum: NA residuals there, left out of the fit.
case("lung_strata_na", "lung", "Surv(time, status) ~ ph.ecog + I(age * (sex - 1)) + strata(sex)", "km")

# splines::ns itself on the lung km grid and events (the matrix plot.cox.zph fits on).
xs <- c(seq(min(z$x), max(z$x), length = 40), z$x)
for (df in c(4, 2, 6)) for (icpt in c(TRUE, FALSE)) {
  if (df == 2 && !icpt) next
  b <- ns(xs, df = df, intercept = icpt)
  golden_write(file.path("tests/golden/zphplot", sprintf("ns_df%d_%s.txt", df, if (icpt) "intercept" else "nointercept")),
               list(x = xs, df = df, intercept = icpt, basis = as.vector(unclass(b)[, ]),
                    knots = attr(b, "knots"), boundary = attr(b, "Boundary.knots")),
               calls = c("z <- cox.zph(coxph(Surv(time, status) ~ age + sex + ph.ecog, data = lung))",
                         "xs <- c(seq(min(z$x), max(z$x), length = 40), z$x)",
                         sprintf("ns(xs, df = %d, intercept = %s)", df, icpt)))
}
