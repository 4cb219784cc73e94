# golden_io.R: writes expected values for survkit's tests in the format tests/unit/golden.h reads.
# Each call to golden_write() writes one file: a '#' comment per R call, then one named vector a line,
# numbers with 17 significant digits, NA as NA.

fmt_value <- function(v) {
  if (is.logical(v)) return(ifelse(is.na(v), "NA", ifelse(v, "TRUE", "FALSE")))
  if (is.numeric(v)) {
    out <- sprintf("%.17g", v)
    out[is.na(v)] <- "NA"
    out[is.infinite(v) & v > 0] <- "Inf"
    out[is.infinite(v) & v < 0] <- "-Inf"
    return(out)
  }
  v <- as.character(v)
  v[is.na(v)] <- "NA"
  v
}

# values: a named list of vectors (matrices are written column-major); calls: character vector of the
# R calls that produced them, written as comments.
golden_write <- function(path, values, calls = character()) {
  con <- file(path, "w")
  on.exit(close(con))
  for (cl in calls) writeLines(paste0("# ", gsub("\n", " ", cl)), con)
  for (key in names(values)) {
    v <- values[[key]]
    if (is.factor(v)) v <- as.character(v)
    if (length(v) == 0) { writeLines(key, con); next }
    writeLines(paste(c(key, fmt_value(as.vector(v))), collapse = "\t"), con)
  }
}
