#!/usr/bin/env bash
# Cost of `--minify` and `--precompress` on a synthetic archive (issue "Publishing", Speed):
# time, peak memory and output size of four builds of the same site.
#
#   tests/bench/publish_cost.sh [N=10000] [SITE=/tmp/sosik-bench-N]
#
# Sizes are the sum of file sizes (not du, which also counts directories); `orig` is the pages,
# feeds and static files, `gz` / `br` the precompressed copies. Each build starts from an empty
# output folder, so no compressed copy is reused from an earlier build.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
n=${1:-10000}
site=${2:-/tmp/sosik-bench-$n}
if [ ! -d "$site/content" ]; then
    python3 tests/bench/gen_archive.py "$n" "$site" >/dev/null
fi
cp -r site.toml static "$site/"
cargo build --release --quiet
out=$(mktemp -d)/public
printf '%-22s %8s %8s %8s %9s %7s %10s %10s %10s\n' flags wall_s user_s sys_s peak_MB files orig_MB gz_MB br_MB
for flags in "" "--minify" "--precompress" "--minify --precompress"; do
    rm -rf "$out"
    /usr/bin/time -o "$out.time" -f '%e %U %S %M' target/release/sosik build --root "$site" --output "$out" $flags >/dev/null
    read -r wall user sys peak <"$out.time"
    sizes=$(find "$out" -type f -printf '%f %s\n' | awk '
        /\.gz /{gz+=$2; next} /\.br /{br+=$2; next} {orig+=$2}
        END {printf "%d %.1f %.1f %.1f", NR, orig/1e6, gz/1e6, br/1e6}')
    read -r files orig gz br <<<"$sizes"
    printf '%-22s %8s %8s %8s %9d %7s %10s %10s %10s\n' "${flags:-(none)}" "$wall" "$user" "$sys" $((peak / 1024)) "$files" "$orig" "$gz" "$br"
done
rm -rf "$(dirname "$out")"
