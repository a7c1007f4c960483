#!/usr/bin/env bash
# The package as a researcher installs it (CI step; `npm run test:package`):
#  1. `npm publish --dry-run` prints no warning (but the one that says CI is not logged in to npm);
#     it runs `prepare` and `prepack`, so it also builds dist/;
#  2. `npm pack` makes the tarball, which goes into an empty project in a temporary folder with
#     `npm install <tarball>` (the dependencies come from the npm registry, nothing else);
#  3. two programs run there against the installed package: the Lyapunov spectrum of an SDE the
#     program defines (ES module) and the sharpness of a small MLP by Lanczos, with worker threads
#     (CommonJS); both check their numbers and exit 1 when they disagree;
#  4. their types check against the package's declarations (tsc --checkJs, Node's module resolution);
#  5. the bare package name, and a concept that does not exist, fail with errors that say what to import.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "test:package: $*" >&2; exit 1; }

echo "-- npm publish --dry-run"
npm publish --dry-run >"$tmp/publish.out" 2>"$tmp/publish.err" || { cat "$tmp/publish.err"; fail "npm publish --dry-run failed"; }
# CI has no npm account: the dry run's "requires you to be logged in" is the only warning allowed.
if grep -i "warn" "$tmp/publish.err" | grep -v "requires you to be logged in"; then fail "npm publish --dry-run warned (above)"; fi
grep -E "npm notice (name|version|package size|unpacked size|total files):" "$tmp/publish.err" | sed 's/^npm notice /   /'
for f in LICENSE CHANGELOG.md README.md package.json dist/lyapunov.js dist/lyapunov.d.ts dist/esm/lyapunov.mjs dist/esm/lyapunov.d.mts dist/kernels/kernels.wasm dist/nn/data-parallel.js; do
  grep -qE "npm notice [0-9.]+[kMG]?B $f\$" "$tmp/publish.err" || fail "the tarball lacks $f"
done
if grep -E "npm notice [0-9.]+[kMG]?B " "$tmp/publish.err" | grep -vE " (LICENSE|CHANGELOG.md|README.md|package.json|dist/.*)$"; then fail "the tarball holds files outside dist/ (above)"; fi

echo "-- npm pack"
npm pack --pack-destination "$tmp" >"$tmp/pack.out" 2>"$tmp/pack.err" || { cat "$tmp/pack.err"; fail "npm pack failed"; }
tarball="$tmp/$(tail -n 1 "$tmp/pack.out")"
[ -f "$tarball" ] || fail "npm pack made no tarball ($tarball)"

echo "-- npm install $(basename "$tarball") into an empty project"
mkdir "$tmp/project"
cp tools/package/examples/lyapunov-sde.mjs tools/package/examples/sharpness.cjs "$tmp/project/"
cd "$tmp/project"
# A tarball is a file source, for which npm lists the package's `prepare` (the checkout's wasm build)
# among install scripts to review, although it never runs it for a tarball; from the registry it is
# not listed at all. The empty project records that review, as npm's message asks.
printf '{ "name": "try-rds-solvers", "version": "1.0.0", "private": true, "allowScripts": { "rds-solvers": false } }\n' >package.json
npm install --no-audit --no-fund "$tarball" >"$tmp/install.out" 2>&1 || { cat "$tmp/install.out"; fail "npm install of the tarball failed"; }
if grep -i "warn" "$tmp/install.out"; then fail "npm install of the tarball warned (above)"; fi
[ ! -e node_modules/tsx ] || fail "the package pulled in tsx, a development tool"
[ ! -e node_modules/tslab ] || fail "the package pulled in tslab, an optional peer"

echo "-- node lyapunov-sde.mjs (ES module)"
node lyapunov-sde.mjs
echo "-- node sharpness.cjs (CommonJS, worker threads)"
node sharpness.cjs

echo "-- types: tsc --checkJs on both programs"
node "$root/node_modules/typescript/bin/tsc" --noEmit --allowJs --checkJs --strict --noImplicitAny false --module nodenext --moduleResolution nodenext --target es2022 --types node --typeRoots "$root/node_modules/@types" lyapunov-sde.mjs sharpness.cjs

echo "-- bad input: the bare name and an unknown concept"
out=$(node -e 'require("rds-solvers")' 2>&1) && fail "require(\"rds-solvers\") did not throw"
grep -q 'rds-solvers has no default entry: import one concept, e.g. require("rds-solvers/lyapunov")' <<<"$out" || fail "require(\"rds-solvers\"): unclear error: $out"
out=$(node --input-type=module -e 'import "rds-solvers";' 2>&1) && fail "import \"rds-solvers\" did not throw"
grep -q 'rds-solvers has no default entry' <<<"$out" || fail "import \"rds-solvers\": unclear error: $out"
out=$(node -e 'require("rds-solvers/lyapunov/spectrum")' 2>&1) && fail "a path that is no concept loaded"
grep -q "ERR_PACKAGE_PATH_NOT_EXPORTED" <<<"$out" || fail "an unknown path: unexpected error: $out"
echo "package: 7 passed, 0 failed"
