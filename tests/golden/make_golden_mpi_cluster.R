# make_golden_mpi_cluster.R: R's coxph with cluster() on the data sets of issue 18's cluster tests,
# for tests/mpi/test_survkit_mpi.sh (survkit-mpi cox under -np 1/2/3 against R). Sourced by
# tests/golden/make_golden.R (run from the repository root); writes tests/golden/mpi/<case>.txt in
# golden_io.R's format: coef, robust se, naive se, the robust variance (column-major), the Wald test
# (robust), the robust score test and the concordance's std (the clusters').
dir.create("tests/golden/mpi", showWarnings = FALSE, recursive = TRUE)
heart <- read.csv("datasets/heart.csv")
reunification <- read.csv("datasets/reunification.csv")

mpi_cluster_case <- function(name, formula, data, data_name, ties = "efron") {
  fit <- coxph(as.formula(formula), data = data, ties = ties)
  call <- sprintf("coxph(%s, data = %s, ties = \"%s\")", formula, data_name, ties)
  golden_write(file.path("tests/golden/mpi", paste0(name, ".txt")),
               list(coef = unname(coef(fit)), robust_se = unname(sqrt(diag(fit$var))),
                    naive_se = unname(sqrt(diag(fit$naive.var))), var = as.vector(fit$var),
                    wald = unname(fit$wald.test), rscore = unname(fit$rscore),
                    concordance_se = unname(fit$concordance["std"])),
               calls = call)
}

mpi_cluster_case("heart_cluster_id",
                 "Surv(start, stop, event) ~ age + year + surgery + transplant + cluster(id)",
                 heart, "heart")
mpi_cluster_case("reunification_cluster_family",
                 "Surv(days, breakdown) ~ age + sex + reason + prior_failed + cluster(family_id)",
                 reunification, "reunification")
mpi_cluster_case("reunification_strata_cluster",
                 "Surv(days, breakdown) ~ age + sex + prior_failed + unplanned + substance + reason + support + strata(la) + cluster(family_id)",
                 reunification, "reunification", ties = "breslow")
