#!/usr/bin/env bash
# Re-fetch the vendored deep-chat bundle (bot/static/web/) from the npm registry and check
# it: the tarball's sha512 must be the one recorded here (docs/NOTES-research-12-14.md), and
# the vendored files must be the tarball's. Usage: scripts/fetch_deep_chat.sh [--check]
#   --check   verify the vendored files against a fresh tarball, change nothing.
# Never run at build or run time: the bundle is committed; the app uses no CDN.
set -euo pipefail
VERSION="2.4.2"
INTEGRITY="sha512-wQNd6Z6HDoH7OMeoQKpmxDm9XdWrRjMkBJ2yl5tsYND9Dz2UCv/BdGVM8vK2V0mhO1u+OniHYPWDGvjlNxjCeQ=="
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEST="$ROOT/bot/static/web"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

(cd "$work" && npm pack --silent "deep-chat@$VERSION" >/dev/null)
tarball="$work/deep-chat-$VERSION.tgz"
actual="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
if [ "$actual" != "$INTEGRITY" ]; then
  echo "deep-chat $VERSION: integrity mismatch ($actual)" >&2
  exit 1
fi
tar -xzf "$tarball" -C "$work"
if [ "${1:-}" = "--check" ]; then
  cmp "$work/package/dist/deepChat.bundle.js" "$DEST/deepChat.bundle.js"
  cmp "$work/package/LICENSE" "$DEST/LICENSE.deep-chat.txt"
  echo "deep-chat $VERSION: vendored files match the registry's tarball"
  exit 0
fi
cp "$work/package/dist/deepChat.bundle.js" "$DEST/deepChat.bundle.js"
cp "$work/package/LICENSE" "$DEST/LICENSE.deep-chat.txt"
echo "deep-chat $VERSION vendored in bot/static/web/ (integrity checked)"
