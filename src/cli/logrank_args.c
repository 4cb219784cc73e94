/*
 * logrank_args.c: the options survkit logrank and survkit-mpi logrank share (logrank_args.h).
 */
#include "logrank_args.h"

void cli_logrank_args_options(cli_logrank_args *a, cli_option *options)
{
    *a = (cli_logrank_args){0};
    const cli_option entries[CLI_LOGRANK_N_OPTIONS] = {
        {"rho", 0, CLI_OPT_DOUBLE, &a->rho, "R", "G-rho weight S(t-)^rho: 0 log-rank (default), 1 Peto-Peto"},
        {"pairwise", 0, CLI_OPT_FLAG, &a->pairwise, NULL, "test every pair of groups (Holm and BH adjusted p)"},
        {"trend", 0, CLI_OPT_FLAG, &a->trend, NULL, "test for trend across the ordered groups"},
        {"scores", 0, CLI_OPT_STRING, &a->scores, "C1,C2", "trend scores, one per group (default 1..k)"},
    };
    for (size_t k = 0; k < CLI_LOGRANK_N_OPTIONS; k++) options[k] = entries[k];
}

int cli_logrank_args_apply(const cli_common *common, const cli_logrank_args *a,
                           survkit_logrank_options *opt, size_t *n_scores)
{
    survkit_logrank_options_init(opt);
    opt->rho = a->rho;
    opt->pairwise = a->pairwise;
    opt->trend = a->trend || a->scores != NULL;
    double *scores = NULL;
    *n_scores = 0;
    if (a->scores && !cli_parse_numbers(common, "scores", a->scores, &scores, n_scores))
        return CLI_EXIT_USAGE;
    opt->scores = scores;
    return -1;
}
