/*
 * fuzz_readers.c: any bytes -> survkit_table_read_memory under a file name whose extension picks
 * the reader: gzip and zstd text, SPSS (.sav, .por), Stata (.dta), SAS (.sas7bdat, .xpt), or an
 * unknown extension (the bytes decide). The first byte picks the name (low 3 bits) and whether
 * value labels make factors (bit 3); the rest is the file. The reader must return a table or an
 * error with a message naming the file, never crash, hang or leak.
 */
#include "fuzz_support.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const names[8] = {"fuzz.csv.gz", "fuzz.csv.zst", "fuzz.sav", "fuzz.por",
                                         "fuzz.dta", "fuzz.sas7bdat", "fuzz.xpt", "fuzz.data"};
    survkit_read_options opt;
    survkit_read_options_init(&opt);
    opt.threads = 1;
    const char *name = names[7];
    if (size > 0) {
        name = names[data[0] & 7];
        opt.value_labels = (data[0] & 8) ? 0 : 1;
        data++;
        size--;
    }
    survkit_table *t = NULL;
    survkit_error err;
    survkit_status st = survkit_table_read_memory(data, size, name, &opt, &t, &err);
    fuzz_check_error(st, &err);
    if ((st == SURVKIT_OK) != (t != NULL)) abort();
    if (st != SURVKIT_OK && st != SURVKIT_ERR_PARSE && st != SURVKIT_ERR_NOMEM) abort();
    if (st == SURVKIT_ERR_PARSE && strcmp(err.source, name) != 0) abort();
    if (t != NULL) {
        fuzz_touch_table(t);
        for (size_t j = 0; j < survkit_table_n_columns(t); j++) {
            const char *label = survkit_table_column_label(t, j);
            if (label != NULL && strlen(label) > 1u << 20) abort();
            for (size_t k = 0; k < survkit_table_n_value_labels(t, j); k++) {
                double code;
                const char *text = survkit_table_value_label(t, j, k, &code);
                if (text == NULL || code != code) abort(); /* a label has a text and a code */
            }
            /* A factor's codes index its levels. */
            if (survkit_table_is_factor(t, j)) {
                const int32_t *codes = survkit_table_codes(t, j);
                for (size_t i = 0; i < survkit_table_n_rows(t); i++)
                    if (codes[i] < -1 || codes[i] >= (int32_t)survkit_table_n_levels(t, j)) abort();
            }
        }
    }
    survkit_table_free(t);
    return 0;
}
