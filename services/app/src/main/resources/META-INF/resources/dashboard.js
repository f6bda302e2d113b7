// The dashboard: GET /api/quality and /api/quality/label-mix every ten seconds, FAIL gates loudly; the
// charts (ECharts, from its WebJar) draw the JSON of /api/stream, /api/quality/history, /api/trainer,
// /api/quality/label-mix/history and /api/quality, so every number drawn is also served as JSON.
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

  const FAIL = "#b00020";
  const chart = (id) => echarts.getInstanceByDom($(id)) || echarts.init($(id));
  const days = (lists) => Array.from(new Set(lists.flat())).sort();

  // Vertical bars from lower to upper, one per day: the 95 % bootstrap intervals.
  function errorBars(name, color, points) {
    return {
      name: name, type: "custom", z: 1, tooltip: { show: false },
      itemStyle: { color: color },
      data: points,
      renderItem: (params, api) => {
        if (api.value(1) === null || isNaN(api.value(1))) return null;
        const low = api.coord([api.value(0), api.value(1)]);
        const high = api.coord([api.value(0), api.value(2)]);
        const half = 4;
        const style = { stroke: color, lineWidth: 1.5 };
        return { type: "group", children: [
          { type: "line", shape: { x1: low[0], y1: low[1], x2: high[0], y2: high[1] }, style: style },
          { type: "line", shape: { x1: low[0] - half, y1: low[1], x2: low[0] + half, y2: low[1] }, style: style },
          { type: "line", shape: { x1: high[0] - half, y1: high[1], x2: high[0] + half, y2: high[1] }, style: style },
        ] };
      },
    };
  }

  const clock = (ms) => new Date(ms).toISOString().substring(5, 16).replace("T", " ");

  // The stream over the last day: texts/s in, scored and labeled by the teacher; the teacher's share.
  function drawStream(points) {
    const x = points.map((p) => clock(p.start));
    const rate = (name, key, color) => ({ name: name, type: "line", showSymbol: points.length < 30, itemStyle: { color: color },
      data: points.map((p) => p[key]) });
    chart("chart-stream").setOption({
      animation: false, tooltip: { trigger: "axis" }, legend: { bottom: 0 },
      grid: { left: 50, right: 50, top: 30, bottom: 50 },
      xAxis: { type: "category", data: x },
      yAxis: [{ type: "value", name: "texts/s", min: 0 }, { type: "value", name: "teacher share", min: 0, max: 1 }],
      series: [
        rate("arrived/s", "rawPerSecond", "#1d4e89"),
        rate("scored/s", "scoredPerSecond", "#2d6a4f"),
        rate("teacher labels/s", "teacherPerSecond", "#8a5a00"),
        { name: "teacher share", type: "line", yAxisIndex: 1, showSymbol: points.length < 30, connectNulls: true,
          lineStyle: { type: "dashed" }, itemStyle: { color: "#6a1b9a" }, data: points.map((p) => p.teacherShare) },
      ],
    }, true);
  }

  // Dollars: spent on the teacher, saved by the student (its texts at the teacher's average price), cumulative.
  function drawCost(points) {
    const x = points.map((p) => clock(p.start));
    chart("chart-cost").setOption({
      animation: false, tooltip: { trigger: "axis", valueFormatter: (v) => "$" + Number(v).toFixed(4) },
      legend: { bottom: 0 }, grid: { left: 60, right: 20, top: 30, bottom: 50 },
      xAxis: { type: "category", data: x }, yAxis: { type: "value", name: "US dollars", min: 0 },
      series: [
        { name: "spent on the teacher", type: "line", showSymbol: points.length < 30, areaStyle: { opacity: 0.15 },
          itemStyle: { color: FAIL }, data: points.map((p) => p.spentUsd) },
        { name: "saved by the student", type: "line", showSymbol: points.length < 30, areaStyle: { opacity: 0.15 },
          itemStyle: { color: "#2d6a4f" }, data: points.map((p) => p.savedUsd) },
      ],
    }, true);
  }

  // (a) accuracy and macro-F1 per day and prompt version, intervals, the gate's threshold, FAIL days.
  function drawAgreement(histories) {
    const x = days(histories.map((h) => h.days.map((d) => d.day)));
    const series = [];
    const palette = ["#2d6a4f", "#1d4e89", "#8a5a00", "#6a1b9a"];
    histories.forEach((h, i) => {
      const byDay = new Map(h.days.map((d) => [d.day, d]));
      const version = h.promptVersion.substring(0, 8);
      [["accuracy", "accuracyInterval", 0], ["macro-F1", "macroF1Interval", 1]].forEach(([label, interval, k]) => {
        const color = palette[(2 * i + k) % palette.length];
        const key = k === 0 ? "accuracy" : "macroF1";
        const points = x.map((day) => {
          const d = byDay.get(day);
          if (!d || d[key] === null) return null;
          return d.gate === "FAIL"
            ? { value: d[key], symbolSize: 12, itemStyle: { color: FAIL }, label: { show: true, formatter: "FAIL", color: FAIL, position: "top" } }
            : d[key];
        });
        const s = { name: label + " " + version, type: "line", data: points, connectNulls: true, symbolSize: 8, itemStyle: { color: color } };
        if (k === 1) {
          s.markLine = { symbol: "none", lineStyle: { color: FAIL, type: "dashed" },
            label: { formatter: "gate " + h.minMacroF1 }, data: [{ yAxis: h.minMacroF1 }] };
        }
        series.push(s);
        series.push(errorBars(label + " " + version + " 95 %", color, x.map((day) => {
          const d = byDay.get(day);
          const iv = d && d[interval];
          return iv ? [day, iv.lower, iv.upper] : [day, null, null];
        })));
      });
    });
    chart("chart-agreement").setOption({
      animation: false, tooltip: { trigger: "axis" }, legend: { type: "scroll", bottom: 0 },
      grid: { left: 40, right: 20, top: 20, bottom: 50 },
      xAxis: { type: "category", data: x }, yAxis: { type: "value", min: 0, max: 1 }, series: series,
    }, true);
  }

  // (b) every model version's macro-F1 on the human-verified texts; champion and rejected marked.
  function drawModels(t) {
    const colors = { PROMOTED: "#2d6a4f", REJECTED: "#9e9e9e", RETIRED: "#bdbdbd", CANDIDATE: "#1d4e89" };
    const data = t.versions.map((m) => {
      const champion = m.version === t.champion;
      const f1 = m.metrics.macro_f1 === undefined ? null : m.metrics.macro_f1;
      return {
        value: f1,
        itemStyle: { color: champion ? "#e09f00" : colors[m.status] || "#1d4e89", decal: m.status === "REJECTED" ? { symbol: "line" } : null },
        label: { show: true, position: "top", formatter: champion ? "champion" : m.status.toLowerCase() },
      };
    });
    chart("chart-models").setOption({
      animation: false, tooltip: { trigger: "axis" },
      grid: { left: 40, right: 20, top: 30, bottom: 30 },
      xAxis: { type: "category", data: t.versions.map((m) => "v" + m.version) },
      yAxis: { type: "value", min: 0, max: 1 },
      series: [{ name: "macro-F1 (people)", type: "bar", data: data }],
    }, true);
  }

  // (c) the teacher's label mix per day over all sources, stacked; each source's PSI per day (dashed for
  // a single source), alerts marked.
  function drawMix(histories) {
    const h = histories[0];
    const sources = (h && h.sources) || {};
    const all = sources["*"] || [];
    const x = all.map((d) => d.day);
    const labels = days(all.map((d) => Object.keys(d.counts)));
    const series = labels.map((label) => ({
      name: label, type: "bar", stack: "mix", data: all.map((d) => d.counts[label] || 0),
    }));
    const psi = (name, list, dashed) => {
      const byDay = new Map(list.map((d) => [d.day, d]));
      return {
        name: name, type: "line", yAxisIndex: 1, connectNulls: true, lineStyle: { type: dashed ? "dashed" : "solid" },
        data: x.map((day) => {
          const d = byDay.get(day);
          if (!d) return null;
          return d.alert ? { value: d.psi, symbolSize: 12, itemStyle: { color: FAIL }, label: { show: true, formatter: "ALERT", color: FAIL } } : d.psi;
        }),
      };
    };
    const line = psi("PSI, all sources", all, false);
    line.markLine = h ? { symbol: "none", lineStyle: { color: FAIL, type: "dashed" }, label: { formatter: "PSI " + h.maxPsi }, data: [{ yAxis: h.maxPsi }] } : undefined;
    series.push(line);
    Object.keys(sources).filter((s) => s !== "*").sort().forEach((source) => series.push(psi("PSI, " + source, sources[source], true)));
    chart("chart-mix").setOption({
      animation: false, tooltip: { trigger: "axis" }, legend: { type: "scroll", bottom: 0 },
      grid: { left: 50, right: 40, top: 20, bottom: 50 },
      xAxis: { type: "category", data: x },
      yAxis: [{ type: "value", name: "labels" }, { type: "value", name: "PSI", min: 0 }],
      series: series,
    }, true);
  }

  // (d) the confusion matrix of the prompt version with the most reviews, people down, teacher across.
  function drawConfusion(quality) {
    const q = quality.slice().sort((a, b) => b.reviewed - a.reviewed)[0];
    const labels = q ? Object.keys(q.perClass) : [];
    const cells = [];
    let max = 1;
    labels.forEach((human, row) => labels.forEach((teacher, column) => {
      const n = (q.confusion[human] || {})[teacher] || 0;
      max = Math.max(max, n);
      cells.push([column, row, n]);
    }));
    chart("chart-confusion").setOption({
      animation: false, tooltip: { formatter: (p) => "people " + labels[p.value[1]] + ", teacher " + labels[p.value[0]] + ": " + p.value[2] },
      grid: { left: 80, right: 20, top: 20, bottom: 60 },
      xAxis: { type: "category", data: labels, name: "teacher", nameLocation: "middle", nameGap: 25 },
      yAxis: { type: "category", data: labels, name: "people", inverse: true },
      visualMap: { min: 0, max: max, calculable: false, orient: "horizontal", left: "center", bottom: 0, itemHeight: 80, inRange: { color: ["#f6f6f4", "#1d4e89"] } },
      series: [{ name: "reviewed items", type: "heatmap", data: cells, label: { show: true } }],
    }, true);
  }

  async function refreshCharts() {
    const draws = [
      ["/api/stream", (points) => { drawStream(points); drawCost(points); }],
      ["/api/quality/history", drawAgreement],
      ["/api/trainer", drawModels],
      ["/api/quality/label-mix/history", drawMix],
      ["/api/quality", drawConfusion],
    ];
    for (const [path, draw] of draws) {
      try {
        draw(await get(path));
      } catch (e) {
        console.error(path, e);
      }
    }
  }
  window.addEventListener("resize", () => document.querySelectorAll(".chart").forEach((el) => {
    const c = echarts.getInstanceByDom(el);
    if (c) c.resize();
  }));

  refresh();
  refreshStudent();
  setInterval(refresh, 10000);
  setInterval(refreshStudent, 5000);
  refreshCharts();
  setInterval(refreshCharts, 10000);
})();
