/*
 * replay.c: a main() for a fuzz target without libFuzzer. Each argument is a file or a folder; every
 * file (a folder's files in name order) is fed to LLVMFuzzerTestOneInput once. Used under ctest
 * (label `fuzz`) to replay the committed seed corpus and every crash ever found, in the normal and
 * the sanitizer builds. Prints the number of inputs run; exits 1 if an argument cannot be read.
 */
#include "fuzz_support.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int run_file(const char *path)
{
    FILE *in = fopen(path, "rb");
    if (in == NULL) {
        fprintf(stderr, "replay: cannot open %s\n", path);
        return 1;
    }
    size_t cap = 4096, size = 0, got;
    uint8_t *data = malloc(cap);
    while (data != NULL && (got = fread(data + size, 1, cap - size, in)) > 0) {
        size += got;
        if (size == cap) {
            uint8_t *bigger = realloc(data, cap *= 2);
            if (bigger == NULL) free(data);
            data = bigger;
        }
    }
    int failed = data == NULL || ferror(in);
    fclose(in);
    if (failed) {
        fprintf(stderr, "replay: cannot read %s\n", path);
        free(data);
        return 1;
    }
    /* a copy of exactly `size` bytes, so ASan catches a read one past the end */
    uint8_t *exact = malloc(size ? size : 1);
    if (exact == NULL) {
        free(data);
        return 1;
    }
    memcpy(exact, data, size);
    free(data);
    LLVMFuzzerTestOneInput(exact, size);
    free(exact);
    return 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Run every regular file of a folder; *count gets the number run. */
static int run_folder(const char *dir, size_t *count)
{
    DIR *d = opendir(dir);
    if (d == NULL) {
        fprintf(stderr, "replay: cannot open folder %s\n", dir);
        return 1;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') continue;
        if (n == cap) {
            char **bigger = realloc(names, (cap = cap ? 2 * cap : 64) * sizeof *names);
            if (bigger == NULL) break;
            names = bigger;
        }
        size_t len = strlen(dir) + strlen(e->d_name) + 2;
        if ((names[n] = malloc(len)) == NULL) break;
        snprintf(names[n++], len, "%s/%s", dir, e->d_name);
    }
    closedir(d);
    if (n > 1) qsort(names, n, sizeof *names, by_name);
    int failed = 0;
    for (size_t k = 0; k < n; k++) {
        struct stat st;
        if (stat(names[k], &st) == 0 && S_ISREG(st.st_mode)) {
            failed |= run_file(names[k]);
            (*count)++;
        }
        free(names[k]);
    }
    free(names);
    return failed;
}

int main(int argc, char **argv)
{
    int failed = 0;
    size_t count = 0;
    for (int a = 1; a < argc; a++) {
        struct stat st;
        if (stat(argv[a], &st) != 0) {
            fprintf(stderr, "replay: no such file or folder: %s\n", argv[a]);
            failed = 1;
        } else if (S_ISDIR(st.st_mode)) {
            failed |= run_folder(argv[a], &count);
        } else {
            failed |= run_file(argv[a]);
            count++;
        }
    }
    printf("replay: %zu inputs run\n", count);
    return failed || count == 0;
}
