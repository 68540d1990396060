#!/usr/bin/env bash
# `dotnet ARGS` under the repository's one build lock, for every script that builds or publishes this solution.
# Builds and publishes share obj/ folders (a publish with -r linux-x64 still builds the libraries into
# obj/Release/net10.0), and the tests run the main job's and the benches' smoke runs side by side: two MSBuild
# processes on one project break each other ("cannot access the file …ScanNode.pdb because it is being used by
# another process", a CI run of session 22). The lock is held for that one command only.
exec flock "${TMPDIR:-/tmp}/xmppscan-build.lock" dotnet "$@"
