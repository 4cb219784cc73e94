/*
 * fuzz_options.c: the command line of the survkit commands (issue 21, defects 1 and 2): option
 * parsing, every option's error path and the output paths, under the sanitizers. An out-of-range
 * --quantiles value used to be reported after its array was freed; this target runs such paths
 * for every command with arbitrary arguments.
 *
 * Input: the first byte picks the command (km, logrank, cox, zph, residuals, predict, basehaz,
 * describe; simulate is left out: its output is as large as asked); the rest, split at newlines,
 * are the arguments. The commands run in a private sandbox folder holding a small
 * data file (lung.csv, 40 rows of survival's lung) and a saved model (model.json): an argument
 * that holds a '/' is mapped into the sandbox (its last component), so no output lands outside;
 * standard input is /dev/null (empty) and standard output goes there too. The two inputs are
 * written again after every run (an output may have been written over them).
 * Checked after every run: the exit status is 0 or 2, and no temporary file is left behind.
 */
#include "fuzz_support.h"
#include "cli.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const names[] = {"km", "logrank", "cox", "zph", "residuals", "predict",
                                    "basehaz", "describe"};
static int (*const runs[])(int, char **) = {cli_km,        cli_logrank, cli_cox,     cli_zph,
                                            cli_residuals, cli_predict, cli_basehaz, cli_describe};

static char sandbox[64];
static char *model_text; /* model.json as first written */
static size_t model_len;

static const char lung_head[] =
    "inst,time,status,age,sex,ph.ecog,ph.karno,pat.karno,meal.cal,wt.loss\n"
    "3,306,2,74,1,1,90,100,1175,NA\n3,455,2,68,1,0,90,90,1225,15\n3,1010,1,56,1,0,90,90,NA,15\n"
    "5,210,2,57,1,1,90,60,1150,11\n1,883,2,60,1,0,100,90,NA,0\n12,1022,1,74,1,1,50,80,513,0\n"
    "7,310,2,68,2,2,70,60,384,10\n11,361,2,71,2,2,60,80,538,1\n1,218,2,53,1,1,70,80,825,16\n"
    "7,166,2,61,1,2,70,70,271,34\n6,170,2,57,1,1,80,80,1025,27\n16,654,2,68,2,2,70,70,NA,23\n"
    "11,728,2,68,2,1,90,90,NA,5\n21,71,2,60,1,NA,60,70,1225,32\n12,567,2,57,1,1,80,70,2600,60\n"
    "1,144,2,67,1,1,80,90,NA,15\n22,613,2,70,1,1,90,100,1150,-5\n16,707,2,63,1,2,50,70,1025,22\n"
    "1,61,2,56,2,2,60,60,238,10\n21,88,2,57,1,1,90,80,1175,NA\n11,301,2,67,1,1,80,80,1025,17\n"
    "6,81,2,49,2,0,100,70,1175,-8\n11,624,2,50,1,1,70,50,NA,16\n15,371,2,58,1,0,90,100,975,13\n"
    "12,394,2,72,1,2,60,70,NA,0\n12,520,2,70,2,1,90,80,825,6\n4,574,2,60,1,1,80,60,1025,-13\n"
    "13,118,2,70,1,3,60,70,1075,20\n13,390,2,53,1,1,80,70,875,-7\n1,12,2,74,1,2,70,50,305,20\n"
    "12,473,2,69,2,1,90,90,1025,-1\n1,26,2,72,1,1,80,60,NA,30\n16,533,2,69,1,1,70,60,NA,-2\n"
    "1,107,2,60,2,2,50,60,925,52\n22,53,2,69,1,2,70,60,1075,20\n16,122,2,69,1,2,70,60,NA,0\n"
    "21,814,2,75,1,2,60,60,NA,0\n15,965,1,66,2,1,70,90,875,4\n1,93,2,63,1,2,50,70,1025,NA\n";

static void check(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz_options: %s\n", what);
        abort();
    }
}

static void put_file(const char *name, const char *text, size_t len)
{
    FILE *f = fopen(name, "wb");
    check(f != NULL && fwrite(text, 1, len, f) == len && fclose(f) == 0, "cannot write an input");
}

static void set_up(void)
{
    snprintf(sandbox, sizeof sandbox, "/tmp/survkit-fuzz-options-XXXXXX");
    check(mkdtemp(sandbox) != NULL, "mkdtemp");
    check(chdir(sandbox) == 0, "chdir");
    put_file("lung.csv", lung_head, sizeof lung_head - 1);
    int null_fd = open("/dev/null", O_RDWR);
    check(null_fd >= 0 && dup2(null_fd, STDIN_FILENO) == STDIN_FILENO &&
              dup2(null_fd, STDOUT_FILENO) == STDOUT_FILENO,
          "cannot point standard input and output at /dev/null");
    close(null_fd);
    char arg0[] = "cox", arg1[] = "-f", arg2[] = "Surv(time, status) ~ age + sex + ph.ecog",
         arg3[] = "--save", arg4[] = "model.json", arg5[] = "--quiet", arg6[] = "lung.csv";
    char *argv[] = {arg0, arg1, arg2, arg3, arg4, arg5, arg6, NULL};
    check(cli_cox(7, argv) == 0, "cannot save model.json");
    FILE *f = fopen("model.json", "rb");
    check(f != NULL, "model.json");
    model_text = malloc(1 << 20);
    check(model_text != NULL, "malloc");
    model_len = fread(model_text, 1, 1 << 20, f);
    fclose(f);
}

/* Remove what a run wrote (everything but the two inputs); abort on a temporary file. */
static void clean_sandbox(void)
{
    DIR *d = opendir(".");
    check(d != NULL, "sandbox");
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 ||
            strcmp(e->d_name, "lung.csv") == 0 || strcmp(e->d_name, "model.json") == 0)
            continue;
        check(strstr(e->d_name, ".tmp.") == NULL, "a temporary output file was left behind");
        if (unlink(e->d_name) != 0) rmdir(e->d_name);
    }
    closedir(d);
    put_file("lung.csv", lung_head, sizeof lung_head - 1);
    put_file("model.json", model_text, model_len);
}

/* The argument as the command will see it: paths kept inside the sandbox. */
static char *sandboxed(const char *arg, size_t len)
{
    char *out = malloc(len + 16);
    check(out != NULL, "malloc");
    memcpy(out, arg, len);
    out[len] = '\0';
    char *slash = strrchr(out, '/');
    if (slash == NULL) return out;
    char *eq = out[0] == '-' ? strchr(out, '=') : NULL; /* --option=/path */
    char *tail = slash + 1;
    if (eq != NULL && eq < slash) {
        memmove(eq + 1, tail, strlen(tail) + 1);
    } else {
        memmove(out, tail, strlen(tail) + 1);
    }
    if (out[0] == '\0' || (eq != NULL && eq[1] == '\0')) strcat(out, "x");
    return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (sandbox[0] == '\0') set_up();
    if (size == 0) return 0;
    enum { MAX_ARGS = 24 };
    char *argv[MAX_ARGS + 1];
    int argc = 1;
    const size_t which = data[0] % (sizeof names / sizeof names[0]);
    argv[0] = malloc(16);
    check(argv[0] != NULL, "malloc");
    strcpy(argv[0], names[which]);
    const char *text = (const char *)data + 1, *end = (const char *)data + size;
    while (text < end && argc < MAX_ARGS) {
        const char *nl = memchr(text, '\n', (size_t)(end - text));
        size_t len = (size_t)((nl ? nl : end) - text);
        if (memchr(text, '\0', len) == NULL) argv[argc++] = sandboxed(text, len);
        text += len + 1;
    }
    argv[argc] = NULL;
    const int status = runs[which](argc, argv);
    check(status == 0 || status == 2, "exit status neither 0 nor 2");
    fflush(stdout);
    for (int k = 0; k < argc; k++) free(argv[k]);
    clean_sandbox();
    return 0;
}
