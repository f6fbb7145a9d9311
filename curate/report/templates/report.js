/* curate report: the row table (search, filters, paging), review overrides, the embedding map.
   Every piece of row data reaches the page through textContent, never as markup. */
(function () {
  "use strict";
  var started = performance.now();
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var T = data.table;
  var rows = T.rows;
  var SRC = 0, ROW = 1, ID = 2, DEC = 3, STAGE = 4, REASON = 5, DETAIL = 6, PROMPT = 7, RESP = 8, TAGS = 9;
  var PAGE = 50;

  function $(id) { return document.getElementById(id); }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function key(source, row) { return source + "\u0000" + row; }
  function fmt(n) { return Number(n).toLocaleString("en-US"); }

  /* ---------------------------------------------------------------- overrides */
  var storeKey = "curate-overrides:" + data.run.name + ":" + data.run.config_hash;
  var overrides = new Map();
  try {
    (JSON.parse(localStorage.getItem(storeKey) || "[]") || []).forEach(function (o) {
      if (o && (o.decision === "keep" || o.decision === "drop")) overrides.set(key(o.source, o.row), o);
    });
  } catch (e) { /* storage unavailable: overrides live for this page only */ }

  function save() {
    try { localStorage.setItem(storeKey, JSON.stringify(Array.from(overrides.values()))); } catch (e) { /* ignore */ }
  }
  function setOverride(i, decision) {
    var r = rows[i], source = T.sources[r[SRC]], k = key(source, r[ROW]);
    var current = overrides.get(k);
    if (!decision || (current && current.decision === decision)) overrides.delete(k);
    else overrides.set(k, { source: source, row: r[ROW], id: r[ID], decision: decision, note: current ? current.note : "" });
    save();
    renderOverrides();
    renderPage();
  }
  function overridesJsonl() {
    var out = "";
    overrides.forEach(function (o) {
      out += JSON.stringify({ source: o.source, row: o.row, id: o.id, decision: o.decision, note: o.note || "" }) + "\n";
    });
    return out;
  }
  function download() {
    var blob = new Blob([overridesJsonl()], { type: "application/x-ndjson" });
    var a = el("a");
    a.href = URL.createObjectURL(blob);
    a.download = "overrides.jsonl";
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  }
  function renderOverrides() {
    var list = $("ov-list");
    list.textContent = "";
    overrides.forEach(function (o, k) {
      var li = el("li");
      li.appendChild(el("span", "ref", o.source + ":" + o.row));
      li.appendChild(document.createTextNode(" \u2192 "));
      li.appendChild(el("span", "dec " + (o.decision === "keep" ? "kept" : "rejected"), o.decision));
      li.appendChild(document.createTextNode(" "));
      var note = el("input");
      note.type = "text";
      note.placeholder = "note (why)";
      note.value = o.note || "";
      note.addEventListener("input", function () { o.note = note.value; save(); });
      li.appendChild(note);
      var remove = el("button", "ghost", "\u00d7");
      remove.title = "remove this override";
      remove.addEventListener("click", function () { overrides.delete(k); save(); renderOverrides(); renderPage(); });
      li.appendChild(remove);
      list.appendChild(li);
    });
    $("ov-count").textContent = fmt(overrides.size);
    $("ov-download").disabled = overrides.size === 0;
    $("ov-clear").disabled = overrides.size === 0;
  }

  /* ---------------------------------------------------------------- filters and paging */
  var haystack = null;
  var filtered = [];
  var page = 0;
  function buildHaystack() {
    haystack = rows.map(function (r) {
      return [T.sources[r[SRC]], r[ROW], r[ID], r[DETAIL] || "", r[PROMPT] || "", r[RESP] || "", r[TAGS] || ""].join("\n").toLowerCase();
    });
  }
  function applyFilters() {
    var q = $("f-search").value.trim().toLowerCase();
    var dec = $("f-decision").value, stage = $("f-stage").value, reason = $("f-reason").value, source = $("f-source").value;
    var onlyOv = $("f-overridden").checked;
    if (q && !haystack) buildHaystack();
    filtered = [];
    for (var i = 0; i < rows.length; i++) {
      var r = rows[i];
      if (dec !== "" && r[DEC] !== +dec) continue;
      if (stage !== "" && r[STAGE] !== +stage) continue;
      if (reason !== "" && r[REASON] !== +reason) continue;
      if (source !== "" && r[SRC] !== +source) continue;
      if (onlyOv && !overrides.has(key(T.sources[r[SRC]], r[ROW]))) continue;
      if (q && haystack[i].indexOf(q) < 0) continue;
      filtered.push(i);
    }
    page = 0;
    $("f-count").textContent = fmt(filtered.length) + " matching";
    renderPage();
  }
  function reviewCell(i, current) {
    var td = el("td", "review");
    ["keep", "drop"].forEach(function (decision) {
      var b = el("button", decision + (current === decision ? " on" : ""), decision);
      b.type = "button";
      b.setAttribute("data-action", decision);
      b.addEventListener("click", function () { setOverride(i, decision); });
      td.appendChild(b);
      td.appendChild(document.createTextNode(" "));
    });
    return td;
  }
  function renderPage() {
    var body = $("rows-body");
    var pages = Math.max(1, Math.ceil(filtered.length / PAGE));
    if (page >= pages) page = pages - 1;
    var frag = document.createDocumentFragment();
    filtered.slice(page * PAGE, (page + 1) * PAGE).forEach(function (i) {
      var r = rows[i], source = T.sources[r[SRC]];
      var ov = overrides.get(key(source, r[ROW]));
      var tr = el("tr", ov ? "ov-" + ov.decision : "");
      tr.setAttribute("data-row", i);
      var ref = el("span", "ref", source + ":" + r[ROW]);
      ref.title = "id " + r[ID];
      var c0 = el("td"); c0.appendChild(ref); tr.appendChild(c0);
      var c1 = el("td"); c1.appendChild(el("span", "dec " + (r[DEC] ? "kept" : "rejected"), r[DEC] ? "kept" : "rejected")); tr.appendChild(c1);
      var c2 = el("td");
      if (r[STAGE] >= 0) c2.appendChild(el("div", "", T.stages[r[STAGE]] + (r[REASON] >= 0 ? " \u00b7 " + T.reasons[r[REASON]] : "")));
      if (r[TAGS]) c2.appendChild(el("div", "tagchip", r[TAGS]));
      tr.appendChild(c2);
      var c3 = el("td", "t");
      c3.appendChild(el("div", "p", r[PROMPT] || ""));
      if (r[RESP]) c3.appendChild(el("div", "r", r[RESP]));
      tr.appendChild(c3);
      tr.appendChild(el("td", "det", r[DETAIL] || ""));
      tr.appendChild(reviewCell(i, ov && ov.decision));
      frag.appendChild(tr);
    });
    body.textContent = "";
    body.appendChild(frag);
    $("pg-info").textContent = filtered.length ? "page " + (page + 1) + " of " + fmt(pages) : "no rows match";
    $("pg-prev").disabled = page === 0;
    $("pg-next").disabled = page >= pages - 1;
  }
  var timer = null;
  $("f-search").addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(applyFilters, 150); });
  ["f-decision", "f-stage", "f-reason", "f-source", "f-overridden"].forEach(function (id) {
    $(id).addEventListener("change", applyFilters);
  });
  $("pg-prev").addEventListener("click", function () { page -= 1; renderPage(); });
  $("pg-next").addEventListener("click", function () { page += 1; renderPage(); });
  $("ov-download").addEventListener("click", download);
  $("ov-clear").addEventListener("click", function () {
    if (overrides.size && window.confirm("Remove all " + overrides.size + " overrides?")) {
      overrides.clear(); save(); renderOverrides(); applyFilters();
    }
  });

  /* ---------------------------------------------------------------- embedding map */
  function drawMap(map) {
    var canvas = $("map-canvas"), tip = $("map-tip");
    if (!canvas || !map) return;
    var colors = { "selected": "#059669", "kept": "#3b82f6", "not selected": "#9ca3af", "rejected": "#e5484d" };
    var drawOrder = ["not selected", "rejected", "kept", "selected"];
    var hidden = new Set();
    var W = canvas.width, H = canvas.height, pad = 14, ratio = window.devicePixelRatio || 1;
    canvas.style.width = W + "px";
    canvas.style.height = H + "px";
    canvas.width = W * ratio;
    canvas.height = H * ratio;
    var ctx = canvas.getContext("2d");
    ctx.scale(ratio, ratio);
    var pts = map.points.map(function (p) {
      return { x: pad + p[0] * (W - 2 * pad), y: pad + (1 - p[1]) * (H - 2 * pad), c: p[2], t: p[3] };
    });
    function draw() {
      ctx.clearRect(0, 0, W, H);
      drawOrder.forEach(function (name) {
        var c = map.categories.indexOf(name);
        if (c < 0 || hidden.has(c)) return;
        ctx.fillStyle = colors[name];
        ctx.globalAlpha = name === "selected" ? 0.85 : 0.55;
        ctx.beginPath();
        pts.forEach(function (p) {
          if (p.c !== c) return;
          ctx.moveTo(p.x + 2.6, p.y);
          ctx.arc(p.x, p.y, 2.6, 0, 2 * Math.PI);
        });
        ctx.fill();
      });
      ctx.globalAlpha = 1;
    }
    canvas.addEventListener("mousemove", function (ev) {
      var box = canvas.getBoundingClientRect();
      var mx = (ev.clientX - box.left) * (W / box.width), my = (ev.clientY - box.top) * (H / box.height);
      var best = null, bestD = 64;
      pts.forEach(function (p) {
        if (hidden.has(p.c)) return;
        var d = (p.x - mx) * (p.x - mx) + (p.y - my) * (p.y - my);
        if (d < bestD) { bestD = d; best = p; }
      });
      if (!best) { tip.hidden = true; return; }
      tip.textContent = "";
      var r = best.t >= 0 ? rows[best.t] : null;
      var head = map.categories[best.c];
      if (r) head = T.sources[r[SRC]] + ":" + r[ROW] + " \u00b7 " + head + (r[REASON] >= 0 ? " (" + T.reasons[r[REASON]] + ")" : "");
      tip.appendChild(el("span", "tip-ref", head));
      tip.appendChild(document.createTextNode(r ? r[PROMPT] || "" : "(row not in the table sample)"));
      tip.hidden = false;
      tip.style.left = Math.min(best.x + 14, W - 200) + "px";
      tip.style.top = best.y + 14 + "px";
    });
    canvas.addEventListener("mouseleave", function () { tip.hidden = true; });
    Array.prototype.forEach.call(document.querySelectorAll("#map-legend button"), function (b) {
      b.addEventListener("click", function () {
        var c = +b.getAttribute("data-cat");
        if (hidden.has(c)) hidden.delete(c); else hidden.add(c);
        b.classList.toggle("off", hidden.has(c));
        draw();
      });
    });
    draw();
  }

  renderOverrides();
  applyFilters();
  drawMap(data.map);
  var renderMs = performance.now() - started;
  document.documentElement.setAttribute("data-render-ms", renderMs.toFixed(1));
  window.curateReport = {
    renderMs: renderMs,
    overridesJsonl: overridesJsonl,
    setOverride: setOverride,
    refilter: applyFilters,
    visibleRows: function () { return filtered.length; }
  };
})();
