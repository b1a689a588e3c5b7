// sosik serve: live reload. Injected into pages only by the preview server, never into `sosik build`.
// Events: hello (on connect), reload {css_only, only?}, build-error {message}, build-ok.
// The error text is only ever set with textContent, never parsed as HTML.
(() => {
  "use strict";
  const ID = "sosik-overlay";
  let connectedOnce = false;

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

  const events = new EventSource("/__sosik/events");
  events.addEventListener("hello", () => {
    // A second hello means the connection dropped and came back (a restarted server): reload.
    if (connectedOnce) location.reload();
    connectedOnce = true;
    window.sosikLive = "connected"; // for tests driving a browser
  });
  const here = () => {
    try {
      return decodeURI(location.pathname);
    } catch {
      return location.pathname;
    }
  };
  events.addEventListener("reload", (e) => {
    const data = JSON.parse(e.data);
    if (data.only) {
      // A settling rebuild: reload only if this page is one that changed.
      if (data.only.some((u) => decodeURI(u) === here())) location.reload();
    } else if (data.css_only) {
      clearError();
      refreshStyles();
    } else {
      location.reload();
    }
  });
  events.addEventListener("build-error", (e) => showError(JSON.parse(e.data).message));
  events.addEventListener("build-ok", clearError);
})();
