# Part journal (sourced by run.sh): bench/census-runtime/journal on SQLite (a temp file) and on the PostgreSQL of
# deploy/postgres/up.sh (XMPPSCAN_PG_DIR/PORT; fsync off, so an upper bound), a throwaway database per run.
# Stopped at the end by run.sh when this run started it.
[ "$(bash deploy/postgres/up.sh | tail -n 1)" = started ] && pg_started=1
echo "## Journal: $events events of one target stream per row"
echo
dotnet "$bench_dll" --events "$events" --batch 50
echo
echo "append: one Ask per write, the next write after the answer (a target actor persists a step, then goes on);"
echo "recover: a new actor replays the stream; read by census: Persistence.Query CurrentEventsByTag(census:ID),"
echo "both target streams (2 × $events events)."
echo
