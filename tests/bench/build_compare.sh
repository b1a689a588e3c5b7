#!/usr/bin/env bash
# Compares the build cost of several sosik binaries on one archive: runs them in turn (A B C A B C
# ...), so that a busy moment of the machine falls on all of them, and prints each run and the
# median user CPU, wall time and peak memory per binary.
#
#   tests/bench/build_compare.sh CONTENT_DIR RUNS BINARY[=SITE_TOML] ...
#
# CONTENT_DIR is an archive's content/ folder (tests/bench/gen_archive.py N DIR writes DIR/content).
# Each binary builds a site of its own: that content, linked, and the site.toml given after `=`
# (an older binary may reject a newer site.toml; take it from the binary's own commit with
# `git show COMMIT:site.toml`), or the repository's site.toml; a static/ folder beside that
# site.toml comes along. Output goes to /dev/shm when it
# exists, so that disk writes add no noise. A failed build stops the script: a comparison with a
# binary that did not build the site is no comparison.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
content=$(cd "$1" && pwd)
runs=$2
shift 2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/sosik-compare.XXXXXX")
out_root=/dev/shm
[ -d "$out_root" ] || out_root=$tmp
out="$out_root/sosik-compare-$$"
trap 'rm -rf "$tmp" "$out"' EXIT

bins=()
for spec in "$@"; do
    bin=${spec%%=*}
    toml=$repo/site.toml
    [ "$spec" != "$bin" ] && toml=${spec#*=}
    k=${#bins[@]}
    mkdir -p "$tmp/site$k"
    ln -s "$content" "$tmp/site$k/content"
    cp "$toml" "$tmp/site$k/site.toml"
    # The site's own static files (the repository's share image, which its site.toml names).
    [ -d "$(dirname "$toml")/static" ] && ln -s "$(cd "$(dirname "$toml")/static" && pwd)" "$tmp/site$k/static"
    bins+=("$bin")
done

printf '%-40s %4s %8s %8s %8s\n' binary run user_s wall_s peak_MB
for run in $(seq "$runs"); do
    for k in "${!bins[@]}"; do
        rm -rf "$out"
        if ! /usr/bin/time -o "$tmp/time" -f '%U %e %M' "${bins[$k]}" build --root "$tmp/site$k" --output "$out" \
            >"$tmp/log" 2>&1; then
            echo "build failed: ${bins[$k]}" >&2
            cat "$tmp/log" >&2
            exit 1
        fi
        read -r user wall peak <"$tmp/time"
        printf '%-40s %4d %8s %8s %8d\n' "${bins[$k]}" "$run" "$user" "$wall" $((peak / 1024))
        echo "$k $user $wall $peak" >>"$tmp/all"
    done
done

echo
printf '%-40s %10s %10s %10s\n' binary median_user median_wall median_MB
for k in "${!bins[@]}"; do
    median() { sort -n | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }
    u=$(awk -v k="$k" '$1 == k {print $2}' "$tmp/all" | median)
    w=$(awk -v k="$k" '$1 == k {print $3}' "$tmp/all" | median)
    m=$(awk -v k="$k" '$1 == k {print $4}' "$tmp/all" | median)
    printf '%-40s %10.2f %10.2f %10.0f\n' "${bins[$k]}" "$u" "$w" "$((${m%.*} / 1024))"
done
