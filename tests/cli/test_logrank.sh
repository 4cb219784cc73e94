#!/usr/bin/env bash
# test_logrank.sh: `survkit logrank` against R (survival 3.5-3) on datasets/*.csv:
#   survdiff(Surv(time, status) ~ sex, lung): chisq 10.326741954885632, p 0.0013111645203554882
#   survdiff(Surv(time, status) ~ celltype, veteran): chisq 25.403700345785399, df 3; pair
#     adeno vs large (survdiff on those rows) p 2.628316878476322e-05; trend chisq 6.4076917491980216
set -u
bin="$1"; root="$2"
. "$root/tests/cli/km_lib.sh"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

"$bin" logrank -f 'Surv(time, status) ~ sex' --format json "$root/datasets/lung.csv" \
    >"$tmp/out.json" 2>"$tmp/err"
rc=$?
[ $rc -eq 0 ] || fail "logrank exited $rc: $(cat "$tmp/err")"
out=$(cat "$tmp/out.json")
grep -qF '"labels":["sex=1","sex=2"],"n":[138,90],"observed":[112,53]' "$tmp/out.json" || fail "labels/n/observed"
assert_close "$(json_after "$out" '"expected":[')" 91.581739029572802 "expected sex=1"
assert_close "$(json_after "$out" '"chisq":')" 10.326741954885632 "chisq"
assert_close "$(json_after "$out" '"p":')" 0.0013111645203554882 "p"
grep -qF '"df":1' "$tmp/out.json" || fail "df"

"$bin" logrank -f 'Surv(time, status) ~ celltype' --pairwise --trend --format json \
    "$root/datasets/veteran.csv" >"$tmp/v.json" || fail "veteran"
v=$(cat "$tmp/v.json")
assert_close "$(json_after "$v" '"chisq":')" 25.403700345785399 "veteran chisq"
grep -qF '"pairwise":[{"a":"celltype=adeno","b":"celltype=large"' "$tmp/v.json" || fail "first pair"
p_pair=$(json_after "${v#*\"pairwise\":}" '"p":')
assert_close "$p_pair" 2.628316878476322e-05 "pair adeno vs large p"
assert_close "$(json_after "${v#*\"trend\":}" '"chisq":')" 6.4076917491980216 "trend chisq"

"$bin" logrank -f 'Surv(time, status) ~ sex' "$root/datasets/lung.csv" >"$tmp/t.txt" || fail "text"
grep -qF ' Chisq= 10.3  on 1 degrees of freedom, p= 0.001 ' "$tmp/t.txt" || fail "text: $(cat "$tmp/t.txt")"

"$bin" logrank -f 'Surv(start, stop, event) ~ transplant' "$root/datasets/heart.csv" 2>/dev/null
[ $? -eq 2 ] || fail "counting-process data must be refused (exit 2), as survdiff does"
echo "logrank CLI: all checks passed"
