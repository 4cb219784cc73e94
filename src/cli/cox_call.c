/* cox_call.c: the call R prints above a Cox fit (survkit cox and survkit-mpi cox). */
#include "cli.h"
#include "report_cox.h"

#include <stdio.h>
#include <string.h>

/* The call R would print: coxph(formula = ..., data = <file stem>, ...). */
void cli_cox_call(const cli_common *common, const survkit_cox_options *opt, char *buf,
                  size_t size)
{
    const char *path = common->data_path, *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    size_t stem = strcspn(base, ".");
    int used = snprintf(buf, size, "coxph(formula = %s, data = %.*s", common->formula, (int)stem,
                        strcmp(base, "-") == 0 ? "stdin" : base);
    if (strcmp(base, "-") == 0) used = snprintf(buf, size, "coxph(formula = %s, data = stdin",
                                                common->formula);
    if (used < 0 || (size_t)used >= size) return;
    if (common->weights) used += snprintf(buf + used, size - (size_t)used, ", weights = %s", common->weights);
    if ((size_t)used < size && opt->ties != SURVKIT_COX_EFRON)
        used += snprintf(buf + used, size - (size_t)used, ", ties = \"%s\"",
                         report_cox_ties_name(opt->ties));
    if ((size_t)used < size && opt->robust == SURVKIT_COX_ROBUST_ON)
        used += snprintf(buf + used, size - (size_t)used, ", robust = TRUE");
    if ((size_t)used < size) snprintf(buf + used, size - (size_t)used, ")");
}
