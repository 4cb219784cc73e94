#!/usr/bin/env bash
# benchmarks/run.sh: time survkit against R's survival on synthetic cohorts, in one run.
#
#   benchmarks/run.sh [--quick] [--cox-sizes 1e5,1e6] [--km-sizes 1e7] [--p 20] [--seed 1]
#                     [--repeat 3] [--r-max-cox 1e6] [--py-max-cox 1e6] [--survkit PATH]
#                     [--workdir DIR] [--keep] [--no-r] [--no-py]
#
# 1. Generates the cohorts with `survkit simulate` (Cox: P covariates, half binary, integer days,
#    administrative censoring at 1825 days; KM: no covariates, integer days).
# 2. Runs `survkit cox|km --format json --timings` on each, --repeat times (the fastest run is kept:
#    on a shared machine the others measure the neighbours), keeping its stage timings (read, frame,
#    fit, total) and, through /usr/bin/time -v when present, its wall time and peak memory. The fit
#    column is the fastest fit stage of the runs; the second table gives the fit stage of the run
#    kept too.
# 3. When Rscript with survival and data.table is installed, runs the same jobs in R in the same run:
#    fread + coxph(ties = "efron") or fread + survfit, the fit timed alone with system.time and the
#    whole Rscript run timed from outside, and checks that survkit's coefficients equal R's to 1e-6
#    relative (Cox) and that the medians are equal (KM). R's Cox fits above --r-max-cox rows are
#    skipped (R takes minutes there).
# 4. When /usr/bin/python3 has statsmodels (Debian python3-statsmodels), runs the Cox jobs with its
#    PHReg(ties = "efron") as a second peer: pandas.read_csv + PHReg.fit, timed the same way, its
#    coefficients compared with survkit's. Above --py-max-cox rows it is skipped.
# 5. Prints the host (CPU family and model, AVX2 / AVX-512, OpenBLAS's core and
#    OPENBLAS_CORETYPE, the rate of fresh pages and the memory bandwidth from
#    benchmarks/probes/membw.c, DSYRK from probes/syrk.c), the load, a markdown table of the times,
#    the ratios R / survkit and PHReg / survkit and the agreement, then survkit's reading speed,
#    its memory per stage (page faults, fresh MB touched and peak resident MB after read, frame, fit, from
#    --timings) against the Cox target (raw columns + one design matrix), and the time per
#    million rows of the frame and of the fit (linearity in n). A third table gives the CPU seconds (user + system, `/usr/bin/time`) of
#    each whole process and their ratios: on a loaded machine they are the fairer comparison, as
#    survkit's two threads wait for cores that R's one thread does not need.
#
# --quick: Cox 1e4 and 1e5 rows, KM 1e5 rows (a smoke run). The default sizes need several GB of
# disk in the work directory and minutes of CPU: run them on an idle machine.
set -euo pipefail

. "$(dirname "$0")/lib.sh"
cox_sizes=""   # empty: 1e5,1e6, or 1e4,1e5 with --quick (a size given outright wins)
km_sizes=""    # empty: 1e7, or 1e5 with --quick
quick=0
p=20
seed=1
repeat=3
r_max_cox=1e6
py_max_cox=1e6
use_py=1

all_args="$*"
bench_options run.sh 2,32 "quick:quick=1 cox-sizes km-sizes p seed repeat r-max-cox py-max-cox \
    no-py:use_py=0 keep:keep=1 no-r:use_r=0" "$@"
if [ "$quick" = 1 ]; then : "${cox_sizes:=1e4,1e5}" "${km_sizes:=1e5}"; fi
: "${cox_sizes:=1e5,1e6}" "${km_sizes:=1e7}"
bench_prepare run.sh ""

have_time=0
[ -x /usr/bin/time ] && /usr/bin/time -v true >/dev/null 2>&1 && have_time=1
if [ "$use_r" -eq 1 ]; then
    if ! command -v Rscript >/dev/null 2>&1 ||
        ! Rscript -e 'stopifnot(requireNamespace("survival", quietly = TRUE), requireNamespace("data.table", quietly = TRUE), requireNamespace("jsonlite", quietly = TRUE))' >/dev/null 2>&1; then
        echo "run.sh: Rscript with survival, data.table and jsonlite not found: survkit only" >&2
        use_r=0
    fi
fi

python=/usr/bin/python3
if [ "$use_py" -eq 1 ] && ! "$python" -c 'import statsmodels, pandas' >/dev/null 2>&1; then
    echo "run.sh: $python with statsmodels and pandas not found (python3-statsmodels): no PHReg" >&2
    use_py=0
fi

now() { date +%s.%N; }
# Seconds between two `now` readings, 3 decimals.
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
# The first number after "KEY": in a JSON file, or "NA".
json_number() {
    local value
    value=$(grep -o "\"$1\": *-\{0,1\}[0-9][0-9.eE+-]*" "$2" 2>/dev/null | head -1 | sed 's/.*: *//')
    echo "${value:-NA}"
}
# Peak resident memory in MB from a `/usr/bin/time -v` report, or "NA".
peak_mb() {
    local kb
    kb=$(grep -o "Maximum resident set size (kbytes): [0-9]*" "$1" 2>/dev/null | grep -o "[0-9]*$")
    if [ -n "$kb" ]; then awk -v k="$kb" 'BEGIN { printf "%.0f", k / 1024 }'; else echo NA; fi
}
# User + system seconds from a `/usr/bin/time -v` report, or "NA".
cpu_s() {
    awk -F': ' '/User time|System time/ { s += $2; n++ } END { if (n == 2) printf "%.2f", s; else print "NA" }' "$1" 2>/dev/null || echo NA
}
# Run a command, timing it (and its peak memory into $1 when /usr/bin/time is there).
# Prints the wall seconds; returns the command's status.
timed() {
    local memfile=$1; shift
    local t0 t1 status=0
    t0=$(now)
    if [ "$have_time" -eq 1 ]; then
        /usr/bin/time -v -o "$memfile" "$@" || status=$?
    else
        "$@" || status=$?
    fi
    t1=$(now)
    elapsed "$t0" "$t1"
    return $status
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "NA" || b == "NA" || b + 0 <= 0) print "NA"; else printf "%.1f", a / b }'; }
# A number with 3 decimals ("NA" stays).
fmt() { awk -v a="$1" 'BEGIN { if (a == "NA" || a == "null") print "NA"; else printf "%.3f", a }'; }
fmt0() { awk -v a="$1" 'BEGIN { if (a == "NA" || a == "null") print "NA"; else printf "%.0f", a }'; }
# Is a <= b (numbers like 1e6)?
at_most() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 <= b + 0) }'; }

# The R side of a job: fread + fit, timed; compares with survkit's JSON when there is one.
cat > "$workdir/job.R" <<'EOF'
args <- commandArgs(TRUE)
kind <- args[1]; data <- args[2]; p <- as.integer(args[3]); out <- args[4]; survkit_json <- args[5]
suppressPackageStartupMessages({ library(survival); library(data.table); library(jsonlite) })
read_s <- round(system.time(d <- fread(data))[["elapsed"]], 3)
res <- list(read_s = read_s)
sk <- if (file.exists(survkit_json) && file.size(survkit_json) > 0)
  tryCatch(fromJSON(survkit_json, simplifyVector = FALSE), error = function(e) NULL) else NULL
if (kind == "cox") {
  f <- as.formula(paste("Surv(time, status) ~", paste0("x", seq_len(p), collapse = " + ")))
  res$fit_s <- round(system.time(fit <- coxph(f, data = d, ties = "efron"))[["elapsed"]], 3)
  b <- coef(fit)
  res$agree <- if (is.null(sk)) "no survkit result" else {
    sb <- vapply(sk$terms, function(t) if (is.null(t$coef)) NA_real_ else as.numeric(t$coef), 0)
    names(sb) <- vapply(sk$terms, function(t) t$name, "")
    if (!identical(names(sb), names(b))) "coefficient names differ" else {
      rel <- max(abs(sb - b) / pmax(abs(b), 1e-8))
      sprintf("%s (max rel diff %.1e)", if (is.finite(rel) && rel <= 1e-6) "yes" else "NO", rel)
    }
  }
} else {
  res$fit_s <- round(system.time(fit <- survfit(Surv(time, status) ~ 1, data = d))[["elapsed"]], 3)
  med <- unname(summary(fit)$table["median"])
  res$agree <- if (is.null(sk)) "no survkit result" else {
    sm <- sk$strata[[1]]$median$estimate
    sm <- if (is.null(sm)) NA_real_ else as.numeric(sm)
    sprintf("%s (median %s vs R %s)", if (identical(is.na(sm), is.na(med)) &&
            (is.na(med) || abs(sm - med) <= 1e-9 * max(1, abs(med)))) "yes" else "NO",
            format(sm, digits = 15), format(med, digits = 15))
  }
}
writeLines(toJSON(res, auto_unbox = TRUE, digits = NA), out)
EOF

# The statsmodels side of a Cox job: read_csv + PHReg(ties = "efron").fit, timed; compares with
# survkit's JSON.
cat > "$workdir/job.py" <<'EOF'
import json, sys, time
data, p, out, sk_path = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
t0 = time.time()
import pandas as pd
from statsmodels.duration.hazard_regression import PHReg
d = pd.read_csv(data)
t1 = time.time()
names = ["x%d" % (j + 1) for j in range(p)]
fit = PHReg(d["time"].values, d[names].values, status=d["status"].values, ties="efron").fit()
t2 = time.time()
res = {"read_s": round(t1 - t0, 3), "fit_s": round(t2 - t1, 3)}
try:
    sk = json.load(open(sk_path))
    sb = [t["coef"] for t in sk["terms"]]
    rel = max(abs(a - b) / max(abs(b), 1e-8) for a, b in zip(sb, fit.params))
    res["agree"] = "%s (max rel diff %.1e)" % ("yes" if rel <= 1e-6 else "NO", rel)
except Exception as e:
    res["agree"] = "no survkit result (%s)" % type(e).__name__
json.dump(res, open(out, "w"))
EOF

rows=()
extras=()
cpus=()
load_before=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo NA)
run_job() { # kind n
    local kind=$1 n=$2 tag data formula
    tag="${kind}_${n}"
    data="$workdir/$tag.csv"
    echo "== $tag: generating" >&2
    local gen_args=(simulate --seed "$seed" --n "$n" --integer-times --quiet -o "$data")
    if [ "$kind" = cox ]; then
        gen_args+=(--p "$p" --max-time 1825 --scale 0.001 --censor-rate 0.0002)
        formula="Surv(time, status) ~ $(seq -s ' + ' -f 'x%g' 1 "$p")"
    else
        gen_args+=(--p 0 --scale 0.002 --censor-rate 0.001)
        formula="Surv(time, status) ~ 1"
    fi
    local gen_s
    gen_s=$(timed "$workdir/$tag.gen.mem" "$survkit" "${gen_args[@]}")

    echo "== $tag: survkit $kind (best of $repeat)" >&2
    local sk_json="$workdir/$tag.survkit.json" sk_wall=NA sk_status=ok run wall best_total=NA best_fit=NA
    for run in $(seq 1 "$repeat"); do
        wall=$(timed "$workdir/$tag.survkit.$run.mem" "$survkit" "$kind" -f "$formula" --format json \
            --timings --quiet -o "$sk_json.$run" "$data" 2> "$workdir/$tag.survkit.err") || {
            sk_status="failed"; rm -f "$sk_json.$run"
            echo "   survkit $kind failed: $(head -1 "$workdir/$tag.survkit.err")" >&2
            break
        }
        local total fit
        total=$(json_number total_s "$sk_json.$run")
        fit=$(json_number fit_s "$sk_json.$run")
        if [ "$best_fit" = NA ] || awk -v a="$fit" -v b="$best_fit" 'BEGIN { exit !(a < b) }'; then
            best_fit=$fit
        fi
        if [ "$best_total" = NA ] || awk -v a="$total" -v b="$best_total" 'BEGIN { exit !(a < b) }'; then
            best_total=$total; sk_wall=$wall
            mv "$sk_json.$run" "$sk_json"; mv "$workdir/$tag.survkit.$run.mem" "$workdir/$tag.survkit.mem"
        fi
        rm -f "$sk_json.$run" "$workdir/$tag.survkit.$run.mem"
    done
    local sk_read sk_frame sk_fit sk_total sk_mem faults peaks
    sk_read=$(json_number read_s "$sk_json"); sk_frame=$(json_number frame_s "$sk_json")
    # the fit column: the fastest fit stage of the runs (as benchmarks/survreg.sh keeps it); the
    # fit stage of the run with the fastest total goes to the second table
    local sk_fit_of_best
    sk_fit_of_best=$(json_number fit_s "$sk_json"); sk_total=$(json_number total_s "$sk_json")
    sk_fit=$best_fit
    # memory per stage (--timings): page faults, fresh MB touched, and peak resident MB after read, frame, fit
    faults="$(json_number read_faults "$sk_json")/$(json_number frame_faults "$sk_json")/$(json_number fit_faults "$sk_json")"
    fresh="$(fmt0 "$(json_number read_fresh_mb "$sk_json")")/$(fmt0 "$(json_number frame_fresh_mb "$sk_json")")/$(fmt0 "$(json_number fit_fresh_mb "$sk_json")")"
    peaks="$(fmt0 "$(json_number read_peak_mb "$sk_json")")/$(fmt0 "$(json_number frame_peak_mb "$sk_json")")/$(fmt0 "$(json_number fit_peak_mb "$sk_json")")"
    sk_mem=$(peak_mb "$workdir/$tag.survkit.mem")
    [ "$sk_status" = ok ] || { sk_wall=NA; sk_mem=NA; }
    local bytes rows_n
    bytes=$(stat -c %s "$data")
    rows_n=$(awk -v n="$n" 'BEGIN { printf "%.0f", n }')
    extras+=("| $kind | $n | $gen_s | $(awk -v b="$bytes" 'BEGIN { printf "%.0f", b / 1e6 }') | $(awk -v b="$bytes" -v t="$sk_read" 'BEGIN { if (t == "NA") print "NA"; else printf "%.0f", b / 1e6 / t }') | $faults | $fresh | $peaks | $sk_mem | $(if [ "$kind" = cox ]; then awk -v n="$rows_n" -v p="$p" 'BEGIN { printf "%.0f", n * (p + 2) * 8 / 1048576 + n * p * 8 / 1048576 }'; else echo "-"; fi) | $(awk -v t="$sk_frame" -v n="$rows_n" 'BEGIN { if (t == "NA") print "NA"; else printf "%.3f", t / n * 1e6 }') | $(awk -v t="$sk_fit" -v n="$rows_n" 'BEGIN { if (t == "NA") print "NA"; else printf "%.3f", t / n * 1e6 }') | $(fmt "$sk_fit_of_best") |")

    local r_read=NA r_fit=NA r_wall=NA r_mem=NA agree="R not run"
    if [ "$use_r" -eq 1 ] && [ "$kind" = cox ] && ! at_most "$n" "$r_max_cox"; then
        agree="R skipped (more than $r_max_cox rows)"
    elif [ "$use_r" -eq 1 ]; then
        echo "== $tag: R" >&2
        local r_json="$workdir/$tag.R.json"
        if r_wall=$(timed "$workdir/$tag.R.mem" Rscript "$workdir/job.R" "$kind" "$data" "$p" "$r_json" \
            "$sk_json" 2> "$workdir/$tag.R.err"); then
            r_read=$(json_number read_s "$r_json"); r_fit=$(json_number fit_s "$r_json")
            r_mem=$(peak_mb "$workdir/$tag.R.mem")
            agree=$(grep -o '"agree":"[^"]*"' "$r_json" | sed 's/"agree":"//; s/"$//')
        else
            r_wall=NA; agree="R failed: $(tail -1 "$workdir/$tag.R.err")"
        fi
    fi
    local py_fit=NA py_wall=NA py_agree="-"
    if [ "$kind" = cox ] && [ "$use_py" -eq 1 ]; then
        if ! at_most "$n" "$py_max_cox"; then
            py_agree="PHReg skipped (more than $py_max_cox rows)"
        else
            echo "== $tag: statsmodels PHReg" >&2
            local py_json="$workdir/$tag.py.json"
            if py_wall=$(timed "$workdir/$tag.py.mem" "$python" "$workdir/job.py" "$data" "$p" \
                "$py_json" "$sk_json" 2> "$workdir/$tag.py.err"); then
                py_fit=$(json_number fit_s "$py_json")
                py_agree=$(grep -o '"agree": *"[^"]*"' "$py_json" | sed 's/"agree": *"//; s/"$//')
            else
                py_wall=NA; py_agree="PHReg failed: $(tail -1 "$workdir/$tag.py.err")"
            fi
        fi
    fi
    local sk_cpu r_cpu=NA py_cpu=NA
    sk_cpu=$(cpu_s "$workdir/$tag.survkit.mem")
    [ "$r_wall" = NA ] || r_cpu=$(cpu_s "$workdir/$tag.R.mem")
    [ "$py_wall" = NA ] || py_cpu=$(cpu_s "$workdir/$tag.py.mem")
    cpus+=("| $kind | $n | $sk_cpu | $r_cpu | **$(ratio "$r_cpu" "$sk_cpu")** | $py_cpu | **$(ratio "$py_cpu" "$sk_cpu")** |")
    rows+=("| $kind | $n | $(fmt "$sk_read") | $(fmt "$sk_frame") | $(fmt "$sk_fit") | $(fmt "$sk_total") | $(fmt "$sk_wall") | $sk_mem | $(fmt "$r_read") | $(fmt "$r_fit") | $(fmt "$r_wall") | $r_mem | **$(ratio "$r_fit" "$sk_fit")** | **$(ratio "$r_wall" "$sk_wall")** | $agree | $(fmt "$py_fit") | $(fmt "$py_wall") | **$(ratio "$py_fit" "$sk_fit")** | **$(ratio "$py_wall" "$sk_wall")** | $py_agree |")
    [ "$keep" -eq 1 ] || rm -f "$data"
}

IFS=, read -r -a cox_list <<< "$cox_sizes"
IFS=, read -r -a km_list <<< "$km_sizes"
for n in "${cox_list[@]}"; do [ -n "$n" ] && run_job cox "$n"; done
for n in "${km_list[@]}"; do [ -n "$n" ] && run_job km "$n"; done

load_after=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo NA)

# The host: what decides which kernels run and what fresh memory costs.
host_facts() {
    local flags family model name simd="" cc=${CC:-cc}
    name=$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1)
    family=$(lscpu 2>/dev/null | sed -n 's/^CPU family: *//p' | head -1)
    model=$(lscpu 2>/dev/null | sed -n 's/^Model: *//p' | head -1)
    flags=$(grep -m1 '^flags' /proc/cpuinfo 2>/dev/null || true)
    for f in avx2 fma avx512f avx512dq avx512vl; do
        case " $flags " in *" $f "*) simd="$simd $f" ;; esac
    done
    echo "Host: $name, CPU family ${family:-NA} model ${model:-NA}; SIMD:${simd:- no AVX2, no AVX-512}; OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-unset}$(case " $flags " in *" hypervisor "*) echo "; a virtual machine" ;; esac)"
    if "$cc" -O2 -pthread "$here/probes/membw.c" -o "$workdir/membw" 2>/dev/null; then
        echo "Memory (probes/membw.c 256): $("$workdir/membw" 256 | tr '\n' ';' | sed 's/;$//; s/;/; /g')"
    fi
    if "$cc" -O2 "$here/probes/syrk.c" -lopenblas -o "$workdir/syrk" 2>/dev/null; then
        echo "BLAS (probes/syrk.c 1000000 20): $("$workdir/syrk" 1000000 20 | head -3 | tr '\n' ';' | sed 's/;$//; s/;/; /g')"
    fi
}

echo
echo "Command: benchmarks/run.sh $all_args"
echo "Machine: $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores, $(free -g 2>/dev/null | awk '/^Mem:/ { print $2 " GiB" }') of memory; load average (1, 5, 15 min) $load_before before, $load_after after"
host_facts
echo "survkit $("$survkit" --version | awk '{print $2}'), $(date -u +%Y-%m-%d)$([ "$use_r" -eq 1 ] && Rscript -e 'cat(",", R.version.string, "survival", as.character(packageVersion("survival")), "data.table", as.character(packageVersion("data.table")))' 2>/dev/null)"
echo "Cox: $p covariates (half binary), integer days, Efron ties; KM: one curve. Times in seconds, memory in MB. survkit runs $repeat times: sk fit is its fastest fit stage (as benchmarks/survreg.sh keeps it), the other sk columns are the run with the fastest total; R and PHReg run once."
echo "Ratios are R / survkit (fit: the fit alone, coxph or survfit against survkit's fit stage; run: the whole process, reading the CSV included), and the same for statsmodels' PHReg (read_csv + fit)."
echo
echo "| job | rows | sk read | sk frame | sk fit | sk total | sk run | sk MB | R read | R fit | R run | R MB | fit ratio | run ratio | agrees with R | PHReg fit | PHReg run | PHReg fit ratio | PHReg run ratio | agrees with PHReg |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | --- |"
printf '%s\n' "${rows[@]}"
echo
echo "| job | rows | simulate s | CSV MB | read MB/s (all cores) | page faults read/frame/fit | fresh MB read/frame/fit | peak MB after read/frame/fit | sk peak MB | Cox memory target MB | frame s per 1e6 rows | fit s per 1e6 rows | fit s of the run with the fastest total |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
printf '%s\n' "${extras[@]}"
echo
echo "| job | rows | sk CPU s | R CPU s | R / sk CPU | PHReg CPU s | PHReg / sk CPU |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
printf '%s\n' "${cpus[@]}"
