// The console's only script: the network graph (a small force layout in SVG, with pan,
// zoom and a click to open a node) and a bulk job's live progress and summary chart.
// Plain DOM, no library; every string from a list goes in as text (textContent or an
// attribute), never as markup. Loaded with `defer`, so the page is parsed when it runs.
"use strict";

(function () {
  var SVG = "http://www.w3.org/2000/svg";

  function el(name, attrs, parent) {
    var node = document.createElementNS(SVG, name);
    for (var key in attrs) node.setAttribute(key, attrs[key]);
    if (parent) parent.appendChild(node);
    return node;
  }

  function data(id) {
    var holder = document.getElementById(id);
    return holder ? JSON.parse(holder.textContent) : null;
  }

  // --- the network graph -----------------------------------------------------------

  function nodeClass(node) {
    if (node.ownership && node.ownership.blocked && !node.listed) return "blocked";
    return node.listed ? "listed" : "unlisted";
  }

  function edgeLabel(edge) {
    var text = edge.type.replace(/_/g, " ");
    return edge.share !== null && edge.share !== undefined ? text + " " + edge.share + "%" : text;
  }

  // Start each node on a ring by its distance from the root, spread by its index: the
  // first picture is already readable, and the forces only tidy it up.
  function initialPositions(nodes) {
    var rings = {};
    nodes.forEach(function (n) { (rings[n.distance] = rings[n.distance] || []).push(n); });
    Object.keys(rings).forEach(function (d) {
      var ring = rings[d];
      var radius = 140 * Number(d);
      ring.forEach(function (n, i) {
        var angle = (2 * Math.PI * i) / ring.length + Number(d) * 0.4;
        n.x = radius * Math.cos(angle);
        n.y = radius * Math.sin(angle);
        n.vx = 0;
        n.vy = 0;
      });
    });
  }

  // One step of a plain force layout: every pair repels, every edge pulls to its length,
  // a weak pull to the centre. O(n²) pairs: 500 nodes cost about a millisecond a step.
  function step(nodes, links, alpha) {
    var i, j, a, b, dx, dy, d2, f;
    for (i = 0; i < nodes.length; i++) {
      a = nodes[i];
      for (j = i + 1; j < nodes.length; j++) {
        b = nodes[j];
        dx = b.x - a.x;
        dy = b.y - a.y;
        d2 = dx * dx + dy * dy || 0.01;
        if (d2 > 250000) continue; // beyond 500 units: too far to matter
        f = (1800 * alpha) / d2;
        a.vx -= dx * f; a.vy -= dy * f;
        b.vx += dx * f; b.vy += dy * f;
      }
    }
    links.forEach(function (l) {
      dx = l.target.x - l.source.x;
      dy = l.target.y - l.source.y;
      var d = Math.sqrt(dx * dx + dy * dy) || 0.01;
      f = ((d - 110) / d) * 0.08 * alpha;
      l.source.vx += dx * f; l.source.vy += dy * f;
      l.target.vx -= dx * f; l.target.vy -= dy * f;
    });
    nodes.forEach(function (n) {
      if (n.fixed) { n.vx = n.vy = 0; return; }
      n.vx = (n.vx - n.x * 0.002 * alpha) * 0.6;
      n.vy = (n.vy - n.y * 0.002 * alpha) * 0.6;
      n.x += n.vx;
      n.y += n.vy;
    });
  }

  function drawGraph(container, graph) {
    var started = performance.now();
    var byId = {};
    var nodes = graph.nodes.map(function (n) { var copy = Object.assign({}, n); byId[n.id] = copy; return copy; });
    var links = graph.edges
      .filter(function (e) { return byId[e.from] && byId[e.to]; })
      .map(function (e) { return { source: byId[e.from], target: byId[e.to], edge: e }; });
    var root = byId[graph.entity_id];
    if (root) root.fixed = true;
    initialPositions(nodes);

    var svg = el("svg", { class: "graph-svg", role: "group", "aria-label": nodes.length + " entities, " + links.length + " links" }, null);
    var defs = el("defs", {}, svg);
    var marker = el("marker", { id: "graph-arrow", viewBox: "0 0 10 10", refX: 20, refY: 5, markerWidth: 7,
                                markerHeight: 7, orient: "auto" }, defs);
    el("path", { d: "M0,1L10,5L0,9z", class: "arrow" }, marker);
    var view = { x: 0, y: 0, k: 1 };
    var fitting = true; // follow the layout until the analyst pans or zooms
    var drawnRadius = 7;
    var stage = el("g", { class: "stage" }, svg);
    var edgeLayer = el("g", { class: "edges" }, stage);
    var nodeLayer = el("g", { class: "nodes" }, stage);
    var template = container.getAttribute("data-url");

    links.forEach(function (l) {
      var g = el("g", { class: "edge", "data-from": l.edge.from, "data-to": l.edge.to, "data-type": l.edge.type }, edgeLayer);
      l.line = el("line", { "marker-end": "url(#graph-arrow)" }, g);
      l.label = el("text", { class: "edge-label" }, g);
      l.label.textContent = edgeLabel(l.edge);
      var title = el("title", {}, g);
      title.textContent = edgeLabel(l.edge) + (l.edge.source ? " (" + l.edge.source + ")" : "");
    });
    nodes.forEach(function (n) {
      var href = template.replace("__ID__", encodeURIComponent(n.id).replace(/%3A/gi, ":"));
      var a = el("a", { href: href, class: "node " + nodeClass(n) + (n === root ? " root" : ""), "data-id": n.id }, nodeLayer);
      a.setAttribute("aria-label", n.name + " (" + nodeClass(n) + ", " + n.kind + ")");
      n.circle = el("circle", { r: n === root ? 11 : 7 }, a);
      n.text = el("text", { dx: 10, dy: 4 }, a);
      n.text.textContent = n.name.length > 40 ? n.name.slice(0, 39) + "…" : n.name;
      var title = el("title", {}, a);
      title.textContent = n.name + " — " + n.list_id + (n.programs.length ? " — " + n.programs.join(", ") : "");
      n.anchor = a;
    });

    function render() {
      links.forEach(function (l) {
        l.line.setAttribute("x1", l.source.x); l.line.setAttribute("y1", l.source.y);
        l.line.setAttribute("x2", l.target.x); l.line.setAttribute("y2", l.target.y);
        l.label.setAttribute("x", (l.source.x + l.target.x) / 2);
        l.label.setAttribute("y", (l.source.y + l.target.y) / 2);
      });
      nodes.forEach(function (n) { n.anchor.setAttribute("transform", "translate(" + n.x.toFixed(1) + "," + n.y.toFixed(1) + ")"); });
    }

    function applyView() {
      var w = container.clientWidth, h = container.clientHeight;
      stage.setAttribute("transform", "translate(" + (w / 2 + view.x) + "," + (h / 2 + view.y) + ") scale(" + view.k + ")");
      svg.classList.toggle("far", view.k < 0.7 && nodes.length > 40); // edge labels only when legible
      container.setAttribute("data-zoom", view.k.toFixed(2));
      // Zoomed far out, nodes keep a size one can see and click (at least 4 pixels across).
      var small = Math.max(7, 4 / view.k), big = Math.max(11, 6 / view.k);
      if (small !== drawnRadius) {
        nodes.forEach(function (n) { n.circle.setAttribute("r", n === root ? big : small); });
        drawnRadius = small;
      }
    }

    // The whole graph in view: its nodes' box (with room for labels) scaled to the frame.
    function fit() {
      var w = container.clientWidth, h = container.clientHeight;
      var minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
      nodes.forEach(function (n) {
        minX = Math.min(minX, n.x); maxX = Math.max(maxX, n.x + 130);
        minY = Math.min(minY, n.y); maxY = Math.max(maxY, n.y);
      });
      var k = Math.min(1.1, (w - 40) / Math.max(maxX - minX, 1), (h - 40) / Math.max(maxY - minY, 1));
      k = Math.max(0.1, k);
      view = { k: k, x: -k * (minX + maxX) / 2, y: -k * (minY + maxY) / 2 };
      applyView();
    }

    function zoom(factor, cx, cy) {
      fitting = false;
      var w = container.clientWidth, h = container.clientHeight;
      cx = cx === undefined ? w / 2 : cx; cy = cy === undefined ? h / 2 : cy;
      var k = Math.min(4, Math.max(0.1, view.k * factor));
      // keep the point under the pointer where it is
      var px = cx - w / 2 - view.x, py = cy - h / 2 - view.y;
      view.x -= px * (k / view.k - 1);
      view.y -= py * (k / view.k - 1);
      view.k = k;
      applyView();
    }

    svg.addEventListener("wheel", function (event) {
      event.preventDefault();
      var box = svg.getBoundingClientRect();
      zoom(event.deltaY < 0 ? 1.2 : 1 / 1.2, event.clientX - box.left, event.clientY - box.top);
    }, { passive: false });

    var drag = null;
    svg.addEventListener("pointerdown", function (event) {
      if (event.target.closest && event.target.closest("a.node")) return; // a click opens the node
      fitting = false;
      drag = { x: event.clientX, y: event.clientY, vx: view.x, vy: view.y };
      svg.setPointerCapture(event.pointerId);
      svg.classList.add("dragging");
    });
    svg.addEventListener("pointermove", function (event) {
      if (!drag) return;
      view.x = drag.vx + event.clientX - drag.x;
      view.y = drag.vy + event.clientY - drag.y;
      applyView();
    });
    function endDrag() { drag = null; svg.classList.remove("dragging"); }
    svg.addEventListener("pointerup", endDrag);
    svg.addEventListener("pointercancel", endDrag);

    var tools = container.parentNode.querySelector(".graph-tools");
    if (tools) {
      tools.addEventListener("click", function (event) {
        var action = event.target.getAttribute("data-graph");
        if (action === "zoom-in") zoom(1.25);
        else if (action === "zoom-out") zoom(0.8);
        else if (action === "reset") { fitting = true; fit(); }
      });
    }

    container.appendChild(svg);
    render();
    fit();
    // The graph answers to pan, zoom and clicks from here on; the layout keeps settling.
    container.setAttribute("data-ready-ms", (performance.now() - started).toFixed(1));
    container.setAttribute("data-ready-at", performance.now().toFixed(1));

    // Settle the layout in slices of at most 30 ms (under the 50 ms at which a page feels
    // stuck), and redraw only a few times a second: moving a thousand SVG elements costs
    // the browser far more than computing their places.
    var alpha = 1;
    var ticks = 0, stepMs = 0, renderMs = 0, drawnAt = performance.now();
    function frame() {
      var t0 = performance.now();
      var budget = t0 + 30;
      while (alpha > 0.02 && performance.now() < budget) {
        step(nodes, links, alpha);
        alpha *= 0.97;
        ticks++;
      }
      var t1 = performance.now();
      stepMs += t1 - t0;
      if (alpha <= 0.02 || t1 - drawnAt > (nodes.length > 100 ? 250 : 0)) {
        render();
        if (fitting) fit();
        drawnAt = performance.now();
        renderMs += drawnAt - t1;
      }
      if (alpha > 0.02) requestAnimationFrame(frame);
      else container.setAttribute("data-settled-ms", (performance.now() - started).toFixed(0) + " ms (" + ticks +
        " steps: " + stepMs.toFixed(0) + " ms computing, " + renderMs.toFixed(0) + " ms drawing)");
    }
    requestAnimationFrame(frame);
  }

  // --- a bulk job ----------------------------------------------------------------------

  function text(id, value) {
    var node = document.getElementById(id);
    if (node) node.textContent = value;
  }

  function drawChart(holder, job) {
    var summary = job.summary;
    var clears = summary ? summary.clears : Math.max(0, job.rows_done - job.hits - job.reviews - job.errors);
    var bars = [
      { label: "hit", value: job.hits, cls: "hit" },
      { label: "review", value: job.reviews, cls: "review" },
      { label: "clear", value: clears, cls: "clear" },
      { label: "error", value: job.errors, cls: "error" },
    ];
    Object.keys(job.hits_by_list).sort().forEach(function (list) {
      bars.push({ label: "hits on " + list, value: job.hits_by_list[list], cls: "list" });
    });
    var max = Math.max.apply(null, bars.map(function (b) { return b.value; }).concat([1]));
    var rowHeight = 26, labelWidth = 170, width = 520;
    var svg = el("svg", { viewBox: "0 0 " + width + " " + bars.length * rowHeight, class: "chart-svg" }, null);
    bars.forEach(function (b, i) {
      var y = i * rowHeight;
      var g = el("g", { class: "bar " + b.cls, "data-label": b.label, "data-value": b.value }, svg);
      el("text", { x: labelWidth - 8, y: y + 17, "text-anchor": "end" }, g).textContent = b.label;
      var w = ((width - labelWidth - 60) * b.value) / max;
      el("rect", { x: labelWidth, y: y + 4, width: Math.max(w, b.value ? 2 : 0), height: rowHeight - 8 }, g);
      el("text", { x: labelWidth + w + 6, y: y + 17, class: "value" }, g).textContent = b.value.toLocaleString();
    });
    holder.replaceChildren(svg);
  }

  function showJob(job) {
    var bar = document.getElementById("job-progress");
    var total = job.rows_total !== null ? job.rows_total : job.rows_received;
    bar.max = Math.max(total, 1);
    bar.value = job.rows_done;
    bar.textContent = job.rows_done;
    text("job-status", job.status);
    text("job-rows", job.rows_done.toLocaleString() + " of " + (job.rows_total !== null ? job.rows_total.toLocaleString() : "…"));
    text("job-rate", job.rows_per_second ? Math.round(job.rows_per_second).toLocaleString() + " rows/s" : "–");
    text("job-eta", job.eta_seconds !== null ? Math.round(job.eta_seconds) + " s" : (job.status === "done" ? "0 s" : "–"));
    text("job-hits", job.hits);
    text("job-reviews", job.reviews);
    text("job-errors", job.errors);
    document.getElementById("job").setAttribute("data-status", job.status);
    document.getElementById("job-download").hidden = job.status !== "done";
    if (job.status === "done") text("job-chart-note", "");
    drawChart(document.getElementById("job-chart"), job);
  }

  function followJob(section) {
    var url = section.getAttribute("data-progress-url");
    function poll() {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { if (!response.ok) throw new Error(response.status); return response.json(); })
        .then(function (job) {
          showJob(job);
          if (job.status === "queued" || job.status === "running") setTimeout(poll, 1000);
        })
        .catch(function () { setTimeout(poll, 5000); });
    }
    var job = data("job-data");
    showJob(job);
    if (job.status === "queued" || job.status === "running") setTimeout(poll, 1000);
  }

  var graph = document.getElementById("graph");
  if (graph) drawGraph(graph, data("graph-data"));
  var job = document.getElementById("job");
  if (job) followJob(job);
})();
