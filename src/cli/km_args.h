/*
 * km_args.h: the options `survkit km` and `survkit-mpi km` share (interval, variance and report
 * options), their option-table entries and their checks, so both commands parse them alike.
 */
#ifndef SURVKIT_CLI_KM_ARGS_H
#define SURVKIT_CLI_KM_ARGS_H

#include "cli.h"
#include "report_km.h"

typedef struct cli_km_args {
    const char *conf_type, *quantiles, *rmst, *times;
    double conf_level;
    long ctype;
    bool summary, robust, no_robust;
} cli_km_args;

enum { CLI_KM_N_OPTIONS = 9 };

/* The defaults into *a and the CLI_KM_N_OPTIONS option entries into options[0..8]. */
void cli_km_args_options(cli_km_args *a, cli_option *options);

/* Check the parsed options and fill opt (conf type and level, ctype, robust by R's rule) and ropt
 * (restricted mean, quantiles, times sorted ascending, summary, formula); ropt's quantiles and
 * times are new arrays the caller frees. Returns -1, or the exit status after reporting. */
int cli_km_args_apply(const cli_common *common, const cli_km_args *a, survkit_km_options *opt,
                      report_km_options *ropt);

#endif /* SURVKIT_CLI_KM_ARGS_H */
