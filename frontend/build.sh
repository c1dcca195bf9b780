#!/bin/sh
# Builds GOV.UK Frontend and MoJ Frontend (pinned in package.json and
# package-lock.json) into jmappa/static/vendor/design-system/, and copies axe-core
# for the browser tests. The output is committed: running the application needs
# no Node.js; only changing the pinned versions or jmappa.scss does.
set -eu
cd "$(dirname "$0")"
npm ci --no-audit --no-fund --ignore-scripts
out=../jmappa/static/vendor/design-system
rm -rf "$out"
mkdir -p "$out/css" "$out/js" "$out/assets/images"
npx sass --load-path=node_modules --load-path=. --style=compressed --no-source-map \
  --quiet-deps --silence-deprecation=import jmappa.scss "$out/css/frontend.min.css"
cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js "$out/js/"
cp node_modules/@ministryofjustice/frontend/moj/moj-frontend.min.js "$out/js/"
cp node_modules/@ministryofjustice/frontend/moj/assets/images/*.svg "$out/assets/images/"
cp node_modules/govuk-frontend/LICENSE.txt "$out/LICENSE-govuk-frontend.txt" 2>/dev/null \
  || printf 'govuk-frontend %s: MIT licence\n' "$(node -p "require('govuk-frontend/package.json').version")" > "$out/LICENSE-govuk-frontend.txt"
cp node_modules/@ministryofjustice/frontend/LICENSE.txt "$out/LICENSE-moj-frontend.txt" 2>/dev/null \
  || printf '@ministryofjustice/frontend %s: MIT licence\n' "$(node -p "require('@ministryofjustice/frontend/package.json').version")" > "$out/LICENSE-moj-frontend.txt"
mkdir -p ../tests/browser/vendor
cp node_modules/axe-core/axe.min.js node_modules/axe-core/LICENSE ../tests/browser/vendor/
