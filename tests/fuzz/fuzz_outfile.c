/*
 * fuzz_outfile.c: the output files of the CLI (src/report/outfile.c) against what a path can name
 * (issue 21, defect 1). In a private sandbox folder the input lays out a target -- nothing, a
 * file (with a mode and maybe a second hard link), a symbolic link to a file or to nothing, a
 * chain of links, a loop, a folder, a file in a missing folder, the null device -- then opens it,
 * writes the input's remaining bytes in pieces, and commits or aborts. Checked after every run:
 *  - no temporary file is left in the sandbox;
 *  - a committed output is exactly the bytes written, at the file the path names once links are
 *    followed; a link is still a link; an existing file keeps its mode and its other hard link;
 *  - an aborted or failed output leaves the old contents as they were;
 *  - a failure carries a message naming the path.
 * A violated check aborts (a finding). Input: byte 0 the layout, byte 1 the mode, byte 2 commit or
 * abort and how to split the writes; the rest the bytes to write.
 */
#include "fuzz_support.h"
#include "outfile.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char sandbox[64];

static void check(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz_outfile: %s\n", what);
        abort();
    }
}

static void path_in(char *buf, size_t size, const char *name)
{
    snprintf(buf, size, "%s/%s", sandbox, name);
}

static void write_file(const char *name, const char *text, mode_t mode)
{
    char p[128];
    path_in(p, sizeof p, name);
    int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    check(fd >= 0, "cannot lay out a file");
    check(write(fd, text, strlen(text)) == (ssize_t)strlen(text), "cannot write a file");
    close(fd);
    check(chmod(p, mode) == 0, "chmod");
}

/* The whole of a file (at most 64 KB) into buf; its length, or -1. */
static long read_whole(const char *p, char *buf, size_t cap)
{
    int fd = open(p, O_RDONLY);
    if (fd < 0) return -1;
    size_t len = 0;
    ssize_t got;
    while (len < cap && (got = read(fd, buf + len, cap - len)) > 0) len += (size_t)got;
    close(fd);
    return (long)len;
}

/* Empty the sandbox (its files, links, and the one sub-folder a layout makes). */
static void clear_sandbox(void)
{
    DIR *d = opendir(sandbox);
    check(d != NULL, "sandbox gone");
    struct dirent *e;
    char p[512];
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        snprintf(p, sizeof p, "%s/%s", sandbox, e->d_name);
        if (unlink(p) != 0) rmdir(p); /* the layout's folder */
    }
    closedir(d);
}

static int leftovers(void)
{
    DIR *d = opendir(sandbox);
    struct dirent *e;
    int n = 0;
    while ((e = readdir(d)) != NULL) n += strstr(e->d_name, ".tmp.") != NULL;
    closedir(d);
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (sandbox[0] == '\0') {
        snprintf(sandbox, sizeof sandbox, "/tmp/survkit-fuzz-outfile-XXXXXX");
        check(mkdtemp(sandbox) != NULL, "mkdtemp");
    }
    if (size < 3) return 0;
    const unsigned layout = data[0] % 10;
    const mode_t mode = 0600 | ((mode_t)(data[1] & 0x3f)); /* owner can always write */
    const int commit = data[2] & 1;
    const size_t piece = 1 + (data[2] >> 1);
    const uint8_t *bytes = data + 3;
    const size_t n = size - 3;

    clear_sandbox();
    char target[128], real[128], other[128];
    path_in(target, sizeof target, "out");
    path_in(real, sizeof real, "out");
    other[0] = '\0';
    int exists = 0, is_link = 0, expect_fail = 0;
    switch (layout) {
    case 0: break;                                                   /* a new file */
    case 1: write_file("out", "old", mode); exists = 1; break;      /* an existing file */
    case 2:                                                          /* a second hard link */
        write_file("out", "old", mode);
        path_in(other, sizeof other, "other");
        check(link(real, other) == 0, "link");
        exists = 1;
        break;
    case 3:                                                          /* link to a file */
        write_file("real", "old", mode);
        check(symlink("real", target) == 0, "symlink");
        path_in(real, sizeof real, "real");
        exists = is_link = 1;
        break;
    case 4:                                                          /* dangling link */
        check(symlink("new", target) == 0, "symlink");
        path_in(real, sizeof real, "new");
        is_link = 1;
        break;
    case 5: {                                                        /* chain of links */
        write_file("real", "old", mode);
        char mid[128];
        path_in(mid, sizeof mid, "mid");
        check(symlink("real", mid) == 0 && symlink("mid", target) == 0, "symlink");
        path_in(real, sizeof real, "real");
        exists = is_link = 1;
        break;
    }
    case 6: {                                                        /* a loop */
        char loop[128];
        path_in(loop, sizeof loop, "loop");
        check(symlink("loop", loop) == 0 && symlink("loop", target) == 0, "symlink");
        expect_fail = 1;
        break;
    }
    case 7: {                                                        /* a folder */
        check(mkdir(target, 0700) == 0, "mkdir");
        expect_fail = 1;
        break;
    }
    case 8:                                                          /* a missing folder */
        path_in(target, sizeof target, "missing/out");
        expect_fail = 1;
        break;
    default:                                                         /* a device */
        snprintf(target, sizeof target, "/dev/null");
        break;
    }

    report_outfile out;
    survkit_error err;
    survkit_error_clear(&err);
    survkit_status st = report_outfile_open(&out, target, &err);
    if (st != SURVKIT_OK) {
        check(strstr(err.message, target) != NULL, "a failure does not name the path");
        check(out.kind == REPORT_OUTFILE_NONE && out.stream == NULL, "a failed open is not closed");
        check(leftovers() == 0, "a failed open left a temporary file");
        if (!expect_fail && layout != 9) check(0, "an open that should work failed");
        return 0;
    }
    check(!expect_fail, "an open that must fail worked");
    for (size_t k = 0; k < n; k += piece) {
        size_t len = n - k < piece ? n - k : piece;
        check(fwrite(bytes + k, 1, len, out.stream) == len, "fwrite");
    }
    if (commit) {
        st = report_outfile_commit(&out, &err);
        check(st == SURVKIT_OK, "commit failed");
    } else {
        report_outfile_abort(&out);
    }
    check(out.kind == REPORT_OUTFILE_NONE && out.stream == NULL, "not closed after commit/abort");
    check(leftovers() == 0, "a temporary file was left");
    if (layout == 9) return 0;

    static char got[1 << 16];
    long len = read_whole(real, got, sizeof got);
    struct stat ls;
    if (is_link) check(lstat(target, &ls) == 0 && S_ISLNK(ls.st_mode), "the link was replaced");
    if (commit) {
        check(len == (long)n && memcmp(got, bytes, n) == 0, "the committed file is not the output");
        struct stat rs;
        check(stat(real, &rs) == 0, "stat");
        if (exists) check((rs.st_mode & 07777) == mode, "the target's mode was not kept");
        if (other[0] != '\0') {
            long len2 = read_whole(other, got, sizeof got);
            check(len2 == (long)n && memcmp(got, bytes, n) == 0, "the other hard link was broken");
            check(rs.st_nlink == 2, "the hard link count changed");
        }
    } else if (exists) {
        check(len == 3 && memcmp(got, "old", 3) == 0, "an aborted output changed the target");
    } else {
        check(len < 0, "an aborted new output left a file");
    }
    return 0;
}
