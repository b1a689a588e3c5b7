#!/usr/bin/env bash
# Fills fuzz/corpus/<target>/ with seed inputs from the sample site, the test fixtures and the golden
# pages, plus hand-written HTTP requests and search queries. Files are named by their SHA-1, so
# running it again adds nothing twice. Run from anywhere: fuzz/seed.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
corpus="$root/fuzz/corpus"

# add TARGET FILE...: copies each file (up to 32 KiB; seeds stay small) under its hash.
add() {
    local target="$1"
    shift
    mkdir -p "$corpus/$target"
    local f
    for f in "$@"; do
        [ "$(stat -c %s "$f")" -le 32768 ] || continue
        cp "$f" "$corpus/$target/$(sha1sum "$f" | cut -c1-16)"
    done
}

# say TARGET TEXT: one seed from a printf format string (so \r\n can be written).
say() {
    local tmp
    tmp="$(mktemp)"
    # shellcheck disable=SC2059
    printf "$2" >"$tmp"
    add "$1" "$tmp"
    rm -f "$tmp"
}

cd "$root"
mapfile -t md < <(find content tests/fixtures -name '*.md' -type f | sort)
add content_file "${md[@]}"
mapfile -t toml < <(find tests/fixtures -name 'site.toml' -type f | sort)
add site_toml site.toml "${toml[@]}"
mapfile -t html < <(find tests/golden tests/fixtures themes -name '*.html' -type f | sort)
add html_links "${html[@]}"

for req in \
    'GET / HTTP/1.1\r\nHost: localhost:1111\r\n\r\n' \
    'HEAD /2025/08/08/x/ HTTP/1.0\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n' \
    'GET /tags/%%ED%%9C%%B4/?q=a HTTP/1.1\r\nHost: [::1]:8080\r\nAccept-Encoding: gzip;q=0, br\r\n\r\n' \
    'GET /../etc/passwd HTTP/1.1\r\nHost: localhost\r\n\r\n' \
    'GET /%%2e%%2e/%%2fx HTTP/1.1\r\nHost: evil.example\r\n\r\n' \
    'GET /__sosik/events HTTP/1.1\r\nHost: localhost:1111\r\nOrigin: http://localhost:1111\r\n\r\n' \
    '\r\n\r\nGET /a HTTP/1.1\r\nHost: a\r\n\r\nGET /b HTTP/1.1\r\nHost: b\r\nContent-Length: 3\r\n\r\nabc' \
    'GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n' \
    'POST /search HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n' \
    'GET /c:/x\\y HTTP/1.1\r\nHost: 0.0.0.0\r\n\r\n'; do
    say http_request "$req"
done

for q in '딥시크' '딥시크를 ' 'deepseek 모델' '인공지능반도체 공급' 'ai반도체' '휴머노이드로봇의' '반도체공급을' \
    '딥시' 'hbm, gpu' '"로봇" -공개' '를 에서' 'Ａ Ｉ 반도체' '딥시크-v3'; do
    say search_query "$q"
done
