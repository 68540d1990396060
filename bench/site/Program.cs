using XmppScanCluster.SiteBench;

// bench/site: `generate` writes a synthetic census into a SQLite store through the store API; `measure` opens a
// page in headless Chromium and prints its timings. bench/site/run.sh drives both and xmppscan report.
return args switch
{
    ["generate", .. var rest] => await CensusGenerator.RunAsync(rest),
    ["measure", .. var rest] => await PageTiming.RunAsync(rest),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: generate --domains N --store PATH [--seed S] | measure --file PATH [--runs N]");
    return 2;
}
