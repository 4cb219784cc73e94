/*
 * logrank_args.h: the options `survkit logrank` and `survkit-mpi logrank` share (G-rho weight,
 * pairwise and trend tests), their option-table entries and their checks.
 */
#ifndef SURVKIT_CLI_LOGRANK_ARGS_H
#define SURVKIT_CLI_LOGRANK_ARGS_H

#include "cli.h"

typedef struct cli_logrank_args {
    double rho;
    bool pairwise, trend;
    const char *scores;
} cli_logrank_args;

enum { CLI_LOGRANK_N_OPTIONS = 4 };

/* The defaults into *a and the CLI_LOGRANK_N_OPTIONS option entries into options[0..3]. */
void cli_logrank_args_options(cli_logrank_args *a, cli_option *options);

/* Fill opt from the parsed options; --scores (which asks for the trend test) becomes a new array
 * in opt->scores, *n_scores long, that the caller frees. Returns -1, or the exit status after
 * reporting. The number of scores is checked against the groups once the frame is built. */
int cli_logrank_args_apply(const cli_common *common, const cli_logrank_args *a,
                           survkit_logrank_options *opt, size_t *n_scores);

#endif /* SURVKIT_CLI_LOGRANK_ARGS_H */
