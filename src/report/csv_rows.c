/* csv_rows.c: CSV rows made by two threads and written in order (see csv_rows.h). */
#include "csv_rows.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

enum {
    CHUNK_ROWS = 8192,         /* rows a thread makes at a time, at most */
    CHUNK_BYTES = 4 << 20      /* and room for at most this much of their text (wide rows: fewer) */
};

typedef struct chunk {
    csv_row_text text;
    const void *ctx;
    size_t begin, end; /* its rows */
    char *buf;         /* chunk_rows x max_row_bytes */
    size_t length;     /* the text made */
} chunk;

static void *make_chunk(void *arg)
{
    chunk *c = arg;
    size_t at = 0;
    for (size_t row = c->begin; row < c->end; row++) at += c->text(c->ctx, row, c->buf + at);
    c->length = at;
    return NULL;
}

bool csv_rows_write(FILE *out, size_t rows, size_t max_row_bytes, csv_row_text text,
                    const void *ctx)
{
    if (max_row_bytes == 0) return false;
    size_t chunk_rows = CHUNK_BYTES / max_row_bytes;
    chunk_rows = chunk_rows < 1 ? 1 : chunk_rows > CHUNK_ROWS ? CHUNK_ROWS : chunk_rows;
    chunk pair[2] = {{text, ctx, 0, 0, NULL, 0}, {text, ctx, 0, 0, NULL, 0}};
    const int count = rows > chunk_rows ? 2 : 1;
    bool ok = true;
    for (int k = 0; ok && k < count; k++)
        ok = (pair[k].buf = malloc(chunk_rows * max_row_bytes)) != NULL;
    /* A pair of chunks at a time: the second on a thread of its own (or here, when one cannot be
     * started) while this one makes the first; then both are written, in order. */
    for (size_t first = 0; ok && first < rows; first += 2 * chunk_rows) {
        pair[0].begin = first;
        pair[0].end = rows - first < chunk_rows ? rows : first + chunk_rows;
        pair[1].begin = pair[0].end;
        pair[1].end = rows - pair[1].begin < chunk_rows ? rows : pair[1].begin + chunk_rows;
        const bool second = count == 2 && pair[1].begin < pair[1].end;
        pthread_t thread;
        const bool started = second && pthread_create(&thread, NULL, make_chunk, &pair[1]) == 0;
        make_chunk(&pair[0]);
        if (started) pthread_join(thread, NULL);
        else if (second) make_chunk(&pair[1]);
        for (int k = 0; ok && k < (second ? 2 : 1); k++)
            ok = fwrite(pair[k].buf, 1, pair[k].length, out) == pair[k].length;
    }
    free(pair[0].buf), free(pair[1].buf);
    return ok;
}
