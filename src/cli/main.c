/*
 * main.c: the survkit command. A thin loop: pick the command, let it parse its arguments, call the
 * library, write the report. This is the only place in survkit that decides the exit status:
 * 0 success, 2 unusable command line or data.
 */
#include "cli.h"

#include <gsl/gsl_errno.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <stdio.h>
#include <string.h>

static const cli_command commands[] = {
    {"describe", "show each column's type, missing values and levels", cli_describe},
    {"km", "Kaplan-Meier curves, medians, quantiles and restricted means (R's survfit)", cli_km},
    {"logrank", "G-rho tests between groups, pairwise and trend (R's survdiff)", cli_logrank},
    {"cox", "Cox proportional hazards regression (R's coxph)", cli_cox},
    {"zph", "test of proportional hazards of a Cox model (R's cox.zph)", cli_zph},
    {"residuals", "residuals of a Cox model (R's residuals.coxph)", cli_residuals},
    {"predict", "predictions of a Cox model for new rows (R's predict, survfit.coxph)", cli_predict},
    {"basehaz", "baseline cumulative hazard of a Cox model (R's basehaz)", cli_basehaz},
    {"survreg", "parametric (accelerated failure time) regression (R's survreg)", cli_survreg},
    {"simulate", "write a synthetic proportional-hazards cohort (CSV) for tests and benchmarks",
     cli_simulate},
};
static const size_t n_commands = sizeof commands / sizeof commands[0];

static void print_usage(FILE *out)
{
    fprintf(out,
            "usage: survkit COMMAND [options] DATA\n"
            "       survkit --version | --help | COMMAND --help\n\n"
            "Survival analysis whose numbers equal R's survival package.\n\ncommands:\n");
    for (size_t k = 0; k < n_commands; k++)
        fprintf(out, "  %-10s %s\n", commands[k].name, commands[k].summary);
    fprintf(out, "\nDATA is a CSV or TSV file with a header row; '-' reads standard input.\n");
}

/*
 * Large arrays from the heap, and freed memory kept for the next allocation: glibc otherwise maps
 * every array above 128 KB afresh and unmaps it when freed, so each new array pays a page fault
 * per 4 KB page -- about 10 us each on the virtual machines survkit is benchmarked on, slower than
 * the computing itself. With these settings the table's memory, freed once the model frame is
 * built, is what the fit allocates next. The peak stays the peak (freed pages are reused, not
 * added). glibc only; elsewhere nothing changes.
 */
static void keep_freed_memory(void)
{
#if defined(__GLIBC__)
    mallopt(M_MMAP_THRESHOLD, 1 << 30);
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
#endif
}

int main(int argc, char **argv)
{
    /* GSL's default handler aborts; the library checks its inputs and never relies on it. */
    gsl_set_error_handler_off();
    keep_freed_memory();
    if (argc < 2) {
        print_usage(stderr);
        return CLI_EXIT_USAGE;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
        printf("survkit %s\n", survkit_version_string());
        return CLI_EXIT_OK;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        print_usage(stdout);
        return CLI_EXIT_OK;
    }
    for (size_t k = 0; k < n_commands; k++)
        if (strcmp(argv[1], commands[k].name) == 0) return commands[k].run(argc - 1, argv + 1);
    fprintf(stderr, "survkit: unknown command '%s' (see survkit --help)\n", argv[1]);
    return CLI_EXIT_USAGE;
}
