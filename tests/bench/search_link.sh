#!/bin/bash
# Builds synthetic archives of N articles and measures a cold search on them over the emulated phone
# link of search_link.js (150 ms round trip, 1.6 Mbit/s shared, gzip, HTTP/2), 3 runs per query.
#
#   tests/bench/search_link.sh SOSIK_BINARY WORK_DIR N [N …]
#   tests/bench/search_link.sh target/release/sosik /tmp/link 10000 50000 100000
#
# WORK_DIR/N holds the archive (made once by gen_archive.py, with this repository's site.toml and
# static/) and WORK_DIR/N/public its build (made once; delete it to build again). The build takes
# --drafts because the generator dates articles from 2025-01-01 on, 30-50 a day, so a large archive
# reaches past today and a plain build would leave those out. Set SEARCH_LINK_ARGS for more options
# of search_link.js (say --json or --http1). Needs python3, node, playwright-core (npm ci) and
# Chromium.
set -euo pipefail
[ $# -ge 3 ] || { sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
bin=$(realpath "$1"); work=$2; shift 2
repo=$(cd "$(dirname "$0")/../.." && pwd)
for n in "$@"; do
    dir=$work/$n
    if [ ! -d "$dir/content" ]; then
        python3 "$repo/tests/bench/gen_archive.py" "$n" "$dir"
        cp -r "$repo/site.toml" "$repo/static" "$dir/"
    fi
    if [ ! -f "$dir/public/search/manifest.json" ]; then
        "$bin" build --drafts --root "$dir" --output "$dir/public"
    fi
    echo "== $n articles"
    # shellcheck disable=SC2086
    node "$repo/tests/bench/search_link.js" --runs 3 ${SEARCH_LINK_ARGS:-} "$dir/public"
done
