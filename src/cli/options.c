/* options.c: parsing a command's arguments: the shared options and the command's own table. */
#include "cli.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Does the command sort string levels? Those that build a model frame from a formula (-f, or a
 * model file's) read a response, so they are the ones offering --no-timefix; and describe. */
static bool builds_frames(const cli_common *common)
{
    return common->needs_formula || common->accepts_timefix || common->accepts_collate;
}

/* The options every command has; which of them apply depends on the command. */
static void print_help(const cli_common *common, const cli_option *options, size_t n_options,
                       const char *usage, const char *description)
{
    printf("usage: %s\n\n%s\n\noptions:\n", usage, description);
    if (common->needs_formula)
        printf("  -f, --formula F        R model formula, e.g. 'Surv(time, status) ~ age + sex'\n");
    for (size_t k = 0; k < n_options; k++) {
        char left[64];
        const cli_option *o = &options[k];
        if (o->short_name)
            snprintf(left, sizeof left, "-%c, --%s%s%s", o->short_name, o->long_name,
                     o->value_name ? " " : "", o->value_name ? o->value_name : "");
        else
            snprintf(left, sizeof left, "    --%s%s%s", o->long_name, o->value_name ? " " : "",
                     o->value_name ? o->value_name : "");
        printf("  %-22s %s\n", left, o->help);
    }
    if (common->accepts_weights) printf("      --weights COLUMN   case weights\n");
    if (common->accepts_timefix)
        printf("      --no-timefix       keep times that differ only by round-off apart (R's\n"
               "                         timefix = FALSE; by default they are one time, as in R)\n");
    if (builds_frames(common))
        printf("      --collate ORDER    order of string levels: utf8 (default; R in a UTF-8\n"
               "                         locale) or C (bytes, R's LC_COLLATE=C)\n");
    printf("      --format FORMAT    text (default), json or csv\n"
           "  -o, --output FILE      write the result to FILE (default: standard output)\n"
           "      --sep C            field separator: ',' 'tab' ';' (default: detected)\n"
           "      --encoding E       the data's text: utf-8 (default), latin1 or cp1252\n"
           "      --na TOKEN         also read TOKEN as a missing value (repeatable)\n"
           "      --no-labels        SPSS/Stata/SAS: value-labelled columns keep their codes\n"
           "      --timings          report stage wall times\n"
           "      --quiet            no warnings or progress on standard error\n"
           "  -h, --help             this help\n");
}

static bool parse_double(const char *text, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(text, &end);
    if (end == text || *end != '\0' || errno == ERANGE || !isfinite(v)) return false;
    *out = v;
    return true;
}

static bool parse_long(const char *text, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (end == text || *end != '\0' || errno == ERANGE) return false;
    *out = v;
    return true;
}

static bool parse_separator(const char *text, char *out)
{
    if (strcmp(text, "tab") == 0 || strcmp(text, "\\t") == 0 || strcmp(text, "\t") == 0) *out = '\t';
    else if (strcmp(text, ",") == 0 || strcmp(text, "comma") == 0) *out = ',';
    else if (strcmp(text, ";") == 0 || strcmp(text, "semicolon") == 0) *out = ';';
    else return false;
    return true;
}

/* Set a shared option. Returns 1 if `name` is a shared option (consuming `value`), 0 if not,
 * -1 on a bad value (reported). */
static int set_common(cli_common *common, const char *name, char short_name, const char *value)
{
    if ((name && strcmp(name, "formula") == 0) || short_name == 'f') {
        if (!common->needs_formula) return 0;
        common->formula = value;
    } else if ((name && strcmp(name, "output") == 0) || short_name == 'o') {
        common->output_path = value;
    } else if (name && strcmp(name, "format") == 0) {
        if (strcmp(value, "text") == 0) common->format = CLI_FORMAT_TEXT;
        else if (strcmp(value, "json") == 0) common->format = CLI_FORMAT_JSON;
        else if (strcmp(value, "csv") == 0) common->format = CLI_FORMAT_CSV;
        else return cli_fail(common, "--format takes text, json or csv, not '%s'", value), -1;
    } else if (name && strcmp(name, "collate") == 0) {
        if (!builds_frames(common)) return 0;
        common->collate_given = true;
        if (strcmp(value, "C") == 0 || strcmp(value, "POSIX") == 0) common->collate_c = true;
        else if (strcmp(value, "utf8") == 0 || strcmp(value, "UTF-8") == 0)
            common->collate_c = false;
        else return cli_fail(common, "--collate takes utf8 or C, not '%s'", value), -1;
    } else if (name && strcmp(name, "weights") == 0) {
        if (!common->accepts_weights) return 0;
        common->weights = value;
    } else if (name && strcmp(name, "sep") == 0) {
        if (!parse_separator(value, &common->separator))
            return cli_fail(common, "--sep takes ',', ';' or 'tab', not '%s'", value), -1;
    } else if (name && strcmp(name, "encoding") == 0) {
        if (!survkit_encoding_parse(value, &common->encoding))
            return cli_fail(common, "--encoding takes utf-8, latin1 or cp1252, not '%s'", value), -1;
    } else if (name && strcmp(name, "na") == 0) {
        if (common->n_na_tokens == CLI_MAX_NA_TOKENS)
            return cli_fail(common, "at most %d --na tokens", CLI_MAX_NA_TOKENS), -1;
        common->na_tokens[common->n_na_tokens++] = value;
    } else {
        return 0;
    }
    return 1;
}

static bool is_common_flag(cli_common *common, const char *name)
{
    if (strcmp(name, "timings") == 0) common->timings = true;
    else if (strcmp(name, "quiet") == 0) common->quiet = true;
    else if (strcmp(name, "no-labels") == 0) common->no_labels = true;
    else if (strcmp(name, "no-timefix") == 0 && common->accepts_timefix) common->no_timefix = true;
    else return false;
    return true;
}

static const cli_option *find_option(const cli_option *options, size_t n, const char *name,
                                     char short_name)
{
    for (size_t k = 0; k < n; k++) {
        if (name && strcmp(options[k].long_name, name) == 0) return &options[k];
        if (!name && short_name && options[k].short_name == short_name) return &options[k];
    }
    return NULL;
}

static int set_option(const cli_common *common, const cli_option *o, const char *value)
{
    switch (o->kind) {
    case CLI_OPT_FLAG: *(bool *)o->target = true; break;
    case CLI_OPT_STRING: *(const char **)o->target = value; break;
    case CLI_OPT_DOUBLE:
        if (!parse_double(value, (double *)o->target))
            return cli_fail(common, "--%s takes a number, not '%s'", o->long_name, value);
        break;
    case CLI_OPT_INT:
        if (!parse_long(value, (long *)o->target))
            return cli_fail(common, "--%s takes a whole number, not '%s'", o->long_name, value);
        break;
    }
    return -1;
}

int cli_parse(int argc, char **argv, cli_common *common, const cli_option *options,
              size_t n_options, const char *usage, const char *description)
{
    common->command = argv[0];
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
            print_help(common, options, n_options, usage, description);
            return CLI_EXIT_OK;
        }
        if (arg[0] != '-' || strcmp(arg, "-") == 0) {
            if (common->no_data)
                return cli_fail(common, "takes no data file ('%s')", arg);
            if (common->data_path != NULL)
                return cli_fail(common, "more than one data file given ('%s' and '%s')",
                                common->data_path, arg);
            common->data_path = arg;
            continue;
        }
        /* "--name value", "--name=value", "-x value" */
        char name_buf[128];
        const char *name = NULL, *inline_value = NULL;
        char short_name = 0;
        if (arg[1] == '-') {
            const char *eq = strchr(arg + 2, '=');
            size_t len = eq ? (size_t)(eq - arg - 2) : strlen(arg + 2);
            if (len >= sizeof name_buf) return cli_fail(common, "unknown option '%s'", arg);
            memcpy(name_buf, arg + 2, len);
            name_buf[len] = '\0';
            name = name_buf;
            inline_value = eq ? eq + 1 : NULL;
        } else {
            if (arg[2] != '\0') inline_value = arg + 2;
            short_name = arg[1];
        }
        if (name && is_common_flag(common, name)) continue;
        const cli_option *o = find_option(options, n_options, name, short_name);
        if (o != NULL && o->kind == CLI_OPT_FLAG) {
            if (inline_value) return cli_fail(common, "option '%s' takes no value", arg);
            set_option(common, o, NULL);
            continue;
        }
        const char *value = inline_value;
        if (value == NULL) {
            if (i + 1 >= argc) return cli_fail(common, "option '%s' needs a value", arg);
            value = argv[++i];
        }
        if (o != NULL) {
            int status = set_option(common, o, value);
            if (status >= 0) return status;
            continue;
        }
        int shared = set_common(common, name, short_name, value);
        if (shared < 0) return CLI_EXIT_USAGE;
        if (shared == 0) return cli_fail(common, "unknown option '%s' (see survkit %s --help)", arg, common->command);
    }
    if (common->needs_formula && common->formula == NULL)
        return cli_fail(common, "no formula: give one with -f 'Surv(time, status) ~ ...'");
    if (common->data_path == NULL && !common->no_data) return cli_fail(common, "no data file given (use '-' for standard input)");
    return -1;
}
