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

  async function refreshStudent() {
    try {
      const t = await get("/api/trainer");
      const st = t.status;
      $("trainer").textContent =
        "Trainer: " + st.state + (st.state === "TRAINING"
          ? " v" + st.version + ", epoch " + st.epoch + "/" + st.epochs + ", loss " + num(st.loss, 4) +
            ", " + num(st.examplesPerSecond, 0) + " examples/s"
          : " — " + st.detail) + ". Champion: " + (t.champion === null ? "none yet" : "v" + t.champion) + ".";
      const body = $("models").tBodies[0];
      body.replaceChildren();
      t.versions.slice().reverse().forEach((m) => {
        body.appendChild(row([
          "v" + m.version, m.kind, m.status, m.statusReason, m.trainingSize + " labels",
          num(m.metrics.macro_f1), m.device,
        ], m.status === "PROMOTED" ? "PASS" : ""));
      });
    } catch (e) {
      $("trainer").textContent = "Trainer: " + e.message;
    }
    try {
      const c = await get("/api/classifier");
      $("classifier").textContent =
        "Classifier: " + c.scored + " scored" + (c.modelVersion === null ? " (no model yet)" : " with v" + c.modelVersion) +
        ", " + c.studentOnly + " by the student alone, teacher share " + num(c.teacherShare) +
        (c.estimatedSavedUsd === null ? "" : ", about $" + num(c.estimatedSavedUsd, 2) + " saved") + ".";
    } catch (e) {
      $("classifier").textContent = "Classifier: " + e.message;
    }
  }

  refresh();
  refreshStudent();
  setInterval(refresh, 10000);
  setInterval(refreshStudent, 5000);
})();
