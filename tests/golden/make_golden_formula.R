# make_golden_formula.R: expected model frames (R's model.frame + na.omit + coxph's model.matrix,
# strata, cluster, offset, weights, survfit group labels) for tests/unit/test_frame.c, and R's
# as.character() of numbers for tests/unit/test_formula.c. Writes tests/golden/formula/*.txt.
# Run from the repository root via tests/golden/make_golden.R (needs survival, golden_io.R).

out_dir <- "tests/golden/formula"
dir.create(out_dir, showWarnings = FALSE, recursive = TRUE)
read_data <- function(name) read.csv(file.path("datasets", paste0(name, ".csv")))

# Label of each row's group as survfit labels strata: "v1=a, v2=b" over the right-hand variables.
row_group_labels <- function(mf, vars) {
  parts <- lapply(vars, function(v) paste0(v, "=", as.character(mf[[v]])))
  do.call(paste, c(parts, sep = ", "))
}

frame_case <- function(name, dataset, formula, weights = NULL, groups = FALSE) {
  d <- read_data(dataset)
  f <- as.formula(formula)
  call <- if (is.null(weights)) {
    bquote(coxph(.(f), data = d, iter.max = 0, method = "breslow"))
  } else {
    bquote(coxph(.(f), data = d, weights = .(as.name(weights)), iter.max = 0, method = "breslow"))
  }
  fit <- suppressWarnings(eval(call))
  mf <- model.frame(fit)
  X <- model.matrix(fit)
  y <- mf[[1]]
  tt <- terms(fit)
  labels <- attr(tt, "term.labels")
  specials <- grepl("^(strata|cluster|offset)\\(", labels)
  vals <- list(formula = formula, dataset = dataset, weights = if (is.null(weights)) "" else weights,
               n = nrow(mf), n_dropped = nrow(d) - nrow(mf),
               row_index = as.integer(rownames(mf)),
               kind = if (ncol(y) == 3) "counting" else "right")
  if (ncol(y) == 3) {
    vals$start <- y[, "start"]; vals$time <- y[, "stop"]
  } else {
    vals$time <- y[, "time"]
  }
  vals$status <- y[, "status"]
  vals$colnames <- colnames(X)
  vals$X <- X
  vals$term_labels <- labels[!specials]
  # assign: the term of each column, among the non-special terms (0-based)
  vals$column_term <- match(labels[attr(X, "assign")], labels[!specials]) - 1
  vals$weights_values <- if (is.null(weights)) numeric(0) else model.weights(mf)
  off <- model.offset(mf)
  vals$offset <- if (is.null(off)) numeric(0) else off
  strata_cols <- grep("^strata\\(", names(mf), value = TRUE)
  if (length(strata_cols) > 0) {
    s <- droplevels(if (length(strata_cols) == 1) mf[[strata_cols]] else strata(mf[strata_cols]))
    vals$strata_labels <- levels(s)
    vals$strata <- as.integer(s) - 1
  }
  # survival 3.x moves cluster() out of the terms into the "(cluster)" column
  cluster_cols <- grep("^(cluster\\(|\\(cluster\\))", names(mf), value = TRUE)
  if (length(cluster_cols) == 1) vals$cluster <- as.integer(factor(mf[[cluster_cols]])) - 1
  if (groups) {
    vars <- setdiff(rownames(attr(terms(f), "factors"))[-1], character())
    kmf <- update(f, . ~ .)
    sf <- eval(bquote(survfit(.(kmf), data = d)))
    vals$group_labels <- names(sf$strata)
    vals$groups <- match(row_group_labels(mf, vars), names(sf$strata)) - 1
    stopifnot(!anyNA(vals$groups))
  }
  golden_write(file.path(out_dir, paste0(name, ".txt")), vals,
               c(deparse(call), "mf <- model.frame(fit); X <- model.matrix(fit)",
                 if (groups) "survfit(formula, data = d) for group labels"))
}

frame_case("lung_basic", "lung", "Surv(time, status) ~ age + sex + ph.ecog", groups = TRUE)
frame_case("lung_weighted", "lung",
           "Surv(time, status) ~ age + factor(ph.ecog) + strata(sex) + offset(log(age))",
           weights = "meal.cal")
frame_case("lung_groups", "lung", "Surv(time, status) ~ sex + ph.ecog", groups = TRUE)
frame_case("veteran_star", "veteran", "Surv(time, status) ~ celltype*trt + karno")
frame_case("veteran_colon", "veteran", "Surv(time, status) ~ trt:celltype + karno + cluster(prior)")
frame_case("veteran_groups", "veteran", "Surv(time, status) ~ celltype", groups = TRUE)
frame_case("pbc_transforms", "pbc",
           "Surv(time, status == 2) ~ sex + factor(stage) + log(bili) + I(age^2) + strata(edema)")
frame_case("pbc_margin", "pbc", "Surv(time, status == 2) ~ age + age:sex")
frame_case("pbc_logical", "pbc", "Surv(time, status == 2) ~ I(bili > 2) + sex + I((age - 50)/10)")
frame_case("pbc_strata2", "pbc", "Surv(time, status == 2) ~ age + strata(sex, edema)")
frame_case("heart_counting", "heart",
           "Surv(start, stop, event) ~ age + year*surgery + transplant + cluster(id)")
frame_case("colon_factors", "colon", "Surv(time, status) ~ rx + sex + age + nodes + strata(etype)")
frame_case("kidney_factor_by_factor", "kidney", "Surv(time, status) ~ disease*factor(sex) + age")
frame_case("kidney_interaction_only", "kidney", "Surv(time, status) ~ disease:factor(sex)")
frame_case("aml_string", "aml", "Surv(time, status) ~ x", groups = TRUE)
frame_case("ovarian_offsets", "ovarian",
           "Surv(futime, fustat) ~ rx + offset(age/10) + offset(log(ecog.ps)) - 1")
frame_case("rats_km_numeric", "rats", "Surv(time, status) ~ rx + sex", groups = TRUE)

numbers <- c(0, 1, -1, 0.5, 0.1 + 0.2, 1 / 3, 100000, 123456, 1e-5, 1e15, 2.5e-7, -17.1553730321697,
             1234.5, 1e5 + 0.1, 0.000123, 99999.5, 1e100, 3e-300, 2/3 * 1e-4)
golden_write(file.path(out_dir, "as_character.txt"),
             list(values = numbers, text = as.character(numbers)),
             "as.character(values)")

# Term expansion and labels: attr(terms(formula), "term.labels"), specials left out.
term_formulas <- c("~ a*b + c", "~ b:a + a", "~ a + b - a", "~ (a+b+c)^2", "~ a/b + c", "~ a*b*c",
                   "~ c + a:b + b + a", "~ log(x) + I(x^2) + x:log(x)", "~ a + a", "~ a:b + b:a",
                   "~ x + strata(s) + cluster(id) + offset(o)", "~ -1 + a", "~ a + 0", "~ 1",
                   "~ I((age-40)/10) + log(x,2) + I(1e5*x) + I(-a^2) + I(a^-1) + I(a<=b) + I(a != 2)",
                   "~ `ph ecog` + x_1 + ph.ecog + factor(stage):trt", "~ (a + b):(c + d) - b:c",
                   "~ a*b - a", "~ x == 2 + (y)")
vals <- list()
for (k in seq_along(term_formulas)) {
  labels <- attr(terms(as.formula(term_formulas[k])), "term.labels")
  vals[[paste0("formula", k)]] <- term_formulas[k]
  vals[[paste0("labels", k)]] <- labels[!grepl("^(strata|cluster|offset)\\(", labels)]
}
golden_write(file.path(out_dir, "terms.txt"), vals, 'attr(terms(as.formula(formulaK)), "term.labels")')
