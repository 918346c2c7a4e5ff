#!/usr/bin/env bash
# Run an actbench matrix on a Slurm cluster: one array task per shard, then one merge job that
# starts when every shard succeeded.
#
#   scripts/slurm-array.sh CONFIG SHARDS [OUT [TASKS]]
#
#   CONFIG   benchmark config, e.g. configs/default.toml
#   SHARDS   number of shards (array task I runs `actbench run CONFIG --shard I/SHARDS`)
#   OUT      merged results directory on a filesystem every node sees (default:
#            results/<config file stem>)
#   TASKS    which shards to submit, as a Slurm array list (default 1-SHARDS); e.g. `2` or
#            `2,5` to resubmit failed shards, which resume where they stopped
#
# Shard I writes OUT/shard-I-of-SHARDS/ and logs to OUT/logs/shard-I.log; every task runs with
# `--resume`, so a requeued (`scontrol requeue`) or resubmitted task continues and loses or
# repeats no cell. A shard that fails says so in its log and in OUT/logs/failed-shards.txt, with
# the command that resubmits it; the merge job is then cancelled (it runs only when every
# submitted shard succeeded). The merge job runs `actbench merge OUT/shard-*-of-SHARDS --out OUT`
# and prints the tables to OUT/logs/merge.log. Job ids go to OUT/logs/jobs.txt. Extra sbatch
# options: ACTBENCH_SBATCH_OPTS (e.g. "--partition=cpu --cpus-per-task=4 --time=02:00:00"). The
# actbench binary: ACTBENCH (default: `actbench` on PATH, else target/release/actbench).
set -euo pipefail

usage() { sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
[ $# -ge 2 ] && [ $# -le 4 ] || usage
config=$1
shards=$2
out=${3:-results/$(basename "$config" .toml)}
case $shards in ''|*[!0-9]*|0) echo "error: SHARDS must be a positive integer, got '$shards'" >&2; exit 2 ;; esac
tasks=${4:-1-$shards}
case $tasks in ''|*[!0-9,-]*) echo "error: TASKS must be a Slurm array list like 2 or 1-3,5, got '$tasks'" >&2; exit 2 ;; esac
[ -f "$config" ] || { echo "error: $config: no such config file" >&2; exit 2; }
command -v sbatch >/dev/null || { echo "error: sbatch not found: run this on a Slurm login node" >&2; exit 2; }

actbench=${ACTBENCH:-$(command -v actbench || echo target/release/actbench)}
read -r -a extra <<< "${ACTBENCH_SBATCH_OPTS:-}"
mkdir -p "$out/logs"

# Check the whole plan once before submitting anything (bad configs fail here, not on the cluster).
"$actbench" run "$config" --dry-run > /dev/null

# A task that fails (not one that is interrupted to be requeued: exit 130) leaves word of it.
shard='${SLURM_ARRAY_TASK_ID}'
resubmit="scripts/slurm-array.sh $config $shards $out $shard"
on_failure="code=\$?; if [ \$code -ne 130 ]; then msg=\"shard $shard/$shards failed (exit \$code) on \$(hostname); the merge job will not run. Fix the cause (see $out/logs/shard-$shard.log), then resubmit this shard and the merge with: $resubmit\"; echo \"\$msg\" >&2; echo \"\$msg\" >> $out/logs/failed-shards.txt; fi; exit \$code"
array_job=$(sbatch --parsable "${extra[@]}" --job-name=actbench --array="$tasks" --requeue \
  --open-mode=append --output="$out/logs/shard-%a.log" \
  --wrap="$actbench run $config --shard $shard/$shards --out $out/shard-$shard-of-$shards --resume || { $on_failure; }")
array_job=${array_job%%;*}

merge_job=$(sbatch --parsable "${extra[@]}" --job-name=actbench-merge \
  --dependency="afterok:$array_job" --kill-on-invalid-dep=yes \
  --output="$out/logs/merge.log" \
  --wrap="$actbench merge $out/shard-*-of-$shards --out $out --format markdown")
merge_job=${merge_job%%;*}

echo "array=$array_job tasks=$tasks merge=$merge_job" >> "$out/logs/jobs.txt"
echo "submitted array job $array_job (shards $tasks of $shards) and merge job $merge_job; results: $out, logs: $out/logs"
