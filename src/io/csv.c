/* csv.c: placeholder until the CSV reader lands (replaced by the io work). */
#include "core/internal.h"

void survkit_read_options_init(survkit_read_options *opt)
{
    opt->separator = 0;
    opt->na_tokens = NULL;
    opt->n_na_tokens = 0;
    opt->threads = 0;
    opt->progress = NULL;
    opt->progress_user = NULL;
}

survkit_status survkit_table_read_file(const char *path, const survkit_read_options *opt,
                                       survkit_table **out, survkit_error *err)
{
    (void)opt;
    *out = NULL;
    return sk_error_set(err, SURVKIT_ERR_INTERNAL, path, 0, 0, "CSV reading is not built yet");
}
