// The review page: one item at a time from /api/review/next; answers go to /api/review/answer.
// Same-origin calls reuse the browser's basic-auth login. URLs are built from location.origin, which
// never carries credentials (fetch refuses URLs that do, e.g. after opening http://user:pw@host/).
"use strict";
(function () {
  const api = (path) => new URL("/api/review/" + path, window.location.origin).toString();
  const $ = (id) => document.getElementById(id);
  let current = null;
  let busy = false;

  function showProgress(progress) {
    if (!progress) return;
    $("reviewed-today").textContent = progress.reviewedToday;
    $("queue-length").textContent = progress.queueLength;
    const teacher = progress.teacher;
    const fail = $("gate-fail");
    if (!teacher) {
      $("agreement").textContent = "–";
      fail.hidden = true;
      return;
    }
    const share = (x) => (x === null || x === undefined ? "–" : x.toFixed(2));
    $("agreement").textContent =
      share(teacher.accuracy) + " (κ " + share(teacher.kappa) + ", " + teacher.reviewed + " reviewed, " + teacher.gate + ")";
    $("agreement").title = teacher.gateReason;
    fail.hidden = teacher.gate !== "FAIL";
    fail.textContent = teacher.gate === "FAIL"
      ? "Gate FAIL for prompt version " + teacher.promptVersion + ": nothing is distilled from these labels. " + teacher.gateReason
      : "";
  }

  function status(message, error) {
    $("status").textContent = message || "";
    $("status").className = error ? "error" : "";
  }

  function render(item) {
    current = item;
    document.body.dataset.itemId = item ? item.id : "";
    $("item").hidden = !item;
    if (!item) return;
    $("text").textContent = item.text;
    const labels = $("labels");
    labels.replaceChildren();
    item.labels.forEach((label, i) => {
      const button = document.createElement("button");
      button.type = "button";
      button.dataset.label = label.name;
      const key = document.createElement("kbd");
      key.textContent = i < 9 ? String(i + 1) : "";
      const name = document.createElement("span");
      name.className = "name";
      name.textContent = label.name;
      const definition = document.createElement("span");
      definition.className = "definition";
      definition.textContent = label.definition;
      button.append(key, name, definition);
      button.addEventListener("click", () => answer({ label: label.name }));
      labels.append(button);
    });
    $("note").value = "";
  }

  async function call(path, options) {
    const response = await fetch(api(path), Object.assign({ credentials: "same-origin" }, options));
    if (!response.ok) {
      let reason = response.status + " " + response.statusText;
      try { reason = (await response.json()).error || reason; } catch (e) { /* not JSON */ }
      throw new Error(reason);
    }
    return response.status === 204 ? null : response.json();
  }

  async function loadNext() {
    const item = await call("next");
    render(item);
    if (item) {
      showProgress(item.progress);
      status("");
    } else {
      showProgress(await call("progress"));
      status("Nothing to review right now.");
    }
    document.body.dataset.ready = "true";
  }

  async function run(action) {
    if (busy) return;
    busy = true;
    document.body.dataset.ready = "false";
    try {
      await action();
      await loadNext();
    } catch (e) {
      status(e.message, true);
      document.body.dataset.ready = "true";
    } finally {
      busy = false;
    }
  }

  function answer(choice) {
    if (!current) return;
    const body = Object.assign({ id: current.id }, choice);
    const note = $("note").value.trim();
    if (note) body.note = note;
    run(() => call("answer", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    }));
  }

  function undo() {
    run(async () => {
      const result = await call("undo", { method: "POST" });
      if (!result.undone) throw new Error("Nothing to undo.");
    });
  }

  $("skip").addEventListener("click", () => answer({ skipped: true }));
  $("undo").addEventListener("click", undo);
  document.addEventListener("keydown", (event) => {
    if (event.target === $("note") || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key >= "1" && event.key <= "9" && current) {
      const label = current.labels[Number(event.key) - 1];
      if (label) answer({ label: label.name });
    } else if (event.key === "s") {
      answer({ skipped: true });
    } else if (event.key === "u") {
      undo();
    } else {
      return;
    }
    event.preventDefault();
  });

  run(async () => {});
})();
