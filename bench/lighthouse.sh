#!/usr/bin/env bash
# Lighthouse 12 (performance + accessibility, mobile) against the locally running site.
#
#   bench/lighthouse.sh                         # / /trends/ /areas/E23000014/
#   bench/lighthouse.sh /sources/ /about/       # other paths
#   BASE_URL=http://127.0.0.1:8001 bench/lighthouse.sh
#
# Prints one line per path; the full reports go to bench/results/<page>.report.{json,html}.
# It measures, it never fails: exit status 0 even when a page scores badly or does not load.
set -uo pipefail
cd "$(dirname "$0")/.."

base_url="${BASE_URL:-http://127.0.0.1:8000}"
base_url="${base_url%/}"
lighthouse=node_modules/.bin/lighthouse
results=bench/results
[ "$#" -gt 0 ] || set -- / /trends/ /areas/E23000014/

if [ ! -x "$lighthouse" ]; then
  echo "No $lighthouse: run 'npm ci' (or 'npm install') in $(pwd) first." >&2
  exit 0
fi
mkdir -p "$results"
# One quick request first, so a site that is not running gives one clear message.
if ! node -e 'fetch(process.argv[1]).catch(() => process.exit(1))' "$base_url/"; then
  echo "Nothing answers at $base_url: start the site first (scripts/serve), or set BASE_URL." >&2
  exit 0
fi

# Debian's Chromium, never a downloaded one (this machine reaches no browser downloads).
export CHROME_PATH="${CHROME_PATH:-/usr/bin/chromium}"
# --no-sandbox: Chromium refuses to start as root with its sandbox on.
# --headless=new: the real browser in headless mode, so numbers match a desktop Chromium.
# --disable-background-networking/--disable-component-update: Chromium's own calls home
#   (updates, safe-browsing lists, field trials) would only fail offline and add noise.
# --host-resolver-rules: Chromium 156 still asks update.googleapis.com (on-device AI model)
#   and clients2.google.com despite those flags; making every name but the local ones
#   unresolvable means no DNS query or connection leaves the machine.
chrome_flags="--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update"
chrome_flags+=" --host-resolver-rules='MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1'"

printf '%-24s %5s %5s %8s %8s %8s %6s %9s\n' path perf a11y FCP LCP TBT CLS weight
for path in "$@"; do
  # "/" -> home, "/areas/E23000014/" -> areas_E23000014
  name=$(printf '%s' "$path" | sed 's#^/##; s#/$##; s#/#_#g')
  name="${name:-home}"
  # --no-enable-error-reporting: never ask (on a terminal) to send errors to Sentry,
  #   which would also be a network call. Mobile form factor and simulated throttling
  #   are Lighthouse's defaults. --quiet keeps the progress log out of the table.
  rm -f "$results/$name".report.*  # never show an old report as this run's
  "$lighthouse" "$base_url$path" \
    --quiet \
    --no-enable-error-reporting \
    --only-categories=performance,accessibility \
    --chrome-flags="$chrome_flags" \
    --output=json --output=html \
    --output-path="$results/$name" \
    2>"$results/$name.log"
  status=$?
  report="$results/$name.report.json"
  if [ ! -s "$report" ]; then
    printf '%-24s lighthouse failed (exit %s), see %s\n' "$path" "$status" "$results/$name.log"
    continue
  fi
  # Lighthouse can write a report for a page that did not load: runtimeError says so.
  node -e '
    const [file, path] = process.argv.slice(1);
    const r = JSON.parse(require("fs").readFileSync(file, "utf8"));
    if (r.runtimeError) {
      console.log(`${path.padEnd(24)} error: ${r.runtimeError.code} ${r.runtimeError.message}`);
      process.exit(0);
    }
    const score = (c) => (r.categories[c]?.score == null ? "-" : Math.round(r.categories[c].score * 100));
    const value = (a) => r.audits[a]?.numericValue;
    const ms = (a) => (value(a) == null ? "-" : `${Math.round(value(a))}ms`);
    const cls = value("cumulative-layout-shift");
    const kb = value("total-byte-weight");
    console.log([
      path.padEnd(24),
      String(score("performance")).padStart(5),
      String(score("accessibility")).padStart(5),
      ms("first-contentful-paint").padStart(8),
      ms("largest-contentful-paint").padStart(8),
      ms("total-blocking-time").padStart(8),
      (cls == null ? "-" : cls.toFixed(3)).padStart(6),
      (kb == null ? "-" : `${(kb / 1024).toFixed(1)}KB`).padStart(9),
    ].join(" "));
    for (const w of r.runWarnings || []) console.log(`${"".padEnd(24)} warning: ${w}`);
  ' "$report" "$path"
done
echo "Reports: $results/*.report.html (open in a browser), JSON beside them."
exit 0
