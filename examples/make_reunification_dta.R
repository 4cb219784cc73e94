# make_reunification_dta.R: examples/reunification.dta, the synthetic reunification cohort
# (datasets/reunification.csv) as a Stata 14 file of the kind an analyst is sent: coded columns
# with value labels, variable labels. The tutorial (docs/tutorial.md, section 11) reads it.
# Run from the repository root: Rscript examples/make_reunification_dta.R
library(haven)
d <- read.csv("datasets/reunification.csv")
coded <- function(x, levels, label) {
    labelled(match(x, levels) - 1L, setNames(seq_along(levels) - 1L, levels), label = label)
}
out <- data.frame(child_id = d$child_id, family_id = d$family_id)
out$la <- d$la
out$age <- d$age
out$sex <- coded(d$sex, c("F", "M"), "Sex")
# support coded in its natural order: none is the first level, so the reference of a model
out$support <- coded(d$support, c("none", "some", "intensive"), "Support at return")
out$reason <- coded(d$reason, c("abuse", "neglect", "parental_illness", "behaviour", "other"),
                    "Main reason for care")
out$prior_failed <- as.integer(d$prior_failed)
out$unplanned <- as.integer(d$unplanned)
out$substance <- as.integer(d$substance)
out$months_in_care <- as.integer(d$months_in_care)
out$days <- as.integer(d$days)
out$breakdown <- as.integer(d$breakdown)
attr(out$age, "label") <- "Age at return home (years)"
attr(out$days, "label") <- "Days at home to breakdown or censoring"
attr(out$breakdown, "label") <- "Return broke down (re-entered care)"
attr(out$months_in_care, "label") <- "Months in care before the return"
write_dta(out, "examples/reunification.dta", version = 14)
