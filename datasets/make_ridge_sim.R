# make_ridge_sim.R: generates datasets/ridge_sim.csv, a SYNTHETIC cohort for ridge-penalised Cox
# models: 400 subjects, six correlated covariates (x1..x6, pairwise correlation 0.7, x6 binary),
# exponential event times with hazard 0.05 exp(0.4 x1 + 0.3 x2 - 0.2 x3 + 0.5 x6), uniform
# censoring on (0, 30), times rounded to 0.01 (ties). Deterministic (set.seed, base R only).
# Run from the repository root:  Rscript datasets/make_ridge_sim.R
set.seed(20261203)
n <- 400
common <- rnorm(n)
x <- sapply(1:5, function(j) round(sqrt(0.7) * common + sqrt(0.3) * rnorm(n), 4))
colnames(x) <- paste0("x", 1:5)
x6 <- as.integer(common + rnorm(n) > 0.3)
eta <- 0.4 * x[, 1] + 0.3 * x[, 2] - 0.2 * x[, 3] + 0.5 * x6
t <- rexp(n, 0.05 * exp(eta))
cens <- runif(n, 0, 30)
d <- data.frame(id = seq_len(n), x, x6 = x6, time = pmax(round(pmin(t, cens), 2), 0.01),
                status = as.integer(t <= cens))
write.csv(d, "datasets/ridge_sim.csv", row.names = FALSE)
