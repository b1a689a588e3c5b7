// sosik serve: live reload. Injected into pages only by the preview server, never into `sosik build`.
// Events: hello {generation, server} (on connect), reload {generation, css_only, only?},
// build-error {message}, build-ok. The error text is only ever set with textContent, never parsed
// as HTML. The server ends each stream after a few minutes and the browser connects again; a
// refused stream (too many open pages) is tried again a little later.
(() => {
  "use strict";
  const ID = "sosik-overlay";
  // What the page has seen: the server and its last rebuild.
  let seen = null;

  function showError(message) {
    let box = document.getElementById(ID);
    if (!box) {
      box = document.createElement("div");
      box.id = ID;
      box.setAttribute("role", "alert");
      document.body.appendChild(box);
    }
    box.setAttribute("style", "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;" +
      "background:#1d1f21;color:#f8f8f2;border-top:4px solid #e06c75;padding:12px 16px;font:14px/1.5 ui-monospace,monospace");
    box.replaceChildren();
    const title = document.createElement("strong");
    title.textContent = "sosik: the last save did not build; this page shows the last good build.";
    const close = document.createElement("button");
    close.type = "button";
    close.textContent = "×";
    close.setAttribute("aria-label", "hide");
    close.setAttribute("style", "float:right;background:none;border:0;color:inherit;font-size:20px;cursor:pointer");
    close.addEventListener("click", () => box.remove());
    const pre = document.createElement("pre");
    pre.setAttribute("style", "white-space:pre-wrap;margin:8px 0 0");
    pre.textContent = message;
    box.append(close, title, pre);
  }

  function clearError() {
    const box = document.getElementById(ID);
    if (box) box.remove();
  }

  function refreshStyles() {
    for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {
      const url = new URL(link.href, location.href);
      url.searchParams.set("sosik", Date.now().toString(36));
      link.href = url.pathname + url.search;
    }
  }

  const here = () => {
    try {
      return decodeURI(location.pathname);
    } catch {
      return location.pathname;
    }
  };
  function onReload(e) {
    const data = JSON.parse(e.data);
    if (seen) seen.generation = data.generation;
    if (data.only) {
      // A settling rebuild: reload only if this page is one that changed.
      if (data.only.some((u) => decodeURI(u) === here())) location.reload();
    } else if (data.css_only) {
      clearError();
      refreshStyles();
    } else {
      location.reload();
    }
  }

  function connect() {
    const events = new EventSource("/__sosik/events");
    events.addEventListener("hello", (e) => {
      const data = JSON.parse(e.data);
      // Back after a restart of the server, or after a rebuild this page did not hear of: reload.
      if (seen && (data.server !== seen.server || data.generation !== seen.generation)) location.reload();
      seen = data;
      window.sosikLive = "connected"; // for tests driving a browser
    });
    events.addEventListener("reload", onReload);
    events.addEventListener("build-error", (e) => showError(JSON.parse(e.data).message));
    events.addEventListener("build-ok", clearError);
    events.addEventListener("error", () => {
      // Refused (503) or ended for good: the browser gives up, so try again later ourselves.
      if (events.readyState === EventSource.CLOSED) setTimeout(connect, 5000);
    });
  }
  connect();
})();
