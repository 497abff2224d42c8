#!/usr/bin/env bash
# Whole-sweep throughput: runs one sweep (a preset or a spec) with the release binary into a fresh
# database and prints what its time went to:
#   - wall, CPU seconds (user + sys) and the load average before and after (the machine may be shared:
#     on a loaded machine the wall and the FLOP/s share are not the trainer's, the CPU seconds are);
#   - the sweep's own line: aggregate model FLOP/s and their share of the sgemm peak it measures;
#   - core occupancy: the runs' summed wall over jobs x the sweep's wall (1.0: no job ever idle);
#   - per size: runs, training seconds (tokens / tokens_per_s) against the runs' wall seconds, the rest
#     being evaluation, checkpoints and per-run set-up (a WSD branch counts only the steps it trained).
# Usage: Scripts/bench-sweep.sh (--preset NAME | --spec FILE) [--jobs N] [--nice N] [any other sweep flag]
# Builds .build/release/scalefit first (`swift build -c release`) unless SF_SKIP_BUILD=1.
set -euo pipefail
cd "$(dirname "$0")/.."

jobs=2 niceness=10 args=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --jobs) jobs="$2"; shift 2 ;;
    --nice) niceness="$2"; shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done
[[ ${#args[@]} -gt 0 ]] || { echo "usage: $0 (--preset NAME | --spec FILE) [--jobs N] [--nice N]" >&2; exit 2; }

[[ "${SF_SKIP_BUILD:-0}" == 1 ]] || swift build -c release --product scalefit >&2
bin="$(swift build -c release --show-bin-path)/scalefit"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
db="$dir/bench.db"

load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/time -f "%U %S %e" -o "$dir/time" nice -n "$niceness" "$bin" sweep "${args[@]}" --jobs "$jobs" --db "$db" \
  >"$dir/out" 2>"$dir/err"
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"
read -r user sys wall <"$dir/time"

grep -E '^(sweep|throughput|WSD)' "$dir/out" || true
echo "wall ${wall} s, CPU $(echo "$user + $sys" | bc) s (user ${user} + sys ${sys}), jobs ${jobs}; load average ${load_before} before, ${load_after} after"
"$bin" query "select round(sum(wall_seconds) / ($jobs * $wall), 3) as core_occupancy,
  round(sum(wall_seconds), 1) as run_wall_s, round(sum((tokens_done - coalesce(branch_step, 0) * batch_size * seq_len) / tokens_per_s), 1) as train_s,
  round(1 - sum((tokens_done - coalesce(branch_step, 0) * batch_size * seq_len) / tokens_per_s) / sum(wall_seconds), 3) as not_training_share from runs" --db "$db"
"$bin" query "select n_layer || 'x' || d_model as shape, count(*) as runs, round(sum(wall_seconds), 1) as wall_s,
  round(sum((tokens_done - coalesce(branch_step, 0) * batch_size * seq_len) / tokens_per_s), 1) as train_s,
  round(1 - sum((tokens_done - coalesce(branch_step, 0) * batch_size * seq_len) / tokens_per_s) / sum(wall_seconds), 3) as not_training_share,
  round(avg(tokens_per_s)) as tok_per_s from runs group by n_layer, d_model order by params_nonembedding" --db "$db"
