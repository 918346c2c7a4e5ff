#!/usr/bin/env bash
# Run an actbench matrix on a Slurm cluster: one array task per shard, then one merge job that
# starts when every shard succeeded.
#
#   scripts/slurm-array.sh CONFIG SHARDS [OUT]
#
#   CONFIG   benchmark config, e.g. configs/default.toml
#   SHARDS   number of array tasks (each runs `actbench run CONFIG --shard I/SHARDS`)
#   OUT      merged results directory (default: results/<config file stem>)
#
# Shard I writes OUT/shard-I-of-SHARDS/; a requeued or re-submitted task resumes where it stopped
# (`--resume`). The merge job runs `actbench merge OUT/shard-*-of-SHARDS --out OUT` and prints the
# tables to its Slurm log. Extra sbatch options: ACTBENCH_SBATCH_OPTS (e.g. "--partition=cpu
# --cpus-per-task=4 --time=02:00:00"). The actbench binary: ACTBENCH (default: `actbench` on PATH,
# else target/release/actbench).
set -euo pipefail

usage() { sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
[ $# -ge 2 ] && [ $# -le 3 ] || usage
config=$1
shards=$2
out=${3:-results/$(basename "$config" .toml)}
case $shards in ''|*[!0-9]*|0) echo "error: SHARDS must be a positive integer, got '$shards'" >&2; exit 2 ;; esac
[ -f "$config" ] || { echo "error: $config: no such config file" >&2; exit 2; }
command -v sbatch >/dev/null || { echo "error: sbatch not found: run this on a Slurm login node" >&2; exit 2; }

actbench=${ACTBENCH:-$(command -v actbench || echo target/release/actbench)}
read -r -a extra <<< "${ACTBENCH_SBATCH_OPTS:-}"
mkdir -p "$out/logs"

# Check the whole plan once before submitting anything (bad configs fail here, not on the cluster).
"$actbench" run "$config" --dry-run > /dev/null

array_job=$(sbatch --parsable "${extra[@]}" --job-name=actbench --array="1-$shards" \
  --output="$out/logs/shard-%a.log" \
  --wrap="$actbench run $config --shard \${SLURM_ARRAY_TASK_ID}/$shards --out $out/shard-\${SLURM_ARRAY_TASK_ID}-of-$shards --resume")
array_job=${array_job%%;*}

merge_job=$(sbatch --parsable "${extra[@]}" --job-name=actbench-merge --dependency="afterok:$array_job" \
  --output="$out/logs/merge.log" \
  --wrap="$actbench merge $out/shard-*-of-$shards --out $out --format markdown")
merge_job=${merge_job%%;*}

echo "submitted array job $array_job ($shards shards) and merge job $merge_job; results: $out, logs: $out/logs"
