#!/usr/bin/env bash
# An S3 bucket (or any S3-compatible store: Cloudflare R2, MinIO, … through AWS_ENDPOINT_URL):
# builds the site and uploads public/ with `aws s3 sync`, giving every text file its content type
# with charset (the CLI's guesses have none, and feeds would be application/xml).
#
#   BUCKET=my-bucket SITE_URL=https://example.org/news/ PREFIX=news examples/deploy/s3.sh
#
# BUCKET    the bucket
# SITE_URL  the address readers use; its path is the prefix every link starts with
# PREFIX    the key prefix the site lives under ("" for the bucket root, "news" for /news/);
#           it must match SITE_URL's path when the bucket (or CloudFront) serves that path
# ROOT      the site folder (default .); SOSIK the sosik binary (default: sosik on PATH)
#
# With S3 static website hosting set the index document to index.html and the error document to
# <PREFIX>/404.html. Behind CloudFront with a REST origin, folder URLs (/news/2025/07/) need a
# viewer-request function that appends index.html. The build does not use --precompress: S3 does
# not choose .br/.gz copies by Accept-Encoding; let CloudFront compress instead.
#
# `aws s3 sync` uploads files that are newer than the bucket's copies, and every build writes every
# file anew, so each run uploads the whole site (about 30,000 files for 10,000 articles).
set -euo pipefail

: "${BUCKET:?set BUCKET, e.g. BUCKET=my-bucket}"
: "${SITE_URL:?set SITE_URL, e.g. SITE_URL=https://example.org/news/}"
PREFIX="${PREFIX-}"
ROOT="${ROOT:-.}"
SOSIK="${SOSIK:-sosik}"
OUT="$ROOT/public"

"$SOSIK" check --root "$ROOT"
"$SOSIK" build --root "$ROOT" --output "$OUT" --base-url "$SITE_URL" --minify

dest="s3://$BUCKET/${PREFIX:+${PREFIX%/}/}"
# Pages, feeds, the sitemap, the search manifest, style.css and search.js keep their names from build
# to build (the pages link the last two with ?v=<hash>, but CloudFront ignores query strings by
# default); the other search files have a content hash in their names and never change.
short="public, max-age=300"
long="public, max-age=31536000, immutable"

# One pass per type: the last matching filter wins, so each pass excludes everything, then
# includes its own files.
typed() {
    local type="$1" cache="$2"
    shift 2
    aws s3 sync "$OUT/" "$dest" --exclude '*' "$@" --content-type "$type" --cache-control "$cache"
}
typed 'text/html; charset=utf-8' "$short" --include '*.html'
typed 'application/atom+xml; charset=utf-8' "$short" --include '*feed.xml'
typed 'application/xml; charset=utf-8' "$short" --include 'sitemap*.xml'
typed 'text/plain; charset=utf-8' "$short" --include '*.txt'
typed 'application/json' "$short" --include 'search/manifest.json'
typed 'application/json' "$long" --include 'search/*.json' --exclude 'search/manifest.json'
typed 'text/css; charset=utf-8' "$short" --include '*.css'
typed 'text/javascript; charset=utf-8' "$short" --include '*.js'
typed 'image/svg+xml' "$short" --include '*.svg'

# Everything else (images, …) with the types the CLI guesses; then delete what the build no
# longer writes. Files uploaded above are not sent again (the bucket's copies are newer).
aws s3 sync "$OUT/" "$dest" --delete --exclude '*.gz' --exclude '*.br'
