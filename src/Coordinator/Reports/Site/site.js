// The domain table of the census site: sort by clicking a header, filter by text, grade and mode.
// Plain JavaScript, no library, nothing fetched: the rows come from domains.js (a script, because fetch() of a
// local file fails under file://). Every value is put in the page with textContent or as a property, never as
// HTML: domain names and failure messages are untrusted.
(function () {
  'use strict';
  var data = window.XMPPSCAN_DOMAINS;
  var table = document.getElementById('domains');
  if (!data || !table) {
    return;
  }

  var col = {};
  data.columns.forEach(function (name, i) { col[name] = i; });
  var rows = data.rows;
  var GRADES = ['A+', 'A', 'A-', 'B', 'C', 'D', 'E', 'F', 'T', 'M'];
  var VERSIONS = ['SSLv2', 'SSLv3', 'TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];
  var PAGE = 500; // rows added per "show more": 20 000 rows at once would make the page slow to open

  function gradeRank(g) {
    var i = GRADES.indexOf(g);
    return g === null ? GRADES.length + 1 : i < 0 ? GRADES.length : i;
  }

  function gradeClass(g) {
    return g === null ? 'gN' : 'g' + g.replace('+', 'P').replace('-', 'M');
  }

  function bestVersion(r) {
    var v = r[col.versions] ? r[col.versions].split(' ') : [];
    return v.reduce(function (best, x) { return Math.max(best, VERSIONS.indexOf(x)); }, -1);
  }

  // Sort key per column; ties fall back to domain then mode, so the order is stable and predictable.
  var sortKeys = {
    domain: function (r) { return r[col.domain]; },
    mode: function (r) { return r[col.mode]; },
    grade: function (r) { return gradeRank(r[col.grade]); },
    ssllabs: function (r) { return gradeRank(r[col.ssllabs]); },
    ignoring: function (r) { return gradeRank(r[col.ignoring]); },
    endpoints: function (r) { return r[col.endpoints_tls] * 1000 + r[col.endpoints]; },
    trust: function (r) { return r[col.trust]; },
    starttls: function (r) { var s = r[col.starttls]; return s === null ? 2 : 1 - s; },
    versions: function (r) { return -bestVersion(r); }
  };

  var state = { key: 'domain', dir: 1, shown: PAGE };
  var params = new URLSearchParams(window.location.search);
  var q = document.getElementById('q');
  var gradeSelect = document.getElementById('grade');
  var modeSelect = document.getElementById('mode');
  var count = document.getElementById('count');
  var more = document.getElementById('more');
  var tbody = table.tBodies[0];
  q.value = params.get('q') || '';
  gradeSelect.value = params.get('grade') || '';
  modeSelect.value = params.get('mode') || '';

  function compare(a, b) {
    var ka = sortKeys[state.key](a), kb = sortKeys[state.key](b);
    if (ka < kb) return -state.dir;
    if (ka > kb) return state.dir;
    var da = a[col.domain], db = b[col.domain];
    return da < db ? -1 : da > db ? 1 : a[col.mode] < b[col.mode] ? -1 : a[col.mode] > b[col.mode] ? 1 : 0;
  }

  function matches(r, text, grade, mode) {
    if (text && r[col.domain].indexOf(text) < 0) return false;
    if (grade && (grade === 'none' ? r[col.grade] !== null : r[col.grade] !== grade)) return false;
    return !mode || r[col.mode] === mode;
  }

  function cell(tr, text, className) {
    var td = document.createElement('td');
    td.textContent = text;
    if (className) td.className = className;
    tr.appendChild(td);
    return td;
  }

  function gradeCell(tr, g) {
    var td = document.createElement('td');
    var span = document.createElement('span');
    span.className = 'gl ' + gradeClass(g);
    span.textContent = g === null ? '–' : g;
    td.appendChild(span);
    tr.appendChild(td);
  }

  function render() {
    var text = q.value.trim().toLowerCase(), grade = gradeSelect.value, mode = modeSelect.value;
    var visible = rows.filter(function (r) { return matches(r, text, grade, mode); });
    visible.sort(compare);
    var fragment = document.createDocumentFragment();
    visible.slice(0, state.shown).forEach(function (r) {
      var tr = document.createElement('tr');
      var td = document.createElement('td');
      var a = document.createElement('a');
      a.href = 'domain/' + encodeURIComponent(r[col.page] || r[col.domain]) + '.html';
      a.textContent = r[col.domain];
      td.appendChild(a);
      tr.appendChild(td);
      cell(tr, r[col.mode]);
      gradeCell(tr, r[col.grade]);
      gradeCell(tr, r[col.ssllabs]);
      gradeCell(tr, r[col.ignoring]);
      cell(tr, r[col.endpoints_tls] + ' / ' + r[col.endpoints], 'n');
      cell(tr, r[col.grade] === null ? (r[col.failure] || '') : r[col.trust], r[col.grade] === null ? 'meta' : (r[col.trust] === 'trusted' ? 'good' : 'bad'));
      var s = r[col.starttls];
      cell(tr, s === null ? '–' : s ? 'yes' : 'no', s === null ? '' : s ? 'good' : 'bad');
      cell(tr, r[col.versions]);
      fragment.appendChild(tr);
    });
    tbody.textContent = '';
    tbody.appendChild(fragment);
    count.textContent = visible.length + ' of ' + rows.length + ' results' +
      (visible.length > state.shown ? ' (first ' + state.shown + ' shown)' : '');
    more.hidden = visible.length <= state.shown;
  }

  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
    th.addEventListener('click', function () {
      var key = th.getAttribute('data-key');
      state.dir = state.key === key ? -state.dir : 1;
      state.key = key;
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (other) { other.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', state.dir > 0 ? 'ascending' : 'descending');
      render();
    });
  });
  [q, gradeSelect, modeSelect].forEach(function (input) {
    input.addEventListener('input', function () { state.shown = PAGE; render(); });
  });
  more.addEventListener('click', function () { state.shown += PAGE; render(); });
  render();
}());
