#!/usr/bin/env bash
# benchmarks/mpi.sh: the Cox fit (Efron, P covariates) over K = 1, 2 and 4 MPI ranks, with
# build/benchmarks/mpi_cox_bench: per K the fit time (the slowest rank), the bytes one Newton
# evaluation sends (all ranks together), the bytes of the whole fit (its distributed concordance
# included), the peak resident memory of every rank (rank 0 first: no rank gathers the rows), the
# log-likelihood and first coefficient (identical to ~1e-13 whatever K); then the concordance alone
# of the generating score (survkit_mpi_concordance): its time, bytes and pair counts (exact
# integers, identical whatever K), concordance and std.
#
#   benchmarks/mpi.sh [N] [P] [C]    (default 1e7 rows x 20; C > 0: cluster(i mod C) and its robust
#                                     variance; as root Open MPI needs the two
#                                     OMPI_ALLOW_RUN_AS_ROOT variables, set here)
#
# On a machine with fewer cores than K the ranks are oversubscribed (--oversubscribe): the times
# then show the sharing of the cores, not the scaling; the memory and the bytes do not depend on it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
bench="$root/build/benchmarks/mpi_cox_bench"
n="${1:-1e7}"; p="${2:-20}"; c="${3:-0}"
[ -x "$bench" ] || { echo "build it first: cmake --build build --target mpi_cox_bench" >&2; exit 2; }
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
echo "# $(date -u +%FT%TZ) $(uname -m), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
for k in 1 2 4; do
    mpirun -np "$k" --oversubscribe "$bench" "$n" "$p" "$c"
done
