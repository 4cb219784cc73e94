/*
 * fuzz_csv.c: any bytes -> survkit_table_read_buffer. The reader must return a table or an error
 * with a message and a position, never crash, hang or leak. The first byte picks the separator
 * option (detect, ',', '\t', ';') and whether "-" and "." are extra missing-value tokens.
 */
#include "fuzz_support.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char separators[4] = {0, ',', '\t', ';'};
    static const char *const na[2] = {"-", "."};
    survkit_read_options opt;
    survkit_read_options_init(&opt);
    opt.threads = 1;
    if (size > 0) {
        opt.separator = separators[data[0] & 3];
        opt.n_na_tokens = (data[0] & 4) ? 2 : 0;
        opt.na_tokens = na;
        data++;
        size--;
    }
    survkit_table *t = NULL;
    survkit_error err;
    survkit_status st = survkit_table_read_buffer((const char *)data, size, "fuzz.csv", &opt, &t, &err);
    fuzz_check_error(st, &err);
    if ((st == SURVKIT_OK) != (t != NULL)) abort();
    if (st != SURVKIT_OK && st != SURVKIT_ERR_PARSE && st != SURVKIT_ERR_NOMEM) abort();
    if (st == SURVKIT_ERR_PARSE && (err.line == 0 || err.column == 0)) abort();
    if (t != NULL) fuzz_touch_table(t);
    survkit_table_free(t);
    return 0;
}
