#!/usr/bin/env bash
# Builds actbench's `cuda` feature without downloading LLVM: Debian's LLVM stands in for the
# archive that CubeCL's LLVM bundler would otherwise fetch from the internet in its build script.
#
#   scripts/build-cuda-offline.sh                       # set up, then: cargo check -p actbench --no-default-features --features cuda
#   scripts/build-cuda-offline.sh -- CMD [ARGS...]      # set up, then run CMD instead, e.g.
#       scripts/build-cuda-offline.sh -- cargo build --release -p actbench --features cuda
#   eval "$(scripts/build-cuda-offline.sh --env-only)"  # set up, print the `export` lines, run nothing
#
# Options:
#   --env-only        do the set-up, then print the environment as `export` lines on stdout (all
#                     other messages go to stderr) and run no command
#   --no-apt          never call apt-get: stop with an error if a package is missing
#   --llvm-major N    Debian's LLVM to use (default 22, or $ACTBENCH_CUDA_LLVM_MAJOR)
#   -h, --help        this text
# Bad arguments exit with code 2. CARGO_TARGET_DIR, RUSTFLAGS and the rest of the environment are
# passed through untouched.
#
# Why: `cubecl-cuda` depends on `cubecl-llvm`, whose build dependency `tracel-llvm-bundler`
# downloads an LLVM archive (GitHub releases) unless its installed-marker exists in
#   ${XDG_DATA_HOME:-~/.local/share}/tracel/tracel-llvm-<bundler version>/.tracel-llvm-installed
# (the version, e.g. 23.1.0-4, is read from Cargo.lock). After that, everything LLVM is found
# through `<that dir>/bin/llvm-config` (`--libs`, `--system-libs`, `--libdir`, `--includedir`,
# `--cxxflags`): cubecl-llvm's build script compiles its C++ shims against those headers and links
# those static libraries. llvm-sys itself is built with `no-llvm-linking` +
# `disable-alltargets-init` and looks for no LLVM at all (so no LLVM_SYS_*_PREFIX is needed).
#
# What it changes on the machine (every step is skipped when already done, so a rerun is a no-op):
#   1. packages, by apt-get (as root; apt-get update first only when one is missing):
#        llvm-N-dev libpolly-N-dev libzstd-dev g++   (N = 22; llvm-N-dev brings libz3-dev & co.)
#      libpolly: Debian's `llvm-config --link-static --libs` lists -lPolly -lPollyISL.
#   2. files under ${XDG_DATA_HOME:-~/.local/share}/tracel/tracel-llvm-<version>/:
#        bin/llvm-config -> /usr/lib/llvm-N/bin/llvm-config   (symlink)
#        .tracel-llvm-installed                               (empty: the bundler's marker)
#        .actbench-debian-llvm                                (says this script made the dir)
#      A directory that holds a real downloaded bundle (marker present, no .actbench-debian-llvm)
#      is left alone and used as it is.
#   3. a link bridge, ${XDG_DATA_HOME:-~/.local/share}/actbench/llvm-N-link-bridge/, with
#      symlinks for the library names the linker would otherwise not find:
#        liblibz3.so -> /usr/lib/x86_64-linux-gnu/libz3.so   (Debian's --system-libs gives z3 as a
#                       full path; the bundler turns it into `-l libz3`, i.e. liblibz3.so)
#        libNAME.so  -> libNAME.so.X   for any `-lNAME` with no libNAME.so/.a the linker can find
#                       (libzstd.so when libzstd-dev is absent, e.g. with --no-apt)
#      Nothing is written into system directories except by apt-get.
#   4. environment of the command it runs (or prints with --env-only):
#        LIBRARY_PATH=<bridge>[:$LIBRARY_PATH]   (read by the C linker driver, not fingerprinted
#                                                 by cargo, so no rebuild when it changes)
#        XDG_DATA_HOME, only when it is already set (so --env-only hands it on to cargo)
#      The command runs in the repository root (the script cds there first).
set -euo pipefail

die() { echo "build-cuda-offline: $*" >&2; exit 1; }
usage_error() { echo "build-cuda-offline: $*" >&2; echo "usage: scripts/build-cuda-offline.sh [--env-only] [--no-apt] [--llvm-major N] [-- CMD ARGS...]  (--help for more)" >&2; exit 2; }
log() { echo "build-cuda-offline: $*" >&2; }

env_only=0
use_apt=1
llvm_major="${ACTBENCH_CUDA_LLVM_MAJOR:-22}"
cmd=()
while [ $# -gt 0 ]; do
  case "$1" in
    --env-only|--print-env) env_only=1 ;;
    --no-apt) use_apt=0 ;;
    --llvm-major)
      [ $# -ge 2 ] || usage_error "--llvm-major needs a number (e.g. 22)"
      llvm_major="$2"; shift ;;
    --llvm-major=*) llvm_major="${1#--llvm-major=}" ;;
    -h|--help) sed -n '2,/^set -euo pipefail$/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    --)
      shift
      [ $# -gt 0 ] || usage_error "'--' must be followed by a command, e.g. -- cargo build --release -p actbench --features cuda"
      cmd=("$@"); break ;;
    *) usage_error "unknown argument '$1' (allowed: --env-only, --no-apt, --llvm-major N, -h, -- CMD...)" ;;
  esac
  shift
done
[[ "$llvm_major" =~ ^[0-9]+$ ]] || usage_error "--llvm-major must be a whole number, got '$llvm_major'"
if [ "$env_only" = 1 ] && [ ${#cmd[@]} -gt 0 ]; then
  usage_error "--env-only runs no command: drop either it or the '-- ${cmd[*]}'"
fi
[ ${#cmd[@]} -gt 0 ] || cmd=(cargo check -p actbench --no-default-features --features cuda)

cd "$(dirname "$0")/.."
[ "$(uname -s)" = Linux ] || die "this script sets up Debian's LLVM: Linux only"

# --- 0. The bundler version: its data directory is named after it. ------------------------------
[ -f Cargo.lock ] || die "no Cargo.lock in $(pwd)"
bundler_version=$(awk '/^name = "tracel-llvm-bundler"$/ { getline; gsub(/^version = "|"$/, ""); print; exit }' Cargo.lock)
[ -n "$bundler_version" ] || die "Cargo.lock has no tracel-llvm-bundler: the cuda feature would not download LLVM, so nothing to do"
# The directory name is TRACEL_LLVM_VERSION-TRACEL_LLVM_RELEASE_NUMBER from its src/config.rs; it
# has always equalled the crate version. Check it when the source is unpacked.
llvm_dir_version="$bundler_version"
for config_rs in "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/tracel-llvm-bundler-"$bundler_version"/src/config.rs; do
  [ -f "$config_rs" ] || continue
  v=$(sed -n 's/^pub const TRACEL_LLVM_VERSION: &str = "\(.*\)";$/\1/p' "$config_rs")
  r=$(sed -n 's/^pub const TRACEL_LLVM_RELEASE_NUMBER: &str = "\(.*\)";$/\1/p' "$config_rs")
  if [ -n "$v" ] && [ -n "$r" ] && [ "$v-$r" != "$bundler_version" ]; then
    log "note: tracel-llvm-bundler $bundler_version names its directory tracel-llvm-$v-$r (from $config_rs)"
    llvm_dir_version="$v-$r"
  fi
  break
done

# --- 1. Debian packages. --------------------------------------------------------------------------
packages=("llvm-$llvm_major-dev" "libpolly-$llvm_major-dev" libzstd-dev g++)
missing=()
for p in "${packages[@]}"; do
  if [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)" != "install ok installed" ]; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$use_apt" = 0 ]; then
    die "missing Debian packages: ${missing[*]} (install them: apt-get install ${missing[*]}; or run without --no-apt as root)"
  fi
  command -v apt-get >/dev/null 2>&1 || die "missing packages ${missing[*]} and no apt-get here: install LLVM $llvm_major's dev files and static libraries (with Polly) by other means"
  [ "$(id -u)" = 0 ] || die "missing Debian packages: ${missing[*]}. Run as root, or first: sudo apt-get install ${missing[*]}"
  log "installing ${missing[*]} (apt-get)"
  apt-get update -q >&2 || die "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q -o Dpkg::Use-Pty=0 --no-install-recommends "${missing[@]}" >&2 \
    || die "apt-get install ${missing[*]} failed (llvm-$llvm_major-dev is in bookworm-security for Debian 12: is that source enabled?)"
else
  log "packages already installed: ${packages[*]}"
fi
llvm_prefix="/usr/lib/llvm-$llvm_major"
llvm_config="$llvm_prefix/bin/llvm-config"
[ -x "$llvm_config" ] || die "$llvm_config is missing although llvm-$llvm_major-dev is installed"
"$llvm_config" --link-static --libs >/dev/null \
  || die "'$llvm_config --link-static --libs' fails: some static LLVM library is missing (is libpolly-$llvm_major-dev installed?)"

# --- 2. The bundler's directory and marker. -------------------------------------------------------
# Where the `dirs` crate's data_local_dir() points on Linux: $XDG_DATA_HOME if absolute.
if [[ "${XDG_DATA_HOME:-}" == /* ]]; then data_home="$XDG_DATA_HOME"; else data_home="$HOME/.local/share"; fi
bundle_dir="$data_home/tracel/tracel-llvm-$llvm_dir_version"
marker="$bundle_dir/.tracel-llvm-installed"
ours="$bundle_dir/.actbench-debian-llvm"
debian_llvm=1
if [ -e "$marker" ] && [ ! -e "$ours" ]; then
  debian_llvm=0
  log "$bundle_dir holds a downloaded LLVM bundle (marker, not made by this script): using it as it is"
else
  mkdir -p "$bundle_dir/bin"
  if [ "$(readlink "$bundle_dir/bin/llvm-config" 2>/dev/null || true)" != "$llvm_config" ]; then
    ln -sfn "$llvm_config" "$bundle_dir/bin/llvm-config"
    log "made symlink $bundle_dir/bin/llvm-config -> $llvm_config"
    changed_llvm=1
  fi
  if [ "$(cat "$ours" 2>/dev/null || true)" != "$llvm_prefix" ]; then
    printf '%s\n' "$llvm_prefix" > "$ours"
  fi
  if [ ! -e "$marker" ]; then
    : > "$marker"
    log "wrote marker $marker"
  elif [ "${changed_llvm:-0}" = 1 ]; then
    # The bundler's build script reruns when the marker changes: make it (and cubecl-llvm's
    # shims) pick up the other LLVM.
    touch "$marker"
  fi
  log "bundle dir $bundle_dir -> Debian's LLVM $("$llvm_config" --version) at $llvm_prefix"
fi

# --- 3. Library names the linker would not find. --------------------------------------------------
env_lines=()
if [ "$debian_llvm" = 1 ]; then
  bridge="$data_home/actbench/llvm-$llvm_major-link-bridge"
  mkdir -p "$bridge"
  link_to() { # link_to NAME TARGET: $bridge/NAME -> TARGET, unless already so
    if [ "$(readlink "$bridge/$1" 2>/dev/null || true)" != "$2" ]; then
      ln -sfn "$2" "$bridge/$1"
      log "made symlink $bridge/$1 -> $2"
    fi
  }
  found_by_linker() { # is libNAME.so or libNAME.a on the C compiler's default search path?
    local f
    for f in "lib$1.so" "lib$1.a"; do
      [ "$(cc -print-file-name="$f")" != "$f" ] && return 0
    done
    return 1
  }
  # tracel_llvm_bundler::llvm_sys::link() emits `rustc-link-lib=dylib=X` for each token of
  # --system-libs: `-lX` gives X; a path gives its file stem (/usr/lib/.../libz3.so -> libz3).
  for token in $("$llvm_config" --link-static --system-libs); do
    case "$token" in
      -l*)
        name="${token#-l}"
        found_by_linker "$name" && continue
        so=$("$(command -v ldconfig || echo /sbin/ldconfig)" -p | awk -v n="lib$name.so." 'index($1, n) == 1 { print $NF; exit }')
        [ -n "$so" ] || die "the linker finds no lib$name (from llvm-config --system-libs): install its -dev package"
        link_to "lib$name.so" "$so" ;;
      */*)
        [ -e "$token" ] || die "llvm-config --system-libs names $token, which does not exist"
        base="${token##*/}"
        stem="${base%.*}"
        link_to "lib$stem.so" "$token" ;;
    esac
  done
  library_path="$bridge${LIBRARY_PATH:+:$LIBRARY_PATH}"
  case ":${LIBRARY_PATH:-}:" in *":$bridge:"*) library_path="$LIBRARY_PATH" ;; esac
  export LIBRARY_PATH="$library_path"
  env_lines+=("export LIBRARY_PATH=$(printf '%q' "$LIBRARY_PATH")")
fi
# The bundler must look in the same data directory at build time as this script did.
if [[ "${XDG_DATA_HOME:-}" == /* ]]; then
  env_lines+=("export XDG_DATA_HOME=$(printf '%q' "$XDG_DATA_HOME")")
fi

# --- 4. Print or run. ------------------------------------------------------------------------------
if [ "$env_only" = 1 ]; then
  echo "# actbench cuda build without an LLVM download (scripts/build-cuda-offline.sh)"
  for line in "${env_lines[@]}"; do echo "$line"; done
  exit 0
fi
log "CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-<unset: ./target>}"
log "running: ${cmd[*]}"
exec "${cmd[@]}"
