/* frame_stub.c: placeholder until the formula and model frame land (replaced by that work). */
#include "core/internal.h"

void survkit_frame_options_init(survkit_frame_options *opt) { opt->weights = NULL; }

survkit_status survkit_frame_build(const survkit_table *table, const char *formula,
                                   const survkit_frame_options *opt, survkit_frame **out,
                                   survkit_error *err)
{
    (void)table, (void)formula, (void)opt;
    *out = NULL;
    return sk_error_set(err, SURVKIT_ERR_INTERNAL, NULL, 0, 0, "formulas are not built yet");
}

void survkit_frame_free(survkit_frame *f) { (void)f; }
