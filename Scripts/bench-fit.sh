#!/usr/bin/env bash
# Fit benchmark: scalefit's 4,500-start Huber fit (Hoffmann et al. 2022 Approach 3) on Epoch's 240
# Chinchilla points vs scipy L-BFGS-B on the same objective, grid and points.
# Usage: Scripts/bench-fit.sh [path/to/chinchilla_points.csv]
set -euo pipefail
cd "$(dirname "$0")/.."
POINTS="${1:-Data/reference/chinchilla_points.csv}"

swift build -c release --product scalefit-bench >/dev/null
echo "== scalefit (GSL BFGS2, 2 threads) =="
SWIFT_OUT="$(.build/release/scalefit-bench fit --points "$POINTS")"
echo "$SWIFT_OUT"
echo "== scipy L-BFGS-B (1 thread) =="
PY_OUT="$(python3 Scripts/bench_fit_scipy.py --points "$POINTS")"
echo "$PY_OUT"

value() { echo "$1" | sed -n "s/^$2=//p" | sed 's/^np.float64(\(.*\))$/\1/'; }
python3 - "$(value "$SWIFT_OUT" objective)" "$(value "$PY_OUT" objective)" \
          "$(value "$SWIFT_OUT" seconds)" "$(value "$PY_OUT" seconds)" <<'PY'
import sys
fs, fp, ts, tp = map(float, sys.argv[1:])
print("== comparison ==")
print(f"objective scalefit={fs:.15g} scipy={fp:.15g} relative difference={(fs - fp) / abs(fp):.3e}")
print(f"time scalefit={ts:.2f}s scipy={tp:.2f}s speedup={tp / ts:.1f}x")
PY
