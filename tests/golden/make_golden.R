# make_golden.R: regenerates every expected value survkit's tests compare against, from R's survival
# package. Run from the repository root:  Rscript tests/golden/make_golden.R
# Each module has its own script, tests/golden/make_golden_<module>.R, writing tests/golden/<module>/.
# Inputs are always the committed CSV files in datasets/ (read.csv), never R's built-in copies, so
# that R and survkit see the same digits.
suppressPackageStartupMessages({ library(survival); library(jsonlite) })
source("tests/golden/golden_io.R")
cat("R", R.version.string, "survival", as.character(packageVersion("survival")), "\n")
for (script in sort(Sys.glob("tests/golden/make_golden_*.R"))) {
  cat("running", script, "\n")
  source(script, local = new.env())
}
