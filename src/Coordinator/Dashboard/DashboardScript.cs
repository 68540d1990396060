namespace XmppScanCluster.Coordinator.Dashboard;

/// <summary>
/// <c>/dashboard/dashboard.js</c>: polls each <c>[data-fragment]</c> section's server-rendered HTML every 2 s and
/// swaps it in when it changed. All escaping happens in C# (the fragments); the script never builds markup from
/// data, and the page's Content-Security-Policy allows no inline script, so text a server sent cannot run here.
/// Polling stops while the tab is hidden; a failed round shows "connection lost" and the next success clears it.
/// Timers go through <c>window.__xmppscanTimers</c> when a page defines it before this script runs: the browser
/// tests install a fake clock there and advance it, so no test waits real poll intervals (the same seam as the
/// <c>TimeProvider</c> the C# side takes). Pages served to operators never define it.
/// </summary>
internal static class DashboardScript
{
    public const string FileName = "dashboard.js";

    public const string Js = """
"use strict";
(function () {
  var interval = 2000, timeout = 5000;
  var sections = Array.prototype.slice.call(document.querySelectorAll("[data-fragment]"));
  var connection = document.getElementById("connection");
  var updated = document.getElementById("updated");
  var last = new Map();
  var timer = null, running = false;
  var timers = window.__xmppscanTimers || {
    set: function (f, ms) { return setTimeout(f, ms); },
    clear: function (id) { clearTimeout(id); }
  };

  function show(state, text) {
    connection.textContent = text;
    connection.className = "conn conn-" + state;
    document.body.dataset.connection = state;
  }

  function fetchText(url) {
    var abort = new AbortController();
    var stop = timers.set(function () { abort.abort(); }, timeout);
    return fetch(url, { credentials: "same-origin", cache: "no-store", signal: abort.signal })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status === 401 || response.status === 403 ? "unauthorised" : "HTTP " + response.status); }
        return response.text();
      })
      .finally(function () { timers.clear(stop); });
  }

  function schedule() {
    if (timer === null && !document.hidden) { timer = timers.set(refresh, interval); }
  }

  function refresh() {
    timer = null;
    if (running || document.hidden) { return; }
    running = true;
    Promise.all(sections.map(function (s) { return fetchText(s.dataset.fragment); }))
      .then(function (texts) {
        sections.forEach(function (section, i) {
          // Server-rendered and escaped in C#; swapped only when it changed so a reader's selection survives.
          if (last.get(section) !== texts[i]) { section.innerHTML = texts[i]; last.set(section, texts[i]); }
        });
        show("live", "live");
        updated.textContent = "updated " + new Date().toISOString().slice(11, 19) + " UTC";
      })
      .catch(function (error) {
        show("lost", error && error.message === "unauthorised"
          ? "not authorised: open /dashboard?token=…"
          : "connection lost — retrying");
      })
      .finally(function () { running = false; schedule(); });
  }

  document.addEventListener("visibilitychange", function () {
    if (document.hidden) {
      if (timer !== null) { timers.clear(timer); timer = null; }
    } else {
      refresh();
    }
  });
  show("live", "live");
  schedule();
})();
""";
}
