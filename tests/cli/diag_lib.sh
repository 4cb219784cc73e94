# diag_lib.sh: helpers of the diagnostics CLI tests (sourced). Expected numbers come from
# tests/golden/diag/*.txt (written by tests/golden/make_golden_diag.R; the first lines of each
# file are the R calls). The checks (golden, close, csv_column, csv_values, compare_column) are
# lib.sh's.
GOLD=$ROOT/tests/golden/diag
DATA=$ROOT/datasets
failures=0   # cli_test_start sets it too; a script of another branch may not call it yet
. "$ROOT/tests/cli/lib.sh"
# The names diag_lib.sh used before it shared lib.sh's checks, for tests written against them (a
# missing function in a pipeline would only print an error, and the check would pass unseen).
same_numbers() { close "$@"; }
compare() { compare_column "$@"; }
