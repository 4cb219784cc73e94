# make_golden_diag_large.R: expected values for Cox diagnostics large enough to take survkit's
# large-data paths (cox.zph's Schoenfeld columns and block solves on two threads, the model's
# column means and linear predictor and the hazard's per-slot terms on two threads), from R's
# survival::cox.zph and residuals.coxph. Sourced by tests/golden/make_golden.R (run from the
# repository root); writes tests/golden/diag_large/<case>.txt with results only, and of the
# per-event results only every 97th event and the last (the whole would be megabytes): the inputs
# are rebuilt by the C test (tests/unit/test_diag_large.c) from datasets/lung.csv in the same way:
# every row repeated 500 times, copy k after copy k - 1 (integer days: 500 tied copies of every
# time, few event slots, so that the information's pass over the rows is split too).
dir.create("tests/golden/diag_large", showWarnings = FALSE, recursive = TRUE)

lung <- read.csv(file.path("datasets", "lung.csv"))
copies <- 500
big <- lung[rep(seq_len(nrow(lung)), times = copies), ]

formula_text <- paste("Surv(time, status) ~ age + sex + factor(ph.ecog) + ph.karno + pat.karno +",
                      "wt.loss")
fit <- coxph(as.formula(formula_text), data = big)
data_call <- paste("lung <- read.csv('datasets/lung.csv'); big <- lung[rep(seq_len(nrow(lung)),",
                   "times = 500), ]")
fit_call <- sprintf("fit <- coxph(%s, data = big)", formula_text)

# The events sampled: 1, 98, 195, ... and the last (1-based, in cox.zph's order).
sampled <- function(n_events) unique(c(seq(1, n_events, by = 97), n_events))

z <- cox.zph(fit)
rows <- sampled(length(z$time))
golden_write(file.path("tests/golden/diag_large", "zph_lung_x500_km.txt"),
             list(n = fit$n, events = length(z$time), names = rownames(z$table),
                  chisq = unname(z$table[, "chisq"]), df = unname(z$table[, "df"]),
                  p = unname(z$table[, "p"]), var = as.vector(z$var),
                  sample_rows = rows, time = unname(z$time[rows]), x = unname(z$x[rows]),
                  y = as.vector(unname(z$y[rows, , drop = FALSE]))),
             c(data_call, fit_call, "z <- cox.zph(fit)",
               "rows: every 97th event and the last; y = z$y[rows, ] by column"))

for (type in c("martingale", "schoenfeld")) {
  r <- as.matrix(residuals(fit, type = type))
  rows <- sampled(nrow(r))
  golden_write(file.path("tests/golden/diag_large", sprintf("resid_lung_x500_%s.txt", type)),
               list(rows_out = nrow(r), cols_out = ncol(r), sample_rows = rows,
                    values = as.vector(unname(r[rows, , drop = FALSE]))),
               c(data_call, fit_call, sprintf("r <- as.matrix(residuals(fit, type = '%s'))", type),
                 "rows: every 97th row and the last; values = r[rows, ] by column"))
}
