# make_golden_formula_features.R: expected Cox fits for the formula features of issue 21 --
# any number of covariates, `.`, `- term`, `%in%`, relevel(), factor(levels =), poly() and ns()
# (coefficients, and the linear predictor of the fitted model on new data, which checks that the
# saved basis -- makepredictcall's coefs and knots -- is reused), and string levels in R's order
# (the session's ICU collation, and LC_COLLATE=C). Writes tests/golden/formula_features/*.txt and
# the CSV files those fits read. Run via tests/golden/make_golden.R (needs survival, splines).
suppressPackageStartupMessages(library(splines))
out_dir <- "tests/golden/formula_features"
dir.create(out_dir, showWarnings = FALSE, recursive = TRUE)
read_data <- function(name) read.csv(file.path("datasets", paste0(name, ".csv")))

# The data sets made here: 100 covariates; lung with string columns whose order depends on the
# collation. Written with 17 digits and read back, so R and survkit see the same numbers.
set.seed(20261203)
n <- 300
wide <- as.data.frame(matrix(round(rnorm(n * 100), 6), n, 100, dimnames = list(NULL, paste0("x", 1:100))))
eta <- as.matrix(wide) %*% rep(c(0.3, -0.2, 0.1, 0), 25)
wide$time <- round(rexp(n, exp(eta)) * 100, 3) + 0.001
wide$status <- rbinom(n, 1, 0.8)
wide <- wide[, c("time", "status", paste0("x", 1:100))]
write.csv(wide, file.path(out_dir, "wide100.csv"), row.names = FALSE)

lung <- read_data("lung")
lung_s <- data.frame(time = lung$time, status = lung$status, age = lung$age,
                     sex = c("Male", "female")[lung$sex],
                     agegroup = ifelse(lung$age <= 55, "<=55", ifelse(lung$age <= 65, "55-65", ">65")),
                     ecog = c("a_b", "ab", "B", "b")[pmin(lung$ph.ecog, 3) + 1])
write.csv(lung_s, file.path(out_dir, "lung_strings.csv"), row.names = FALSE)

# One case: the coxph fit of `formula` on the CSV `data` (a data set name or a file in out_dir),
# optionally the lp of the fit on new data `newdata` (a file in out_dir).
fit_case <- function(name, data, formula, newdata = NULL, collate_c = FALSE) {
  path <- if (file.exists(file.path(out_dir, data))) file.path(out_dir, data) else
    file.path("datasets", paste0(data, ".csv"))
  d <- read.csv(path)
  old <- Sys.getlocale("LC_COLLATE")
  if (collate_c) Sys.setlocale("LC_COLLATE", "C")
  call <- bquote(coxph(.(as.formula(formula)), data = d))
  fit <- eval(call)
  Sys.setlocale("LC_COLLATE", old)
  vals <- list(formula = formula, data = basename(path), collate = if (collate_c) "C" else "utf8",
               names = names(coef(fit)), coef = unname(coef(fit)),
               loglik = fit$loglik, term_labels = grep("^(strata|cluster|offset)\\(",
                                                        attr(terms(fit), "term.labels"),
                                                        value = TRUE, invert = TRUE))
  calls <- deparse(call, width.cutoff = 500)
  if (!is.null(newdata)) {
    nd <- read.csv(file.path(out_dir, newdata))
    vals$newdata <- newdata
    vals$lp <- unname(predict(fit, newdata = nd, type = "lp"))
    calls <- c(calls, "predict(fit, newdata = read.csv(newdata), type = 'lp')")
  }
  golden_write(file.path(out_dir, paste0(name, ".txt")), vals, calls)
}

xs <- paste0("x", 1:100)
fit_case("wide100_terms", "wide100.csv", paste("Surv(time, status) ~", paste(xs, collapse = " + ")))
fit_case("wide100_dot", "wide100.csv", "Surv(time, status) ~ .")
# terms whose variables lie on both sides of the 64th: interactions and a factor's coding
fit_case("wide100_interactions", "wide100.csv",
         paste("Surv(time, status) ~", paste(xs[1:90], collapse = " + "),
               "+ x1:x90 + x70:x2 + (x95 > 0):x80 + (x3 > 0):(x96 > 0)"))
fit_case("lung_dot_minus", "lung", "Surv(time, status) ~ . - inst - meal.cal")
# `.` keeps a column used in strata(): sex is both, and its coefficient is NA (aliased)
fit_case("lung_dot_strata", "lung", "Surv(time, status) ~ . + strata(sex) - inst - meal.cal")
fit_case("veteran_minus", "veteran", "Surv(time, status) ~ celltype * trt - trt - 1")
fit_case("veteran_minus_zero", "veteran", "Surv(time, status) ~ karno + age + 0 - age")
fit_case("veteran_in", "veteran", "Surv(time, status) ~ celltype + trt %in% celltype")
fit_case("veteran_in_values", "veteran",
         "Surv(time, status) ~ I(celltype %in% c(\"large\", \"squamous\")) + I(karno %in% c(60, 70)) + strata(prior %in% 10)")

vet <- read_data("veteran")
nd <- data.frame(time = c(10, 100, 200, 30, 5), status = c(1, 0, 1, 1, 0),
                 age = c(20, 45, 60, 81, 90), karno = c(5, 30, 60, 99, 100),
                 diagtime = c(1, 3, 12, 40, 100), celltype = c("adeno", "large", "squamous", "smallcell", "adeno"),
                 trt = c(1, 2, 1, 2, 1), prior = c(0, 10, 0, 10, 0))
write.csv(nd, file.path(out_dir, "veteran_new.csv"), row.names = FALSE)
fit_case("veteran_relevel", "veteran",
         "Surv(time, status) ~ relevel(factor(celltype), ref = \"squamous\") + factor(trt, levels = c(2, 1))",
         newdata = "veteran_new.csv")
fit_case("veteran_levels", "veteran",
         "Surv(time, status) ~ factor(celltype, levels = c(\"large\", \"adeno\", \"smallcell\", \"squamous\")) + karno",
         newdata = "veteran_new.csv")
fit_case("veteran_poly", "veteran", "Surv(time, status) ~ poly(age, 2) + poly(karno, 3, raw = TRUE)",
         newdata = "veteran_new.csv")
fit_case("veteran_poly1", "veteran", "Surv(time, status) ~ poly(karno, degree = 1) + trt",
         newdata = "veteran_new.csv")
fit_case("veteran_ns", "veteran", "Surv(time, status) ~ ns(age, df = 3) + ns(karno, knots = c(50, 70)) + ns(diagtime, 2)",
         newdata = "veteran_new.csv")
fit_case("veteran_ns_intercept", "veteran",
         "Surv(time, status) ~ ns(karno, df = 3, intercept = TRUE, Boundary.knots = c(20, 90)) + celltype",
         newdata = "veteran_new.csv")
fit_case("veteran_dot_poly", "veteran", "Surv(time, status) ~ . - karno - age + poly(karno, 2) + ns(age, df = 2)",
         newdata = "veteran_new.csv")

fit_case("lung_strings_utf8", "lung_strings.csv", "Surv(time, status) ~ sex + agegroup + ecog")
fit_case("lung_strings_c", "lung_strings.csv", "Surv(time, status) ~ sex + agegroup + ecog", collate_c = TRUE)
