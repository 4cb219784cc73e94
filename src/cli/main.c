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
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>
#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#endif

static const cli_command commands[] = {
    {"describe", "show each column's type, missing values and levels", cli_describe},
    {"km", "Kaplan-Meier curves, medians, quantiles and restricted means (R's survfit)", cli_km},
    {"logrank", "G-rho tests between groups, pairwise and trend (R's survdiff)", cli_logrank},
    {"cox", "Cox proportional hazards regression (R's coxph)", cli_cox},
    {"zph", "test of proportional hazards of a Cox model (R's cox.zph)", cli_zph},
    {"residuals", "residuals of a Cox model (R's residuals.coxph)", cli_residuals},
    {"predict", "predictions of a Cox model for new rows (R's predict, survfit.coxph)", cli_predict},
    {"basehaz", "baseline cumulative hazard of a Cox model (R's basehaz)", cli_basehaz},
    {"cuminc", "competing risks: cumulative incidence and Gray's test (R's survfit, cuminc)", cli_cuminc},
    {"finegray", "Fine-Gray subdistribution hazards regression (R's cmprsk::crr)", cli_finegray},
    {"glm", "binomial regression: logit, probit, cloglog (R's glm)", cli_glm},
    {"ipw", "propensity weights (ATE, ATT) and covariate balance for weighted curves", cli_ipw},
    {"split", "cut follow-up at given times into (tstart, stop] rows (R's survSplit), CSV", cli_split},
    {"tmerge", "(tstart, tstop] rows from a base file and dated events (R's tmerge), CSV", cli_tmerge},
    {"survreg", "parametric (accelerated failure time) regression (R's survreg)", cli_survreg},
    {"simulate", "write a synthetic proportional-hazards cohort (CSV) for tests and benchmarks",
     cli_simulate},
    {"convert", "write an SPSS, Stata, SAS or compressed data file as CSV", cli_convert},
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
    fprintf(out, "DATA may also be .csv.gz, .tsv.gz, .csv.zst, SPSS (.sav, .zsav, .por), Stata (.dta)\n"
                 "or SAS (.sas7bdat, .xpt); value labels make factors (--no-labels keeps the codes).\n");
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

/*
 * Under a memory limit (ulimit -v: RLIMIT_AS or RLIMIT_DATA) OpenBLAS's worker thread, started when
 * the library is loaded, cannot get its buffer and retries for ever; exit then runs OpenBLAS's exit
 * handler, which joins that thread and so never returns: every command printed its result or its
 * message and then hung (issue 21). So under such a limit survkit leaves through _exit after
 * flushing its streams: everything a command writes is committed or removed before it returns, so
 * skipping the C library's exit handlers loses nothing (under AddressSanitizer the leak check that
 * exit would run is run first). Without a limit allocations do not fail that way (the kernel
 * overcommits), and the ordinary exit lets OpenBLAS join its threads, as valgrind expects.
 */
static bool memory_is_limited(void)
{
    struct rlimit r;
    return (getrlimit(RLIMIT_AS, &r) == 0 && r.rlim_cur != RLIM_INFINITY) ||
           (getrlimit(RLIMIT_DATA, &r) == 0 && r.rlim_cur != RLIM_INFINITY);
}

static int leave(int status)
{
    if (fflush(stdout) != 0 && status == CLI_EXIT_OK) {
        fputs("survkit: error: cannot write standard output\n", stderr);
        status = CLI_EXIT_USAGE;
    }
    fflush(stderr);
    if (!memory_is_limited()) return status;
#if defined(__SANITIZE_ADDRESS__)
    if (__lsan_do_recoverable_leak_check() != 0) status = 23; /* LeakSanitizer's own exit code */
#endif
    _exit(status);
}

int main(int argc, char **argv)
{
    /* GSL's default handler aborts; the library checks its inputs and never relies on it. */
    gsl_set_error_handler_off();
    keep_freed_memory();
    cli_one_blas_thread();
    if (argc < 2) {
        print_usage(stderr);
        return leave(CLI_EXIT_USAGE);
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
        printf("survkit %s\n", survkit_version_string());
        return leave(CLI_EXIT_OK);
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        print_usage(stdout);
        return leave(CLI_EXIT_OK);
    }
    for (size_t k = 0; k < n_commands; k++)
        if (strcmp(argv[1], commands[k].name) == 0) return leave(commands[k].run(argc - 1, argv + 1));
    fprintf(stderr, "survkit: unknown command '%s' (see survkit --help)\n", argv[1]);
    return leave(CLI_EXIT_USAGE);
}
