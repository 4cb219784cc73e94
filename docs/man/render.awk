# render.awk: one manual page from its source (troff, man macros), with the placeholder lines
# replaced by what the built survkit says about itself (see render.sh). Variables:
#   commands  file of `survkit --help` records (completion/survkit-help.awk)
#   records   file of `survkit CMD --help` records, or "" for survkit.1 and survkit.3
#   cmd       the command, or ""
#   include   the include directory (for @MODULES@)
#   version, date

# Text as troff shows it literally: backslashes, option dashes as minus signs ("\-"), and no
# leading '.' or "'" (a request).
function esc(s,    out, i, c, before, after) {
    out = ""
    for (i = 1; i <= length(s); i++) {
        c = substr(s, i, 1)
        before = i > 1 ? substr(s, i - 1, 1) : " "
        after = substr(s, i + 1, 1)
        if (c == "\\") out = out "\\e"
        else if (c == "-" && (before == "-" || after == "-" || (before ~ /[ (]/ && after ~ /[A-Za-z]/)))
            out = out "\\-"
        else out = out c
    }
    if (out ~ /^[.']/) out = "\\&" out
    return out
}

function field(line, k,    parts) {
    split(line, parts, "\t")
    return parts[k]
}

function name_section(    line) {
    print ".SH NAME"
    while ((getline line < commands) > 0)
        if (field(line, 1) == "command" && field(line, 2) == cmd)
            print "survkit\\-" cmd " \\- " esc(field(line, 3))
    close(commands)
}

function synopsis_section(    line, usage, n, alts, i, first) {
    print ".SH SYNOPSIS"
    print ".nf"
    while ((getline line < records) > 0) {
        if (field(line, 1) != "usage") continue
        n = split(field(line, 2), alts, / \| /)
        for (i = 1; i <= n; i++) {
            usage = alts[i]
            if (match(usage, /^survkit [a-z][a-z0-9-]*/)) {
                first = substr(usage, 1, RLENGTH)
                print "\\fB" first "\\fR" esc(substr(usage, RLENGTH + 1))
            } else {                               # "... | --model FILE DATA"
                print "\\fBsurvkit " cmd "\\fR " esc(usage)
            }
        }
    }
    close(records)
    print ".fi"
}

function options_section(    line, n, f, left) {
    print ".SH OPTIONS"
    while ((getline line < records) > 0) {
        n = split(line, f, "\t")
        if (f[1] != "option") continue
        left = (f[3] != "" ? "\\fB\\-" f[3] "\\fR, " : "") "\\fB\\-\\-" esc(f[2]) "\\fR"
        if (f[4] != "") left = left " \\fI" esc(f[4]) "\\fR"
        print ".TP"
        print left
        print esc(f[6])
    }
    close(records)
}

function commands_list(    line) {
    while ((getline line < commands) > 0) {
        if (field(line, 1) != "command") continue
        print ".TP"
        print "\\fBsurvkit " field(line, 2) "\\fR"
        print esc(field(line, 3)) "; see"
        print ".BR survkit\\-" field(line, 2) " (1)."
    }
    close(commands)
}

# each header survkit.h includes, with its opening comment's first sentence
function modules_list(    top, line, m, file, text, started) {
    top = include "/survkit/survkit.h"
    while ((getline line < top) > 0) {
        if (line !~ /^#include "survkit\/[a-z_]+\.h"/) continue
        m = line
        sub(/^#include "survkit\//, "", m)
        sub(/\.h".*$/, "", m)
        file = include "/survkit/" m ".h"
        text = ""
        started = 0
        while ((getline line < file) > 0) {
            if (line ~ /^\/\*/) { started = 1; continue }
            if (!started) continue
            if (line ~ /^ *\*\// || line ~ /^ *\*? *$/) break
            sub(/^ *\* ?/, "", line)
            text = text (text == "" ? "" : " ") line
        }
        close(file)
        sub(/^survkit\/[a-z_]+\.h: */, "", text)
        if (match(text, /\. /)) text = substr(text, 1, RSTART)
        print ".TP"
        print "\\fI<survkit/" m ".h>\\fR"
        print esc(text)
    }
    close(top)
}

function exit_status_section() {
    print ".SH EXIT STATUS"
    print ".TP"
    print ".B 0"
    print "success; warnings (non\\-convergence, dropped rows) go to standard error"
    print ".TP"
    print ".B 2"
    print "the command line or the data is unusable: one message on standard error names the file,"
    print "line and column, or the formula with the position of the problem, and no output file is"
    print "written"
}

$0 == "@NAME@"        { name_section(); next }
$0 == "@SYNOPSIS@"    { synopsis_section(); next }
$0 == "@OPTIONS@"     { options_section(); next }
$0 == "@COMMANDS@"    { commands_list(); next }
$0 == "@MODULES@"     { modules_list(); next }
$0 == "@EXIT_STATUS@" { exit_status_section(); next }
{
    gsub(/@VERSION@/, version)
    gsub(/@DATE@/, date)
    print
}
