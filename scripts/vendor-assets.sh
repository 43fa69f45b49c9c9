#!/usr/bin/env bash
# Re-fetch and rebuild the vendored front-end assets in web/static/vendor/ from npm.
#
# Run by a maintainer when upgrading an asset (not by CI: the app must run offline, so the
# built files are committed). Needs node + npm and access to the npm registry.
#
#   scripts/vendor-assets.sh            # uses the pinned versions below
#
# What it does:
#   * govuk-frontend: compiles the Sass with the system font stack instead of the GDS
#     Transport font (reserved for GOV.UK) and copies the compiled CSS, the JS and the
#     LICENCE. The crown/crest images, the GOV.UK favicons and the fonts are NOT copied.
#   * htmx.org 2.x and htmx-ext-sse: the minified builds and their LICENCE files.
#   * swagger-ui-dist: the bundle and CSS for /docs, with LICENSE and NOTICE.
#   * axe-core: axe.min.js for the accessibility scan in the browser tests, with LICENSE.
set -euo pipefail

GOVUK_FRONTEND=5.9.0
HTMX=2.0.11
HTMX_EXT_SSE=2.2.4
SWAGGER_UI_DIST=5.35.0
AXE_CORE=4.14.1
SASS=1

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
VENDOR="$ROOT/web/static/vendor"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

cd "$WORK"
npm init -y >/dev/null
npm install --no-audit --no-fund --ignore-scripts \
  "govuk-frontend@$GOVUK_FRONTEND" "htmx.org@$HTMX" "htmx-ext-sse@$HTMX_EXT_SSE" \
  "swagger-ui-dist@$SWAGGER_UI_DIST" "axe-core@$AXE_CORE" "sass@$SASS" >/dev/null

rm -rf "$VENDOR"
mkdir -p "$VENDOR"/{govuk-frontend,htmx,swagger-ui,axe-core}

# govuk-frontend: own build, no GDS Transport font, no crown.
cat > govuk.scss <<'SCSS'
$govuk-font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
$govuk-include-default-font-face: false;
$govuk-assets-path: "/static/vendor/govuk-frontend/assets/";
@import "node_modules/govuk-frontend/dist/govuk/index";
SCSS
npx sass --no-source-map --style=compressed --quiet \
  --load-path=. govuk.scss "$VENDOR/govuk-frontend/govuk-frontend.min.css"
if grep -q "GDS Transport" "$VENDOR/govuk-frontend/govuk-frontend.min.css"; then
  echo "error: the GDS Transport font is still referenced" >&2
  exit 1
fi
cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js "$VENDOR/govuk-frontend/"
# The npm package does not ship its licence file; package.json says MIT. This is the text
# of LICENSE.txt in the alphagov/govuk-frontend repository.
grep -q '"license": "MIT"' node_modules/govuk-frontend/package.json
cat > "$VENDOR/govuk-frontend/LICENSE.txt" <<'LICENCE'
The MIT License (MIT)

Copyright (c) 2016 Crown Copyright (Government Digital Service)

Permission is hereby granted, free of charge, to any person obtaining a copy of
this software and associated documentation files (the "Software"), to deal in
the Software without restriction, including without limitation the rights to
use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of
the Software, and to permit persons to whom the Software is furnished to do so,
subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS
FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR
COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER
IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN
CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
LICENCE
echo "govuk-frontend $GOVUK_FRONTEND (built with the system font stack; fonts and crown images omitted)" \
  > "$VENDOR/govuk-frontend/VERSION"

cp node_modules/htmx.org/dist/htmx.min.js "$VENDOR/htmx/htmx.min.js"
cp node_modules/htmx.org/LICENSE "$VENDOR/htmx/LICENSE-htmx.txt"
cp node_modules/htmx-ext-sse/dist/sse.min.js "$VENDOR/htmx/sse.min.js" 2>/dev/null \
  || cp node_modules/htmx-ext-sse/sse.js "$VENDOR/htmx/sse.min.js"
cp node_modules/htmx-ext-sse/LICENSE "$VENDOR/htmx/LICENSE-htmx-ext-sse.txt"
echo "htmx.org $HTMX; htmx-ext-sse $HTMX_EXT_SSE" > "$VENDOR/htmx/VERSION"

for f in swagger-ui-bundle.js swagger-ui.css LICENSE NOTICE swagger-ui-bundle.js.LICENSE.txt; do
  cp "node_modules/swagger-ui-dist/$f" "$VENDOR/swagger-ui/"
done
echo "swagger-ui-dist $SWAGGER_UI_DIST" > "$VENDOR/swagger-ui/VERSION"

cp node_modules/axe-core/axe.min.js node_modules/axe-core/LICENSE "$VENDOR/axe-core/"
cp node_modules/axe-core/LICENSE-3RD-PARTY.txt "$VENDOR/axe-core/"
echo "axe-core $AXE_CORE" > "$VENDOR/axe-core/VERSION"

echo "Vendored assets rebuilt in $VENDOR"
