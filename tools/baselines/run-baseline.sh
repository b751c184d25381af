#!/usr/bin/env bash
# TF-IDF + LR baseline on the same rows as `moe-router eval`, for BANKING77 and HWU64
# (and, with HOLD_OUT=N, with N whole intents held out as out-of-scope).
#   bash tools/baselines/run-baseline.sh [OUT_DIR]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="${1:-$root/.baselines}"
datasets="${MOE_DATASETS_DIR:-$root/../shared/datasets}"
for name in banking77 hwu64; do
  extra=()
  suffix=""
  if [[ -n "${HOLD_OUT:-}" ]]; then extra=(--hold-out-intents "$HOLD_OUT"); suffix="-oos$HOLD_OUT"; fi
  (cd "$root" && pnpm exec tsx tools/baselines/export-split.ts "$datasets/$name/$name.jsonl" "$out/$name$suffix" "${extra[@]}")
  /usr/bin/python3 "$root/tools/baselines/tfidf_lr.py" "$out/$name$suffix" --json "$out/$name$suffix.json"
done
