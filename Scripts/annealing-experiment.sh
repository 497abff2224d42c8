#!/usr/bin/env bash
# LR-annealing law experiment (Tissue et al. 2024): train the four schedules of
# Data/sweeps/annealing.toml (skipped when the database already has them), then fit the law on
# every pair of schedules and predict the other two, and print one row per (fitted pair,
# held-out schedule): mean and final relative error of the predicted curve against the run's
# train loss averaged over the same windows the fit uses, from the fit's first step on.
# Usage: Scripts/annealing-experiment.sh [DB] [extra 'scalefit fit' options]
#   the defaults:           Scripts/annealing-experiment.sh annealing.db
#   the earlier protocol:   Scripts/annealing-experiment.sh annealing.db --lambda 0.999 --from-step 781 --train-windows 400 --objective lsq --warmup-as-peak auto
set -euo pipefail
cd "$(dirname "$0")/.."
DB="${1:-annealing.db}"
shift || true
swift build -c release --product scalefit >/dev/null
BIN=.build/release/scalefit
$BIN sweep --spec Data/sweeps/annealing.toml --db "$DB" --jobs 1 >&2
IDS=($($BIN query "select id from runs where schedule != 'external' order by id" --db "$DB" --format csv | tail -n +2))
[ "${#IDS[@]}" -eq 4 ] || { echo "expected 4 runs in $DB, found ${#IDS[@]}" >&2; exit 1; }
name() { $BIN query "select schedule from runs where id = $1" --db "$DB" --format csv | tail -n 1 | tr -d '"' | cut -d: -f1; }
printf '%-22s %-10s %9s %9s %8s %7s\n' fitted held-out mean_err% final_err% rmse lambda
for a in 0 1 2; do for b in $(seq $((a + 1)) 3); do
  fit=(--run "${IDS[$a]}" --run "${IDS[$b]}")
  for c in 0 1 2 3; do [ "$c" != "$a" ] && [ "$c" != "$b" ] && fit+=(--check-run "${IDS[$c]}"); done
  out="$($BIN fit --law annealing "${fit[@]}" --db "$DB" --bootstrap 0 --no-store --json "$@" | tail -n 1)"
  pair="$(name "${IDS[$a]}")+$(name "${IDS[$b]}")"
  echo "$out" | jq -r --arg pair "$pair" '. as $f | .checks[] |
    [$pair, (.schedule | split(":")[0]), (100 * .pred_e), (100 * .final_e), $f.rmse, $f.lambda] |
    @tsv' | while IFS=$'\t' read -r p s m f r l; do
      printf '%-22s %-10s %9.2f %9.2f %8.4f %7.4f\n' "$p" "$s" "$m" "$f" "$r" "$l"; done
done; done
