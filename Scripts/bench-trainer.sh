#!/usr/bin/env bash
# Trainer throughput: builds scalefit-bench (release), runs `scalefit-bench trainer`, then, if a CPU
# PyTorch can be installed into a throwaway venv, runs Scripts/bench_torch.py on the identical config
# and prints the tokens/s ratio per d_model.
# Usage: Scripts/bench-trainer.sh [--threads N] [--steps N] [--warmup N] [--dmodels 64,128,256] [--strategy sequences|hybrid|workers|blas|all]
# The venv lives in /tmp/sf-torch (override with SF_TORCH_VENV); set SF_SKIP_TORCH=1 to skip PyTorch.
set -euo pipefail
cd "$(dirname "$0")/.."

threads=2 steps=10 warmup=2 dmodels=64,128,256
args=("$@")
while [[ $# -gt 0 ]]; do
  case "$1" in
    --threads) threads="$2"; shift 2 ;;
    --steps) steps="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --dmodels) dmodels="$2"; shift 2 ;;
    *) shift ;;
  esac
done

swift build -c release --product scalefit-bench >&2
bin="$(swift build -c release --show-bin-path)/scalefit-bench"
swift_out="$(mktemp)"
trap 'rm -f "$swift_out"' EXIT
"$bin" trainer "${args[@]}" | tee "$swift_out"

[[ "${SF_SKIP_TORCH:-0}" == 1 ]] && exit 0
venv="${SF_TORCH_VENV:-/tmp/sf-torch}"
if [[ ! -x "$venv/bin/python" ]] || ! "$venv/bin/python" -c "import torch" 2>/dev/null; then
  echo "installing CPU torch into $venv ..." >&2
  # Pin the local +cpu wheel from /opt/wheels; otherwise pip may prefer a newer CUDA build from the index.
  wheel="$(ls /opt/wheels/torch-*+cpu-*.whl 2>/dev/null | head -n1 || true)"
  spec="torch"
  [[ -n "$wheel" ]] && spec="torch==$(basename "$wheel" | cut -d- -f2)"
  if ! { python3 -m venv "$venv" && "$venv/bin/pip" install -q --find-links /opt/wheels "$spec"; } >&2; then
    echo "PyTorch not installable here; skipping the comparison." >&2
    exit 0
  fi
fi
echo
torch_out="$("$venv/bin/python" Scripts/bench_torch.py --threads "$threads" --steps "$steps" --warmup "$warmup" \
  --dmodels "$dmodels" 2>/dev/null)"
echo "$torch_out"
echo
echo "scalefit / PyTorch tokens/s (first strategy listed above):"
for d in ${dmodels//,/ }; do
  ours="$(awk -v d="$d" '$1 == d && NF >= 7 { print $4; exit }' "$swift_out")"
  theirs="$(echo "$torch_out" | sed -n "s/^TORCH d_model=$d tok\/s=\([0-9]*\).*/\1/p")"
  if [[ -n "$ours" && -n "$theirs" && "$theirs" != 0 ]]; then
    awk -v d="$d" -v a="$ours" -v b="$theirs" 'BEGIN { printf "  d_model %4d: %8.0f vs %8.0f tok/s = %.2fx\n", d, a, b, a / b }'
  fi
done
echo "(Shared 2-core machine: other jobs compete for the cores, so all figures are noisy.)"
