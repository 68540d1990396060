# Part overhead (sourced by run.sh): bench/census/run.sh (census vs `xmppscan scan` of the same testbed domains, both
# depths, CPU, peak RSS, events, store size), then the same per domain.
echo "## Census overhead beyond the scanning (bench/census/run.sh)"
echo
overhead_args=(--runs "$runs" --mode c2s --no-build --out "$work/overhead.md")
[ "$smoke" = 1 ] && overhead_args+=(--domains 2)
bash bench/census/run.sh "${overhead_args[@]}" >"$work/overhead.log" 2>&1 || { cat "$work/overhead.log" >&2; exit 1; }
sed 's/^## /### /' "$work/overhead.md"
echo
overhead_domains=$(sed -n 's/^## Census overhead: \([0-9]*\) testbed domains.*/\1/p' "$work/overhead.md")
echo "| depth | events per domain | event JSON KiB per domain | store KiB per domain | census − scan CPU ms per domain | events/s the census wrote |"
echo "|---|---:|---:|---:|---:|---:|"
awk -F'|' -v d="$overhead_domains" '
  $3 ~ /^ census $/ { gsub(/ /, "", $2); wall[$2] = $5; ev[$2] = $8; js[$2] = $9; st[$2] = $10 }
  $3 ~ /census − scan/ { gsub(/ /, "", $2); c = $6; sub(/^[^(]*\(/, "", c); sub(/ ms.*/, "", c); cpu[$2] = c }
  END { for (i = 1; i <= 2; i++) { k = (i == 1 ? "session" : "full");
          printf "| %s | %.1f | %.1f | %.1f | %s | %.0f |\n", k, ev[k] / d, js[k] / d, st[k] / d, cpu[k], ev[k] / wall[k] } }' "$work/overhead.md"
echo
