# make_bladder2_weighted.R: bladder2.csv (R's survival::bladder2, exported by export_classic.R) with
# a case-weight column w = 1 / rx (1 for placebo, 0.5 for thiotepa), for the penalised
# (start, stop] fits with case weights and Efron ties (R's agfit5). Deterministic, base R only.
# Run from the repository root:  Rscript datasets/make_bladder2_weighted.R
d <- read.csv("datasets/bladder2.csv")
d$w <- 1 / d$rx
write.csv(d, "datasets/bladder2_weighted.csv", row.names = FALSE)
