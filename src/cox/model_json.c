#include "cox/diag_internal.h"
char *survkit_cox_model_to_json(const survkit_cox_model *m) { (void)m; return NULL; }
survkit_status survkit_cox_model_from_json(const char *text, size_t length, const char *source,
                                           survkit_cox_model **out, survkit_error *err)
{
    (void)text, (void)length, (void)source, (void)out;
    return sk_error_set(err, SURVKIT_ERR_INTERNAL, NULL, 0, 0, "todo");
}
