# make_weighted_lung.R: lung.csv (R's survival::lung, exported by export_classic.R) with a
# case-weight column w = runif(n, 0.5, 2) (set.seed(1)), weights that are not whole numbers, for
# the penalised fits whose default variance is then R's robust one. Base R only.
# Run from the repository root:  Rscript datasets/make_weighted_lung.R
d <- read.csv("datasets/lung.csv")
set.seed(1)
d$w <- runif(nrow(d), 0.5, 2)
write.csv(d, "datasets/weighted_lung.csv", row.names = FALSE)
