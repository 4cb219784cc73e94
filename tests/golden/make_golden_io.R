# make_golden_io.R: expected values for the CSV reader and `survkit describe` (tests/golden/io/).
# Sourced by make_golden.R from the repository root. Inputs are committed files read with read.csv:
# datasets/*.csv, and the reader's fixtures in tests/data/io/ (tricky numbers, column types).
dir.create("tests/golden/io", showWarnings = FALSE)

# Numbers as R's read.csv reads them (both columns hold the same texts, one of them quoted).
call <- 'd <- read.csv("tests/data/io/numbers.csv"); sprintf("%.17g", d$value)'
d <- read.csv("tests/data/io/numbers.csv")
stopifnot(is.numeric(d$text), is.numeric(d$value))
golden_write("tests/golden/io/numbers.txt",
             list(value = d$value, signbit = as.integer(d$value < 0 | 1 / d$value < 0)), call)

# Column types: numeric (integer or double) or string (character or logical). R reads an all-NA
# column as logical; survkit, having no logical type, reads it as an all-missing numeric column.
call <- c('d <- read.csv("tests/data/io/types.csv", na.strings = c("NA", "-99", "."))',
          'sapply(d, class); colSums(is.na(d))')
d <- read.csv("tests/data/io/types.csv", na.strings = c("NA", "-99", "."))
golden_write("tests/golden/io/types.txt",
             list(names = names(d), class = sapply(d, class), missing = colSums(is.na(d)),
                  quoted = d$quoted, tokens = d$tokens, sign = d$sign,
                  label_levels = unique(d$label)), call)

# survkit describe: R's summary() of every column (unrounded), and the level counts of the string
# columns, levels in C-locale order (sort(method = "radix") sorts as strcmp does).
describe_golden <- function(name) {
  path <- file.path("datasets", paste0(name, ".csv"))
  d <- read.csv(path)
  values <- list(n_rows = nrow(d), names = names(d))
  for (col in names(d)) {
    x <- d[[col]]
    if (is.numeric(x)) {
      s <- summary(x)
      values[[col]] <- c(unname(s[1:6]), sum(is.na(x)))
    } else {
      lev <- sort(unique(x[!is.na(x)]), method = "radix")
      values[[paste0(col, "@levels")]] <- lev
      values[[paste0(col, "@counts")]] <- c(as.vector(table(factor(x, levels = lev))), sum(is.na(x)))
    }
  }
  golden_write(file.path("tests/golden/io", paste0("describe_", name, ".txt")), values,
               c(sprintf('d <- read.csv("%s")', path),
                 'numeric column: c(unname(summary(x)[1:6]), sum(is.na(x)))',
                 'string column: lev <- sort(unique(x[!is.na(x)]), method = "radix"); table(factor(x, levels = lev)), sum(is.na(x))'))
}
for (name in c("lung", "veteran", "flchain", "pbc")) describe_golden(name)
