// The dashboard: GET /api/quality and /api/quality/label-mix every ten seconds, FAIL gates loudly.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const num = (x, digits) => (x === null || x === undefined ? "–" : x.toFixed(digits === undefined ? 3 : digits));

  function row(cells, className) {
    const tr = document.createElement("tr");
    if (className) tr.className = className;
    cells.forEach((text) => {
      const td = document.createElement("td");
      td.textContent = text;
      tr.appendChild(td);
    });
    return tr;
  }

  async function get(path) {
    const response = await fetch(new URL(path, window.location.origin).toString());
    if (!response.ok) throw new Error(path + ": HTTP " + response.status);
    return response.json();
  }

  async function refresh() {
    try {
      const quality = await get("/api/quality");
      const body = $("quality").tBodies[0];
      body.replaceChildren();
      const failing = [];
      quality.forEach((q) => {
        if (q.gate === "FAIL") failing.push(q.task + " " + q.promptVersion + ": " + q.gateReason);
        body.appendChild(row([
          q.task, q.promptVersion, q.gate, String(q.reviewed), num(q.accuracy), num(q.macroF1), num(q.kappa),
          q.window.days + " d: " + q.window.reviewed + " reviewed, accuracy " + num(q.window.accuracy),
          q.humanPairs + " pairs: " + num(q.humanAgreement) + " (" + num(q.humanKappa) + ")",
          q.probe
            ? q.probe.items + " texts, changed " + num(q.probe.changedShare) + (q.probe.alert ? " — DRIFT" : "")
            : "–",
          q.gateReason,
        ], q.gate));
      });
      $("quality-status").textContent = quality.length ? "" : "No reviewed items yet.";
      $("gate-fail").hidden = failing.length === 0;
      $("gate-fail").textContent = failing.length
        ? "Gate FAIL — these labels are not distilled. " + failing.join(" · ")
        : "";
    } catch (e) {
      $("quality-status").textContent = e.message;
    }
    try {
      const mixes = await get("/api/quality/label-mix");
      const body = $("mix").tBodies[0];
      body.replaceChildren();
      mixes.forEach((m) => {
        Object.values(m.shifts).forEach((s) => {
          body.appendChild(row([
            m.task, s.source === "*" ? "all sources" : s.source || "(none)", s.day,
            s.psi === null ? "too few" : num(s.psi) + (s.alert ? " > " + m.monitor.maxPsi : ""),
            JSON.stringify(s.live), JSON.stringify(s.reference),
          ], s.alert ? "alert" : ""));
        });
      });
      $("mix-status").textContent = mixes.length ? "" : "No teacher labels yet.";
    } catch (e) {
      $("mix-status").textContent = e.message;
    }
  }

  refresh();
  setInterval(refresh, 10000);
})();
