# export_classic.R: writes the classic validation datasets of R's survival package to CSV, unchanged
# (factors as their labels, missing values as NA). Run from the repository root:
#   Rscript datasets/export_classic.R
suppressPackageStartupMessages(library(survival))
out <- function(df, name) {
  for (col in names(df)) if (is.factor(df[[col]])) df[[col]] <- as.character(df[[col]])
  write.csv(df, file.path("datasets", paste0(name, ".csv")), row.names = FALSE, na = "NA")
}
out(survival::lung, "lung")
out(survival::veteran, "veteran")
out(survival::ovarian, "ovarian")
out(survival::pbc, "pbc")
out(survival::colon, "colon")
out(survival::heart, "heart")          # Stanford heart transplant, (start, stop] form
out(survival::bladder2, "bladder2")    # bladder recurrences, (start, stop] with patient id
out(survival::rats, "rats")            # litter-matched rats: clusters
out(survival::kidney, "kidney")        # recurrence of infection, two per patient
out(survival::aml, "aml")              # acute myelogenous leukemia
out(survival::flchain, "flchain")      # serum free light chain, 7874 subjects
cat("survival", as.character(packageVersion("survival")), "\n")
