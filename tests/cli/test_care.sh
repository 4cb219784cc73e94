#!/usr/bin/env bash
# test_care.sh: the care-episodes cohort (datasets/care_*.csv) end to end, against R.
#  - survkit tmerge on the base and the four event files equals, byte for byte, the file R's tmerge
#    wrote (tests/golden/care/care_tm.csv; the R calls are the first comment of each golden file);
#  - survkit cox on that file (and on the base file) equals R's coxph, at 1e-9 relative: the
#    time-dependent "at home" exposure with cluster(child_id), the immortal-time mistake ("ever
#    went home" at baseline), recurrent breakdowns (Andersen-Gill, strata(home), cluster), and
#    landmark analyses at day 365 on (tstart, tstop] rows and on right-censored rows.
# Expected numbers: tests/golden/care/*.txt, written by tests/golden/make_golden_care.R.
# Arguments: path-to-survkit repo-root
set -u
survkit=$1
root=$2
d=$root/datasets
GOLD=$root/tests/golden/care
. "$root/tests/cli/lib.sh"
cli_test_start tmp
# golden KEY FILE, close WHAT (1e-9 relative, NA = NA), csv_column FILE COLUMN [FILL]

"$survkit" tmerge --id child_id --stop futime \
    --tdc "home=$d/care_moves.csv:day:home" --tdc "prior=$d/care_moves.csv:day:prior_breakdowns" \
    --tdc "services=$d/care_services.csv:day:services" --event "breakdown=$d/care_breakdowns.csv:day" \
    --cumevent "n_breakdowns=$d/care_breakdowns.csv:day" --event "perm=$d/care_permanence.csv:day" \
    -o "$tmp/tm.csv" "$d/care_children.csv" || fail "tmerge: exit $?"
cmp -s "$tmp/tm.csv" "$GOLD/care_tm.csv" || { fail "tmerge of the cohort differs from R's"; diff "$tmp/tm.csv" "$GOLD/care_tm.csv" | head -5 >&2; }
# the same written 1000 rows at a time
"$survkit" tmerge --block-rows 1000 --id child_id --stop futime \
    --tdc "home=$d/care_moves.csv:day:home" --tdc "prior=$d/care_moves.csv:day:prior_breakdowns" \
    --tdc "services=$d/care_services.csv:day:services" --event "breakdown=$d/care_breakdowns.csv:day" \
    --cumevent "n_breakdowns=$d/care_breakdowns.csv:day" --event "perm=$d/care_permanence.csv:day" \
    "$d/care_children.csv" > "$tmp/tm_blocks.csv" || fail "tmerge in blocks: exit $?"
cmp -s "$tmp/tm_blocks.csv" "$GOLD/care_tm.csv" || fail "tmerge of the cohort in blocks differs from R's"

# fit NAME DATA FORMULA [OPTIONS...]: survkit cox against tests/golden/care/NAME.txt.
fit() {
    local name=$1 data=$2 formula=$3
    shift 3
    "$survkit" cox -f "$formula" "$@" --format csv "$data" > "$tmp/$name.csv" 2> "$tmp/err" ||
        { fail "$name: exit $? ($(cat "$tmp/err"))"; return; }
    "$survkit" cox -f "$formula" "$@" --format json "$data" > "$tmp/$name.json" 2> "$tmp/err" ||
        { fail "$name json: exit $?"; return; }
    local names
    names=$(awk -F, 'NR > 1 { gsub(/"/, "", $1); printf "%s%s", sep, $1; sep = "\t" }' "$tmp/$name.csv")
    [ "$names" = "$(golden names "$name" | paste -sd '\t')" ] || fail "$name: terms '$names' differ from R's"
    for col in coef se robust_se; do   # no robust_se column without cluster(): R's NA
        paste -d' ' <(csv_column "$tmp/$name.csv" $col NA) <(golden $col "$name") | close "$name $col"
    done
    # log-likelihoods (null and final), n and events from the JSON report
    paste -d' ' <(grep -o '"loglik_null":[^,]*\|"loglik":[^,]*\|"n":[^,]*\|"events":[^,]*' "$tmp/$name.json" |
                  sed 's/.*://' | awk 'NR == 1 { n = $1 } NR == 2 { e = $1 } NR > 2 { print } END { print n; print e }') \
                <(golden loglik "$name"; golden n "$name"; golden nevent "$name") | close "$name loglik/n/events"
}

fit home_tdc "$tmp/tm.csv" 'Surv(tstart, tstop, perm) ~ home + age_entry + reason + cluster(child_id)'
fit home_ever "$d/care_children.csv" 'Surv(futime, permanent) ~ ever_home + age_entry + reason'
fit breakdown_ag "$tmp/tm.csv" \
    'Surv(tstart, tstop, breakdown) ~ services + prior + substance + reason + age_entry + strata(home) + cluster(child_id)'
fit landmark_365 "$tmp/tm.csv" 'Surv(tstart, tstop, perm) ~ home + age_entry + cluster(child_id)' --landmark 365
fit landmark_base_365 "$d/care_children.csv" 'Surv(futime, permanent) ~ ever_home + age_entry' --landmark 365

# the immortal-time pitfall, as docs/time-varying.md tells it: at baseline, 'ever went home' looks
# far more protective than being at home does when it is allowed to change with time
ever=$(awk -F, '$1 == "\"ever_home\"" { print $2 }' "$tmp/home_ever.csv")
home=$(awk -F, '$1 == "\"home\"" { print $2 }' "$tmp/home_tdc.csv")
awk -v a="$ever" -v b="$home" 'BEGIN { exit !(a < b - 0.3) }' || fail "ever_home ($ever) not below home ($home)"

# a landmark past every follow-up leaves nothing: exit 2
"$survkit" cox -f 'Surv(futime, permanent) ~ age_entry' --landmark 1e6 "$d/care_children.csv" \
    > /dev/null 2> "$tmp/err"
[ $? -eq 2 ] && grep -q "no row is still at risk at the landmark" "$tmp/err" || fail "empty landmark: $(cat "$tmp/err")"

[ $failures -eq 0 ] || { echo "$failures failure(s)" >&2; exit 1; }
echo "care episodes: tmerge and the Cox fits equal R's"
