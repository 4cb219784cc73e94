# survkit-help.awk: survkit's --help text as tab-separated records. This is the one reading of the
# help that the manual pages (docs/man/render.sh) and the bash and zsh completions share, so the
# commands, options and option values they offer are always those of the survkit that is run.
#
#   survkit --help     | awk -f survkit-help.awk  ->  command NAME SUMMARY       (one per command)
#   survkit CMD --help | awk -f survkit-help.awk  ->  usage SYNOPSIS
#                                                     option LONG SHORT ARG VALUES HELP  (one each)
#
# The help layout it reads is options.c's: "  -x, --long ARG        help" or "      --long ARG  help",
# the help text from column 26 with continuation lines indented as far, and a left part longer than
# 22 characters followed by a single space; and, in the description before "options:", lines
# "  --long ARG   help" for options a command parses itself (tmerge's --event, ...). SHORT and ARG
# are empty when the option has none.
# VALUES lists the words the option accepts, space-separated, when ARG spells them ("1|2") or the
# help lists them ("efron (default), breslow or exact", "centring of lp: strata, sample or zero");
# it is empty otherwise (a number, a column, a file).

BEGIN { OFS = "\t"; section = "" }

# The accepted words of an option, or "" when its help text is not a plain list of words.
function values_of(arg, help,    text, n, items, i, word, out) {
    if (arg ~ /\|/) {
        gsub(/\|/, " ", arg)
        return arg
    }
    text = help
    while (match(text, /\([^()]*\)/))              # "(default)", "(1-S)", "(R's default)"
        text = substr(text, 1, RSTART - 1) substr(text, RSTART + RLENGTH)
    sub(/;.*$/, "", text)                          # "...; same seed, same bytes" is prose
    sub(/^[^:]*: */, "", text)                     # "confidence bands: auto, yes, no"
    gsub(/ or /, ", ", text)
    n = split(text, items, /,/)
    if (n < 2) return ""
    out = ""
    for (i = 1; i <= n; i++) {
        word = items[i]
        gsub(/^ +| +$/, "", word)
        if (word !~ /^[A-Za-z0-9][A-Za-z0-9._-]*$/) return ""
        out = out (out == "" ? "" : " ") word
    }
    return out
}

function flush_option() {
    if (long != "") print "option", long, short, arg, values_of(arg, help), help
    long = ""
}

# An option's first line: "-x, --long ARG   help", "    --long ARG   help" (leading two spaces gone).
function start_option(line,    rest, token, after) {
    flush_option()
    short = ""
    arg = ""
    help = ""
    if (line ~ /^-[A-Za-z0-9], /) {
        short = substr(line, 2, 1)
        line = substr(line, 5)
    }
    sub(/^ +/, "", line)
    match(line, /^--[A-Za-z0-9][A-Za-z0-9-]*/)
    long = substr(line, 3, RLENGTH - 2)
    rest = substr(line, RLENGTH + 1)
    if (rest == "" || rest ~ /^  /) {         # no ARG: help after two or more spaces
        help = rest
    } else {                                       # " ARG   help", or " help" past column 24
        rest = substr(rest, 2)
        token = rest
        if (token ~ /^'[^']*'/) {                  # a quoted ARG may hold spaces: 'Surv(t, s)'
            match(token, /^'[^']*'/)
            token = substr(token, 1, RLENGTH)
        } else {
            sub(/ .*$/, "", token)
        }
        after = substr(rest, length(token) + 1)
        if (after ~ /^  / || after == "" || token ~ /^'/ ||
            (token ~ /^[][A-Z0-9|,.:=_-]+$/ && token ~ /[A-Z0-9|]/)) {
            arg = token
            help = after
        } else {
            help = rest
        }
    }
    gsub(/^ +| +$/, "", help)
}

/^usage: / && section == "" {
    line = $0
    sub(/^usage: +/, "", line)
    print "usage", line
    section = "description"
    next
}
/^commands:$/ { section = "commands"; next }
/^options:$/ { flush_option(); section = "options"; next }
# options a command parses itself are listed in its description, indented by two spaces
section == "description" && /^  --[A-Za-z0-9]/ { start_option($0); next }
section == "description" { flush_option(); next }
section == "commands" && /^  [a-z][a-z0-9-]* / {
    name = $1
    summary = $0
    sub(/^  [^ ]+ +/, "", summary)
    print "command", name, summary
    next
}
section == "commands" && /^$/ { section = "" ; next }
section == "options" && (/^  -[A-Za-z0-9], --/ || /^      --/) { start_option(substr($0, 3)); next }
section == "options" && /^         +[^ ]/ && long != "" {
    line = $0
    sub(/^ +/, "", line)
    help = help " " line
    next
}
section == "options" && /^$/ { flush_option(); section = ""; next }
END { flush_option() }
