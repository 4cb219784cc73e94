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

# CSV: the print(survdiff) table. R: s <- survdiff(Surv(time, status) ~ sex, lung);
#   s$exp; (s$obs - s$exp)^2 / s$exp; (s$obs - s$exp)^2 / diag(s$var)
"$bin" logrank -f 'Surv(time, status) ~ sex' --format csv "$root/datasets/lung.csv" >"$tmp/t.csv" ||
    fail "csv"
[ "$(head -1 "$tmp/t.csv")" = 'group,n,observed,expected,"(O-E)^2/E","(O-E)^2/V"' ] || fail "csv header"
row2=$(sed -n 3p "$tmp/t.csv")
[ "${row2%%,*}" = '"sex=2"' ] || fail "csv second group: $row2"
IFS=, read -r _ n2 o2 e2 ce2 cv2 <<<"$row2"
[ "$n2" = 90 ] && [ "$o2" = 53 ] || fail "csv n and observed: $row2"
assert_close "$e2" 73.418260970427212 "csv expected sex=2"
assert_close "$ce2" 5.6784970870448728 "csv (O-E)^2/E sex=2"
assert_close "$cv2" 10.326741954885632 "csv (O-E)^2/V sex=2"

"$bin" logrank -f 'Surv(start, stop, event) ~ transplant' "$root/datasets/heart.csv" 2>/dev/null
[ $? -eq 2 ] || fail "counting-process data must be refused (exit 2), as survdiff does"
echo "logrank CLI: all checks passed"
