/*
 * decompress.c: gzip (zlib) and zstd streams inflated block by block into one growing buffer in
 * memory, never to disk; the CSV reader then parses that buffer as it parses a mapped file. The
 * buffer starts at the size the stream announces (gzip's ISIZE trailer, zstd's frame content
 * size), so a well-formed file is inflated without a copy.
 */
#include "io/readers_internal.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

enum { BLOCK = 1 << 24 }; /* compressed bytes per step: progress and cancellation between steps */

typedef struct growing {
    char *data;
    size_t size, capacity;
} growing;

/* Room for at least one more byte; false when memory runs out. */
static bool grow(growing *g)
{
    if (g->size < g->capacity) return true;
    size_t capacity = g->capacity < ((size_t)1 << 16) ? ((size_t)1 << 16) : g->capacity;
    if (g->capacity > 0) {
        if (capacity > SIZE_MAX / 2) return false;
        capacity *= 2;
    }
    char *more = realloc(g->data, capacity);
    if (more == NULL) return false;
    g->data = more;
    g->capacity = capacity;
    return true;
}

static bool cancelled(const survkit_read_options *opt, size_t done, size_t total)
{
    return opt != NULL && opt->progress != NULL &&
           opt->progress(opt->progress_user, "read", (uint64_t)done, (uint64_t)total, 0.0) != 0;
}

/* gzip: members one after another (as `cat a.gz b.gz` makes), each inflated to its end. */
static survkit_status inflate_gzip(const unsigned char *data, size_t size, const char *source,
                                   const survkit_read_options *opt, growing *g, survkit_error *err)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit2(&z, 15 + 16) != Z_OK) /* 15: the largest window; +16: a gzip header */
        return sk_error_set(err, SURVKIT_ERR_NOMEM, source, 0, 0, "cannot start the gzip decoder");
    size_t used = 0, reported = 0;
    int rc = Z_OK;
    survkit_status status = SURVKIT_OK;
    while (status == SURVKIT_OK) {
        if (z.avail_in == 0 && used < size) {
            size_t step = size - used < BLOCK ? size - used : BLOCK;
            z.next_in = (unsigned char *)(uintptr_t)(data + used);
            z.avail_in = (uInt)step;
            used += step;
        }
        if (!grow(g)) {
            status = sk_error_set(err, SURVKIT_ERR_NOMEM, source, 0, 0, "out of memory inflating the file");
            break;
        }
        size_t room = g->capacity - g->size;
        z.next_out = (unsigned char *)g->data + g->size;
        z.avail_out = room > UINT_MAX ? UINT_MAX : (uInt)room;
        uInt before = z.avail_out;
        rc = inflate(&z, Z_NO_FLUSH);
        g->size += before - z.avail_out;
        if (rc == Z_STREAM_END) {
            size_t left = z.avail_in + (size - used);
            if (left == 0) break;
            /* Another member follows, or trailing zeros (some tools pad): stop at padding. */
            if (z.avail_in > 0 && z.next_in[0] != 0x1f) break;
            if (inflateReset(&z) != Z_OK) rc = Z_DATA_ERROR;
            else continue;
        }
        if (rc == Z_DATA_ERROR || rc == Z_NEED_DICT || rc == Z_STREAM_ERROR) {
            status = sk_error_set(err, SURVKIT_ERR_PARSE, source, 0, 0, "corrupt gzip data (%s)",
                                  z.msg ? z.msg : "invalid stream");
        } else if (rc == Z_MEM_ERROR) {
            status = sk_error_set(err, SURVKIT_ERR_NOMEM, source, 0, 0, "out of memory inflating the file");
        } else if (rc == Z_BUF_ERROR && z.avail_in == 0 && used == size) {
            status = sk_error_set(err, SURVKIT_ERR_PARSE, source, 0, 0,
                                  "truncated gzip data: the stream ends early");
        } else if (used - reported >= BLOCK) {
            reported = used;
            if (cancelled(opt, used, size))
                status = sk_error_set(err, SURVKIT_ERR_ARGUMENT, source, 0, 0, "cancelled");
        }
    }
    inflateEnd(&z);
    return status;
}

/* zstd: frames one after another; a frame cut short leaves the decoder waiting for more input. */
static survkit_status inflate_zstd(const unsigned char *data, size_t size, const char *source,
                                   const survkit_read_options *opt, growing *g, survkit_error *err)
{
    ZSTD_DCtx *z = ZSTD_createDCtx();
    if (z == NULL) return sk_error_set(err, SURVKIT_ERR_NOMEM, source, 0, 0, "cannot start the zstd decoder");
    ZSTD_inBuffer in = {data, 0, 0};
    size_t used = 0, reported = 0, rc = 0;
    survkit_status status = SURVKIT_OK;
    for (;;) {
        if (in.pos == in.size) {
            if (used == size) break;
            size_t step = size - used < BLOCK ? size - used : BLOCK;
            in.src = data + used;
            in.size = step;
            in.pos = 0;
            used += step;
            if (used - reported >= BLOCK) {
                reported = used;
                if (cancelled(opt, used, size)) {
                    status = sk_error_set(err, SURVKIT_ERR_ARGUMENT, source, 0, 0, "cancelled");
                    break;
                }
            }
        }
        if (!grow(g)) {
            status = sk_error_set(err, SURVKIT_ERR_NOMEM, source, 0, 0, "out of memory inflating the file");
            break;
        }
        ZSTD_outBuffer out = {g->data + g->size, g->capacity - g->size, 0};
        rc = ZSTD_decompressStream(z, &out, &in);
        g->size += out.pos;
        if (ZSTD_isError(rc)) {
            status = sk_error_set(err, SURVKIT_ERR_PARSE, source, 0, 0, "corrupt zstd data (%s)",
                                  ZSTD_getErrorName(rc));
            break;
        }
    }
    /* rc != 0 after the last input: the decoder still expects bytes of an unfinished frame. */
    if (status == SURVKIT_OK && rc != 0)
        status = sk_error_set(err, SURVKIT_ERR_PARSE, source, 0, 0, "truncated zstd data: the stream ends early");
    ZSTD_freeDCtx(z);
    return status;
}

/* The size the stream announces, as a first capacity (a hint: it may be wrong in a damaged file,
 * so it is capped at 1032 times the input, zlib's and zstd's largest ratio being about that). */
static size_t announced_size(sk_format format, const unsigned char *data, size_t size)
{
    size_t hint = 0;
    if (format == SK_FORMAT_GZIP && size >= 18) {
        const unsigned char *t = data + size - 4; /* ISIZE: the size modulo 2^32, little-endian */
        hint = (size_t)t[0] | (size_t)t[1] << 8 | (size_t)t[2] << 16 | (size_t)t[3] << 24;
    } else if (format == SK_FORMAT_ZSTD) {
        unsigned long long n = ZSTD_getFrameContentSize(data, size);
        if (n != ZSTD_CONTENTSIZE_UNKNOWN && n != ZSTD_CONTENTSIZE_ERROR && n < SIZE_MAX) hint = (size_t)n;
    }
    if (size <= SIZE_MAX / 1032 && hint > size * 1032) hint = size * 1032;
    return hint + 1; /* +1: the end is seen without growing */
}

survkit_status sk_decompress(sk_format format, const unsigned char *data, size_t size,
                             const char *source, const survkit_read_options *opt, char **out,
                             size_t *out_size, survkit_error *err)
{
    *out = NULL;
    *out_size = 0;
    growing g = {NULL, 0, announced_size(format, data, size)};
    g.data = malloc(g.capacity);
    if (g.data == NULL) g.capacity = 0;
    survkit_status status = format == SK_FORMAT_GZIP ? inflate_gzip(data, size, source, opt, &g, err)
                                                     : inflate_zstd(data, size, source, opt, &g, err);
    if (status != SURVKIT_OK) {
        free(g.data);
        return status;
    }
    *out = g.data;
    *out_size = g.size;
    return SURVKIT_OK;
}
