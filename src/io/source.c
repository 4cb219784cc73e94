/*
 * source.c: the bytes of an input. A regular file is memory-mapped (no copy; the kernel reads
 * ahead); standard input, pipes and files whose size the system does not know (/proc) are read in
 * blocks that double, so a large pipe costs O(size) copying in total.
 */
#include "io/csv_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static survkit_status io_error(survkit_error *err, const char *source, const char *what, int code)
{
    char reason[128] = "unknown error";
    if (strerror_r(code, reason, sizeof reason) != 0) snprintf(reason, sizeof reason, "errno %d", code);
    return sk_error_set(err, SURVKIT_ERR_IO, source, 0, 0, "%s: %s", what, reason);
}

static survkit_status read_all(int fd, const char *source, sk_source *src, survkit_error *err)
{
    size_t capacity = (size_t)1 << 20, size = 0;
    char *buf = malloc(capacity);
    RETURN_ERROR_IF(buf == NULL, err, SURVKIT_ERR_NOMEM, "out of memory reading %s", source);
    for (;;) {
        if (size == capacity) {
            if (capacity > SIZE_MAX / 2) {
                free(buf);
                return sk_error_set(err, SURVKIT_ERR_NOMEM, source, 0, 0, "input too large");
            }
            char *grown = realloc(buf, 2 * capacity);
            if (grown == NULL) {
                free(buf);
                return sk_error_set(err, SURVKIT_ERR_NOMEM, source, 0, 0, "out of memory reading the input");
            }
            buf = grown;
            capacity *= 2;
        }
        ssize_t got = read(fd, buf + size, capacity - size);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) {
            int code = errno;
            free(buf);
            return io_error(err, source, "cannot read", code);
        }
        if (got == 0) break;
        size += (size_t)got;
    }
    src->owned = buf;
    src->data = buf;
    src->size = size;
    return SURVKIT_OK;
}

survkit_status sk_source_open(const char *path, const char *source_name, sk_source *src,
                              survkit_error *err)
{
    memset(src, 0, sizeof *src);
    if (strcmp(path, "-") == 0) return read_all(STDIN_FILENO, source_name, src, err);
    int fd;
    do {
        fd = open(path, O_RDONLY);
    } while (fd < 0 && errno == EINTR);
    if (fd < 0) return io_error(err, source_name, "cannot open", errno);
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int code = errno;
        close(fd);
        return io_error(err, source_name, "cannot examine", code);
    }
    if (S_ISDIR(st.st_mode)) {
        close(fd);
        return sk_error_set(err, SURVKIT_ERR_IO, source_name, 0, 0, "is a directory, not a data file");
    }
    survkit_status status = SURVKIT_OK;
    if (S_ISREG(st.st_mode) && st.st_size > 0 && (uintmax_t)st.st_size <= SIZE_MAX) {
        size_t size = (size_t)st.st_size;
        void *map = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (map != MAP_FAILED) {
            posix_madvise(map, size, POSIX_MADV_SEQUENTIAL);
            src->map = map;
            src->map_size = size;
            src->data = map;
            src->size = size;
        } else {
            status = read_all(fd, source_name, src, err);
        }
    } else {
        status = read_all(fd, source_name, src, err);
    }
    close(fd);
    return status;
}

void sk_source_close(sk_source *src)
{
    if (src == NULL) return;
    if (src->map != NULL) munmap(src->map, src->map_size);
    free(src->owned);
    memset(src, 0, sizeof *src);
}
