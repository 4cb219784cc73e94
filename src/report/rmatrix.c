/* rmatrix.c: R's print(matrix) layout (see rmatrix.h). */
#include "rmatrix.h"

#include "rformat.h"

#include <stdlib.h>
#include <string.h>

#define CELL 64

void rmatrix_print(FILE *out, const double *x, size_t nrow, size_t ncol,
                   const char *const *rownames, const char *const *colnames, int digits)
{
    char *cells = calloc(nrow * ncol + 1, CELL);
    char **slots = calloc(nrow + 1, sizeof *slots);
    int *width = calloc(ncol + 1, sizeof *width);
    char(*names)[32] = calloc(nrow + 1, sizeof *names);
    if (!cells || !slots || !width || !names) {
        free(cells), free(slots), free(width), free(names);
        return;
    }
    int name_width = 0;
    for (size_t i = 0; i < nrow; i++) {
        const char *nm = rownames ? rownames[i] : NULL;
        if (nm == NULL) snprintf(names[i], sizeof names[i], "[%zu,]", i + 1);
        int len = (int)strlen(nm ? nm : names[i]);
        if (len > name_width) name_width = len;
    }
    for (size_t j = 0; j < ncol; j++) {
        for (size_t i = 0; i < nrow; i++) slots[i] = cells + (j * nrow + i) * CELL;
        width[j] = rformat_column(x + j * nrow, nrow, digits, slots, CELL);
        int hw = (int)strlen(colnames[j]);
        if (hw > width[j]) width[j] = hw;
    }
    fprintf(out, "%*s", name_width, "");
    for (size_t j = 0; j < ncol; j++) fprintf(out, " %*s", width[j], colnames[j]);
    fputc('\n', out);
    for (size_t i = 0; i < nrow; i++) {
        const char *nm = rownames && rownames[i] ? rownames[i] : names[i];
        fprintf(out, "%-*s", name_width, nm);
        for (size_t j = 0; j < ncol; j++)
            fprintf(out, " %*s", width[j], cells + (j * nrow + i) * CELL);
        fputc('\n', out);
    }
    free(cells);
    free(slots);
    free(width);
    free(names);
}
