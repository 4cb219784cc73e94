/* number_list.c: comma-separated numeric option values (--quantiles, --times, --scores). */
#include "cli.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>

bool cli_parse_numbers(const cli_common *common, const char *option, const char *text,
                       double **values, size_t *n)
{
    *values = NULL;
    *n = 0;
    size_t count = 1;
    for (const char *p = text; *p; p++) count += *p == ',';
    double *v = malloc(count * sizeof *v);
    if (v == NULL) return cli_fail(common, "out of memory"), false;
    const char *p = text;
    for (size_t k = 0; k < count; k++) {
        char *end;
        errno = 0;
        v[k] = strtod(p, &end);
        if (end == p || (*end != ',' && *end != '\0') || errno == ERANGE || !isfinite(v[k])) {
            free(v);
            cli_fail(common, "--%s takes numbers separated by commas, not '%s'", option, text);
            return false;
        }
        p = end + (*end == ',');
    }
    *values = v;
    *n = count;
    return true;
}
