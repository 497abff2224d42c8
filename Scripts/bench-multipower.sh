#!/usr/bin/env bash
# Multi-Power Law benchmark (Luo et al. 2025): the fit on the paper's three 24k-step fit curves of each size
# (Data/reference/mpl2025), timed, with its PredE / WorstE on the six test schedules. The annealing law on the
# same split for comparison. Numbers measured on a shared machine are not final: rerun on an idle one.
# Usage: Scripts/bench-multipower.sh [extra scalefit-bench multipower options, e.g. --exact-lrs or --prior 3]
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product scalefit-bench >/dev/null
echo "== multipower (3 fit curves per size; seconds = wall time of one fit) =="
/usr/bin/time -f "cpu %U s user, %e s wall for all three sizes" .build/release/scalefit-bench multipower "$@"
echo "== annealing =="
.build/release/scalefit-bench multipower --law annealing "$@"
