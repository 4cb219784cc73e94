#!/usr/bin/env bash
# test_completion.sh SURVKIT BUILD_DIR SOURCE_DIR: the bash completion of the build
# (completion/survkit.bash.in), run as bash-completion runs it, against what survkit's help says
# (read here with sed, independently of completion/survkit-help.awk):
#  - the first word completes to exactly the commands of `survkit --help`;
#  - for every command, "--" completes to exactly the long options of `survkit CMD --help`;
#  - option values (--ties, --format, --conf-type, --transform, --type, --ties=...), file names
#    (-o, DATA) and column names (--weights) complete;
#  - the zsh completion parses (when zsh is installed).
set -euo pipefail
survkit=$1 build=$2 source=$3
fail=0
bad() { echo "FAIL: $*" >&2; fail=1; }
[ -r /usr/share/bash-completion/bash_completion ] ||
    { echo "FAIL: bash-completion is not installed" >&2; exit 1; }

# complete WORD... : the completions bash offers for the last word, sorted, one per line
complete_words() {
    SURVKIT_HELP_AWK=$source/completion/survkit-help.awk bash --norc -c '
        source /usr/share/bash-completion/bash_completion
        source "$1"
        shift
        COMP_WORDS=("$@")
        COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
        COMP_LINE="${COMP_WORDS[*]}"
        COMP_POINT=${#COMP_LINE}
        _survkit
        printf "%s\n" "${COMPREPLY[@]}"' _ "$build/completion/survkit" "$survkit" "$@" | sort -u
}
# complete_at INDEX WORD... : the same with the cursor on word INDEX (survkit is word 0), words
# after it too
complete_at() {
    local index=$1
    shift
    SURVKIT_HELP_AWK=$source/completion/survkit-help.awk bash --norc -c '
        source /usr/share/bash-completion/bash_completion
        source "$1"
        COMP_CWORD=$2
        shift 2
        COMP_WORDS=("$@")
        COMP_LINE="${COMP_WORDS[*]}"
        line="${COMP_WORDS[*]:0:COMP_CWORD+1}"
        COMP_POINT=${#line}
        _survkit
        printf "%s\n" "${COMPREPLY[@]}"' _ "$build/completion/survkit" "$index" "$survkit" "$@" | sort
}
expect() { # expect WHAT EXPECTED ACTUAL
    [ "$2" = "$3" ] || bad "$1: expected [$(tr '\n' ' ' <<< "$2")], got [$(tr '\n' ' ' <<< "$3")]"
}
expect_has() { # expect_has WHAT WORD ACTUAL
    grep -qx -- "$2" <<< "$3" || bad "$1: '$2' not offered (got: $(tr '\n' ' ' <<< "$3"))"
}

cd "$source"
commands=$("$survkit" --help | sed -n '/^commands:$/,/^$/s/^  \([a-z][a-z0-9-]*\) .*/\1/p' | sort)
expect "survkit <TAB>" "$commands" "$(complete_words '')"
expect "survkit --<TAB>" "$(printf -- '--help\n--version')" "$(complete_words --)"

for cmd in $commands; do
    options=$("$survkit" "$cmd" --help |
        sed -n 's/^  \(-[A-Za-z0-9], \|    \|\)\(--[a-z0-9][a-z0-9-]*\).*/\2/p' | sort -u)
    expect "survkit $cmd --<TAB>" "$options" "$(complete_words "$cmd" --)"
    # --format completes to the formats its help names
    formats=$("$survkit" "$cmd" --help | grep -- '^ *--format ' | grep -o '\b\(text\|json\|csv\)\b' | sort -u || true)
    if [ -n "$formats" ]; then
        expect "survkit $cmd --format <TAB>" "$formats" "$(complete_words "$cmd" --format '')"
    fi
done

expect "cox --ties <TAB>" "$(printf 'breslow\nefron\nexact')" "$(complete_words cox --ties '')"
expect "cox --ties=br<TAB>" "breslow" "$(complete_words cox --ties=br)"
expect "cox --t<TAB>" "$(printf -- '--ties\n--timings')" "$(complete_words cox --t)"
expect "km --conf-type log<TAB>" "$(printf 'log\nlog-log\nlogit')" "$(complete_words km --conf-type log)"
expect "zph --transform <TAB>" "$(printf 'identity\nkm\nlog\nrank')" "$(complete_words zph --transform '')"
expect_has "residuals --type <TAB>" dfbetas "$(complete_words residuals --type '')"
if "$survkit" ipw --help | grep -q -- --plot-kind; then # a build with pictures (SURVKIT_PLOTS)
    expect "ipw --plot-kind <TAB>" "$(printf 'both\nlove\nps')" "$(complete_words ipw --plot-kind '')"
    expect "cuminc --plot-ci <TAB>" "$(printf 'auto\nno\nyes')" "$(complete_words cuminc --plot-ci '')"
    expect_has "cuminc --plot-s<TAB>" --plot-stacked "$(complete_words cuminc --plot-s)"
    expect "cuminc --plot datasets/pb<TAB>" "datasets/pbc.csv" "$(complete_words cuminc --plot datasets/pb)"
fi
expect "cox --init <TAB> (a list of numbers)" "" "$(complete_words cox --init '')"
expect "cox -o datasets/lun<TAB>" "datasets/lung.csv" "$(complete_words cox -o datasets/lun)"
expect "cox -f F datasets/lun<TAB>" "datasets/lung.csv" "$(complete_words cox -f F datasets/lun)"
expect "cox --robust --weights p<TAB> datasets/lung.csv" "$(printf 'pat.karno\nph.ecog\nph.karno')" \
    "$(complete_at 4 cox --robust --weights p datasets/lung.csv)"
expect "cox datasets/lung.csv --weights a<TAB>" "age" "$(complete_words cox datasets/lung.csv --weights a)"

# zsh: the completion function must at least parse
if command -v zsh > /dev/null; then
    zsh -n "$build/completion/_survkit" || bad "_survkit does not parse in zsh"
else
    echo "note: zsh is not installed; _survkit not checked"
fi

[ $fail -eq 0 ] && echo "bash completion: $(wc -w <<< "$commands") commands, options, values, files and columns complete"
exit $fail
