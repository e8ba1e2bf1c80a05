#!/usr/bin/env bash
# `make test-web`: the web app's unit tests (Vitest), a check that the
# committed build in web/dist is what the sources build to, then the
# end-to-end tests in Debian's Chromium (playwright-core) against a fresh
# four-validator chain (one sidecar byzantine) seeded by scripts/web-chain.sh. Screenshots and the
# page timings land in web/artifacts/.
set -euo pipefail
cd "$(dirname "$0")/.."
export DELPHID=${DELPHID:-$PWD/build/delphid}
[ -x "$DELPHID" ] || { echo "build delphid first (make build)" >&2; exit 1; }
[ -x "${CHROMIUM:-/usr/bin/chromium}" ] || { echo "Chromium is missing: apt-get install chromium" >&2; exit 1; }

step() { printf '\n--- %s\n' "$1"; }

step "npm ci"
(cd web && npm ci --no-audit --no-fund --loglevel=error)

step "unit tests (Vitest)"
(cd web && npx vitest run)

step "the committed build is fresh"
(cd web && npm run build --silent >/dev/null)
if ! git diff --quiet -- web/dist || [ -n "$(git ls-files --others --exclude-standard web/dist)" ]; then
  git status --short web/dist
  echo "web/dist differs from a fresh build of web/src: run make web-build and commit web/dist" >&2
  exit 1
fi

step "end-to-end in Chromium against a local chain"
export WEB_CHAIN_DIR=${WEB_CHAIN_DIR:-build/web-e2e}
export WEB_CHAIN_PORT=${WEB_CHAIN_PORT:-28700}
# Four validators, the last one's sidecar lying: the market pages show a real dispute.
export WEB_CHAIN_VALIDATORS=${WEB_CHAIN_VALIDATORS:-4} WEB_CHAIN_FAULTY=${WEB_CHAIN_FAULTY-3}
trap 'bash scripts/web-chain.sh stop >/dev/null' EXIT
env_file=$(mktemp)
bash scripts/web-chain.sh start >"$env_file"
set -a
. "$env_file"
set +a
rm -f "$env_file"
rm -rf web/artifacts
(cd web && node --test --test-concurrency=1 e2e/)
echo "screenshots: web/artifacts/"
