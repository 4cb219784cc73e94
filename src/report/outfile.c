/*
 * outfile.c: all-or-nothing output files that respect what the path names (outfile.h).
 *
 * Why not simply "write a temporary file, rename it over the path": rename replaces whatever the
 * path named. A device (/dev/null), a FIFO or /dev/stdout would become a regular file (as root,
 * the system's own /dev/null), a symbolic link would become a file, the target's permissions would
 * be reset and its other hard links would keep the old contents. So the kind of target is decided
 * first, from what the path names once links are followed.
 */
#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- temporary files removed on a fatal signal ---- */

#define LIVE_SLOTS 16

/* The live temporary files' names. Written by the owning thread, read by the signal handler:
 * a slot is set only after its string is complete and cleared before the string is freed. */
static char *volatile live[LIVE_SLOTS];
static volatile sig_atomic_t handlers_installed;

static const int cleanup_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGPIPE};

/* unlink and raise are async-signal-safe. The handler was installed with SA_RESETHAND, so the
 * signal raised again (delivered when the handler returns) ends the process as it would have. */
static void remove_live_files(int sig)
{
    for (int k = 0; k < LIVE_SLOTS; k++) {
        char *name = live[k];
        if (name != NULL) unlink(name);
    }
    raise(sig);
}

static void install_handlers(void)
{
    if (handlers_installed) return;
    handlers_installed = 1;
    for (size_t k = 0; k < sizeof cleanup_signals / sizeof cleanup_signals[0]; k++) {
        struct sigaction old;
        if (sigaction(cleanup_signals[k], NULL, &old) != 0 || old.sa_handler != SIG_DFL) continue;
        struct sigaction act;
        memset(&act, 0, sizeof act);
        act.sa_handler = remove_live_files;
        act.sa_flags = SA_RESETHAND;
        sigemptyset(&act.sa_mask);
        sigaction(cleanup_signals[k], &act, NULL);
    }
}

static int live_add(char *name)
{
    install_handlers();
    for (int k = 0; k < LIVE_SLOTS; k++)
        if (live[k] == NULL) {
            live[k] = name;
            return k + 1;
        }
    return 0; /* more than LIVE_SLOTS outputs at once: still removed on every other path */
}

static void live_remove(int slot)
{
    if (slot > 0 && slot <= LIVE_SLOTS) live[slot - 1] = NULL;
}

/* ---- errors ---- */

static survkit_status fail(survkit_error *err, survkit_status status, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static survkit_status fail(survkit_error *err, survkit_status status, const char *fmt, ...)
{
    if (err != NULL) {
        survkit_error_clear(err);
        err->status = status;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->message, sizeof err->message, fmt, ap);
        va_end(ap);
    }
    return status;
}

static survkit_status fail_errno(report_outfile *out, survkit_error *err, const char *path,
                                 int code)
{
    survkit_status status = code == ENOMEM ? SURVKIT_ERR_NOMEM : SURVKIT_ERR_IO;
    fail(err, status, "cannot write %s: %s", path ? path : "standard output", strerror(code));
    report_outfile_abort(out);
    return status;
}

/* ---- what a path names ---- */

static char *copy_text(const char *s)
{
    size_t len = strlen(s) + 1;
    char *c = malloc(len);
    if (c != NULL) memcpy(c, s, len);
    return c;
}

/* The descriptor named by /dev/stdout, /dev/stderr, /dev/fd/N or /proc/self/fd/N; -1 otherwise.
 * Writing to a duplicate of it is what the shell's redirection to such a path means, whether it
 * holds a pipe (process substitution), a terminal or a file opened for appending. */
static int descriptor_named(const char *path)
{
    if (strcmp(path, "/dev/stdout") == 0) return STDOUT_FILENO;
    if (strcmp(path, "/dev/stderr") == 0) return STDERR_FILENO;
    const char *digits = NULL;
    if (strncmp(path, "/dev/fd/", 8) == 0) digits = path + 8;
    else if (strncmp(path, "/proc/self/fd/", 14) == 0) digits = path + 14;
    if (digits == NULL || *digits == '\0') return -1;
    long fd = 0;
    for (const char *c = digits; *c; c++) {
        if (*c < '0' || *c > '9' || fd > INT_MAX / 10) return -1;
        fd = fd * 10 + (*c - '0');
    }
    return fd <= INT_MAX ? (int)fd : -1;
}

/* The path a chain of symbolic links ends at (at most 40 links, the kernel's limit), so the
 * temporary file is made beside the real file and the link itself stays. A link to a file that
 * does not exist yet gives that file's path (the shell's redirection creates it there too).
 * NULL with errno set on failure. */
static char *follow_links(const char *path)
{
    char *current = copy_text(path);
    for (int hops = 0; current != NULL; hops++) {
        struct stat st;
        if (lstat(current, &st) != 0 || !S_ISLNK(st.st_mode)) return current;
        if (hops == 40) {
            free(current);
            errno = ELOOP;
            return NULL;
        }
        size_t cap = (size_t)st.st_size + 2 > 256 ? (size_t)st.st_size + 2 : 256;
        char *link = malloc(cap);
        ssize_t len = link ? readlink(current, link, cap) : -1;
        if (len < 0 || (size_t)len >= cap) { /* gone or grown since lstat: give up on it */
            int code = len < 0 && link ? errno : link ? EAGAIN : ENOMEM;
            free(link);
            free(current);
            errno = code;
            return NULL;
        }
        link[len] = '\0';
        char *next = link;
        const char *slash = strrchr(current, '/');
        if (link[0] != '/' && slash != NULL) { /* relative to the link's own folder */
            size_t dir = (size_t)(slash - current) + 1;
            next = malloc(dir + (size_t)len + 1);
            if (next != NULL) {
                memcpy(next, current, dir);
                memcpy(next + dir, link, (size_t)len + 1);
            }
            free(link);
        }
        free(current);
        current = next;
        if (current == NULL) errno = ENOMEM;
    }
    return NULL;
}

static survkit_status open_direct(report_outfile *out, int fd, survkit_error *err)
{
    out->kind = REPORT_OUTFILE_DIRECT;
    out->stream = fdopen(fd, "w");
    if (out->stream == NULL) {
        int code = errno;
        close(fd);
        return fail_errno(out, err, out->path, code);
    }
    return SURVKIT_OK;
}

/* Give the temporary file what the existing target has: owner and group where this process may
 * (root; or a group it belongs to), then the mode (after chown, which may clear set-id bits). */
static void copy_attributes(int fd, const struct stat *target)
{
    if (target->st_uid != geteuid() || target->st_gid != getegid()) {
        if (fchown(fd, target->st_uid, target->st_gid) != 0 &&
            fchown(fd, (uid_t)-1, target->st_gid) != 0) {
            /* not permitted: the result is this user's, as any newly written file */
        }
    }
    (void)fchmod(fd, target->st_mode & 07777);
}

survkit_status report_outfile_open(report_outfile *out, const char *path, survkit_error *err)
{
    memset(out, 0, sizeof *out);
    if (path == NULL || strcmp(path, "-") == 0) {
        out->kind = REPORT_OUTFILE_STDOUT;
        out->stream = stdout;
        return SURVKIT_OK;
    }
    if (path[0] == '\0') return fail(err, SURVKIT_ERR_IO, "cannot write '': empty file name");
    out->path = copy_text(path);
    if (out->path == NULL) return fail_errno(out, err, path, ENOMEM);

    const int numbered = descriptor_named(path);
    if (numbered >= 0) {
        int fd = fcntl(numbered, F_DUPFD_CLOEXEC, 3);
        if (fd < 0) return fail_errno(out, err, path, errno);
        return open_direct(out, fd, err);
    }

    out->target = follow_links(path);
    if (out->target == NULL) return fail_errno(out, err, path, errno);
    struct stat st;
    const bool exists = stat(out->target, &st) == 0;
    if (!exists && errno != ENOENT) return fail_errno(out, err, path, errno);
    if (exists && S_ISDIR(st.st_mode)) return fail_errno(out, err, path, EISDIR);
    if (exists && !S_ISREG(st.st_mode)) { /* device, FIFO, socket: never replaced */
        int fd = open(out->target, O_WRONLY | O_NOCTTY | O_CLOEXEC);
        if (fd < 0) return fail_errno(out, err, path, errno);
        return open_direct(out, fd, err);
    }
    /* A file this user may not write stays as it is, as with a plain open for writing. */
    if (exists && access(out->target, W_OK) != 0) return fail_errno(out, err, path, errno);

    const size_t len = strlen(out->target);
    out->temp = malloc(len + 16);
    if (out->temp == NULL) return fail_errno(out, err, path, ENOMEM);
    snprintf(out->temp, len + 16, "%s.tmp.XXXXXX", out->target);
    int fd = mkstemp(out->temp);
    if (fd < 0) {
        int code = errno;
        free(out->temp);
        out->temp = NULL;
        return fail_errno(out, err, path, code);
    }
    out->slot = live_add(out->temp);
    if (exists) {
        copy_attributes(fd, &st);
    } else { /* mkstemp makes 0600; a new file gets what a plain open would give (0666 & ~umask) */
        mode_t mask = umask(0);
        umask(mask);
        (void)fchmod(fd, 0666 & ~mask);
    }
    out->kind = exists && st.st_nlink > 1 ? REPORT_OUTFILE_COPY : REPORT_OUTFILE_RENAME;
    out->stream = fdopen(fd, "w");
    if (out->stream == NULL) {
        int code = errno;
        close(fd);
        return fail_errno(out, err, path, code);
    }
    return SURVKIT_OK;
}

/* ---- finishing ---- */

static void release(report_outfile *out)
{
    live_remove(out->slot);
    free(out->path);
    free(out->target);
    free(out->temp);
    memset(out, 0, sizeof *out);
}

survkit_status report_outfile_finish(report_outfile *out, survkit_error *err)
{
    if (out->kind == REPORT_OUTFILE_NONE || out->stream == NULL) return SURVKIT_OK;
    if (out->kind == REPORT_OUTFILE_STDOUT) {
        if (fflush(stdout) != 0 || ferror(stdout)) return fail_errno(out, err, NULL, errno);
        return SURVKIT_OK;
    }
    errno = 0;
    bool ok = fflush(out->stream) == 0 && !ferror(out->stream);
    int code = errno ? errno : EIO;
    if (fclose(out->stream) != 0 && ok) {
        ok = false;
        code = errno;
    }
    out->stream = NULL;
    if (!ok) return fail_errno(out, err, out->path, code);
    return SURVKIT_OK;
}

/* Overwrite `target` in place with the bytes of `source` (the finished temporary file), so
 * every hard link to it names the result. */
static bool copy_into(const char *source, const char *target)
{
    int in = open(source, O_RDONLY | O_CLOEXEC);
    if (in < 0) return false;
    int to = open(target, O_WRONLY | O_TRUNC | O_NOCTTY | O_CLOEXEC);
    bool ok = to >= 0;
    char buffer[65536];
    while (ok) {
        ssize_t got = read(in, buffer, sizeof buffer);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) {
            ok = got == 0;
            break;
        }
        for (ssize_t done = 0; ok && done < got;) {
            ssize_t put = write(to, buffer + done, (size_t)(got - done));
            if (put < 0 && errno == EINTR) continue;
            ok = put > 0;
            done += put > 0 ? put : 0;
        }
    }
    int code = errno;
    if (to >= 0 && close(to) != 0 && ok) {
        ok = false;
        code = errno;
    }
    close(in);
    errno = code;
    return ok;
}

survkit_status report_outfile_commit(report_outfile *out, survkit_error *err)
{
    survkit_status status = report_outfile_finish(out, err);
    if (status != SURVKIT_OK) return status;
    if (out->kind == REPORT_OUTFILE_RENAME && rename(out->temp, out->target) != 0)
        return fail_errno(out, err, out->path, errno);
    if (out->kind == REPORT_OUTFILE_COPY) {
        if (!copy_into(out->temp, out->target)) return fail_errno(out, err, out->path, errno);
        unlink(out->temp);
    }
    release(out);
    return SURVKIT_OK;
}

void report_outfile_abort(report_outfile *out)
{
    if (out->stream != NULL && out->stream != stdout) fclose(out->stream);
    out->stream = NULL;
    live_remove(out->slot);
    if (out->temp != NULL) unlink(out->temp);
    release(out);
}
