#!/usr/bin/env bash
# npm run figures:readme: the README's picture (and the site index's), made the way every static
# figure is made: notebook 03 executed at full size, seed 1 (npm run reproduce), then its figures
# exported by `npm run figures`; the first one, the drift of Z_t measured in two-point RQF
# simulations against the derived drift and the talk's printed one, becomes docs/images/feller-drift.png.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=out/readme-figure
npm run --silent reproduce -- --no-site --seed 1 --out "$out" 03
npm run --silent figures -- "$out"
mkdir -p docs/images
cp "$out/figures/03-feller-test-on-z/figure-1.png" docs/images/feller-drift.png
echo "figures:readme: docs/images/feller-drift.png ($(wc -c <docs/images/feller-drift.png) bytes)"
