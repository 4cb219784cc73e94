#!/usr/bin/env bash
# run_all.sh: the whole CI suite, from the repository root or anywhere:
#   (a) Release build in build/ and every ctest test (unit, cli, fuzz replay, install);
#   (b) AddressSanitizer + UndefinedBehaviorSanitizer build in build-asan/ and every ctest test there;
#   (c) the CLI of the Release build on small data under valgrind (memcheck, leaks);
#   (d) a last line "N passed, N failed" over the three stages; exit status 1 if any failed.
# Needs (Debian 12): build-essential cmake pkg-config libgsl-dev libopenblas-dev libcmocka-dev
# libcairo2-dev valgrind. About 5 minutes on 2 cores. JOBS overrides the parallelism (default 2).
set -u
cd "$(dirname "$0")/.."
jobs=${JOBS:-2}
passed=0
failed=0
failed_names=()

stage() { # stage NAME COMMAND...: run, count, never stop the suite
    local name=$1
    shift
    echo "=== $name"
    local start=$SECONDS
    if "$@"; then
        passed=$((passed + 1))
        echo "=== $name: passed ($((SECONDS - start)) s)"
    else
        failed=$((failed + 1))
        failed_names+=("$name")
        echo "=== $name: FAILED ($((SECONDS - start)) s)"
    fi
}

build_and_test() { # build_and_test DIR CMAKE-ARGS...
    local dir=$1
    shift
    mkdir -p "$dir"
    cmake -S . -B "$dir" "$@" >"$dir/configure.log" 2>&1 || { cat "$dir/configure.log"; return 1; }
    cmake --build "$dir" -j"$jobs" || return 1
    ctest --test-dir "$dir" --output-on-failure -j"$jobs"
}

# The CLI on small data under valgrind: every run must be free of memory errors and leaks.
valgrind_cli() {
    local bin=build/src/survkit tmp status=0
    tmp=$(mktemp -d)
    local -a runs=(
        "km -f Surv(time,status)~sex --quantiles 0.25,0.75 --rmst 365 --format json datasets/lung.csv"
        "km -f Surv(time,status)~1 --conf-type log-log datasets/lung.csv"
        "logrank -f Surv(time,status)~sex+strata(ph.ecog) datasets/lung.csv"
        "describe datasets/lung.csv"
        "km -f Surv(time,status)~celltype --format csv datasets/veteran.csv"
        "logrank -f Surv(time,status)~celltype --pairwise --trend datasets/veteran.csv"
        "describe --format csv datasets/veteran.csv"
        "km -f Surv(start,stop,event)~transplant --format json datasets/heart.csv"
        "describe datasets/heart.csv"
        "km -f Surv(days,breakdown)~sex+support --format json datasets/reunification.csv"
        "logrank -f Surv(days,breakdown)~support --rho 1 datasets/reunification.csv"
        "describe datasets/reunification.csv"
    )
    runs+=("cox -f Surv(time,status)~age+sex+ph.ecog --format json datasets/lung.csv"
           "cox -f Surv(time,status)~celltype+karno+strata(trt) datasets/veteran.csv"
           "cox -f Surv(start,stop,event)~age+transplant+cluster(id) --format json datasets/heart.csv"
           "cox -f Surv(days,breakdown)~age+sex+support+cluster(family_id) datasets/reunification.csv"
           "cox -f Surv(time,status)~age+sex --ties exact datasets/lung.csv"
           "cox -f Surv(time,status)~age+sex+ph.ecog --save $tmp/model.json datasets/lung.csv"
           "zph -f Surv(time,status)~age+sex+ph.ecog --format json datasets/lung.csv"
           "zph -f Surv(start,stop,event)~age+transplant --transform rank datasets/heart.csv"
           "residuals -f Surv(time,status)~age+sex+strata(ph.ecog) --type dfbeta datasets/lung.csv"
           "residuals -f Surv(start,stop,event)~age+transplant --type martingale --collapse id datasets/heart.csv"
           "basehaz -f Surv(time,status)~celltype+strata(trt) datasets/veteran.csv"
           "predict -f Surv(time,status)~age+sex --newdata datasets/lung.csv --times 100,365 datasets/lung.csv"
           "predict --model $tmp/model.json --newdata datasets/lung.csv --times 365")
    runs+=("survreg -f Surv(time,status)~age+sex+ph.ecog --format json datasets/lung.csv"
           "survreg -f Surv(time,status)~age+ph.ecog+strata(sex)+cluster(inst) --dist lognormal --newdata datasets/lung.csv --p 0.5 --times 365 --save $tmp/sr.json datasets/lung.csv")
    runs+=("cuminc -f Surv(time,status)~edema --times 1000,2000 --format json datasets/pbc.csv"
           "finegray -f Surv(time,status)~age+log(bili)+sex --cause 2 --save $tmp/fg.json datasets/pbc.csv"
           "glm -f I(status==2)~age+sex+ph.ecog --link probit --format json datasets/lung.csv"
           "ipw -f unplanned~age+sex+reason --surv Surv(days,breakdown) --times 365 --rmst 1000 datasets/reunification.csv"
           "split -f Surv(time,status)~. --cut 300,100 -o $tmp/split.csv datasets/lung.csv"
           "tmerge --id child_id --stop futime --tdc home=datasets/care_moves.csv:day:home --event perm=datasets/care_permanence.csv:day -o $tmp/tm.csv datasets/care_children.csv")
    # and two that must fail cleanly (exit 2), with nothing leaked on the error paths
    local -a failing=(
        "km -f Surv(time,status)~nosuch datasets/lung.csv"
        "logrank -f Surv(time,status)~sex $tmp/missing.csv"
    )
    for r in "${runs[@]}" "${failing[@]}"; do
        local expect=0
        for f in "${failing[@]}"; do [ "$r" = "$f" ] && expect=2; done
        # shellcheck disable=SC2086 # each run is a list of words (no spaces inside the formulas)
        valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect,possible \
            --errors-for-leak-kinds=definite,indirect,possible "$bin" $r >"$tmp/out" 2>"$tmp/err"
        local rc=$?
        if [ $rc -ne $expect ]; then
            echo "valgrind: survkit $r: exit $rc (expected $expect)"
            cat "$tmp/err"
            status=1
        else
            echo "valgrind: survkit $r: clean"
        fi
    done
    rm -rf "$tmp"
    return $status
}

stage "release build and tests" build_and_test build -DCMAKE_BUILD_TYPE=Release -DSURVKIT_WERROR=ON
stage "ASan+UBSan build and tests" build_and_test build-asan -DSURVKIT_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug -DSURVKIT_WERROR=ON
if [ -x build/src/survkit ]; then
    stage "CLI under valgrind" valgrind_cli
else
    failed=$((failed + 1))
    failed_names+=("CLI under valgrind (no Release binary)")
fi
stage "Python and R bindings" tests/bindings/run_bindings.sh

[ ${#failed_names[@]} -eq 0 ] || printf 'failed: %s\n' "${failed_names[@]}"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
