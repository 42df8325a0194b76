// The console works without this script; with it, each ready-to-post text gets a copy button.
"use strict";
document.querySelectorAll("button.copy[data-copy]").forEach(function (button) {
  var source = document.getElementById(button.dataset.copy);
  if (!source || !navigator.clipboard) { return; }
  var label = button.textContent;
  button.hidden = false;
  button.addEventListener("click", function () {
    navigator.clipboard.writeText(source.value).then(function () {
      button.textContent = button.dataset.copied;
      setTimeout(function () { button.textContent = label; }, 2000);
    });
  });
});

// An upload shows how far it has got; the answer replaces the page, as a plain submit would.
document.querySelectorAll("form[data-progress]").forEach(function (form) {
  var box = document.getElementById(form.dataset.progress);
  if (!box || !window.XMLHttpRequest || !window.FormData) { return; }
  var bar = box.querySelector("progress");
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var request = new XMLHttpRequest();
    request.open("POST", form.action);
    request.upload.addEventListener("progress", function (e) {
      if (e.lengthComputable) { bar.value = Math.round(100 * e.loaded / e.total); }
    });
    request.addEventListener("load", function () {
      document.open();
      document.write(request.responseText);
      document.close();
    });
    box.hidden = false;
    request.send(new FormData(form));
  });
});

// A segment being built shows how many people it holds as it is filled in.
document.querySelectorAll("form[data-live-count]").forEach(function (form) {
  var out = document.getElementById("member-count");
  if (!out || !window.fetch || !window.FormData || !window.URLSearchParams) { return; }
  var timer = null;
  var asked = 0;
  function update() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      if (name !== "csrf" && name !== "intent") { params.append(name, value); }
    });
    var mine = ++asked;
    fetch(form.dataset.liveCount + "?" + params.toString(), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (answer) { if (answer && mine === asked) { out.textContent = answer.text; } })
      .catch(function () {});
  }
  form.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(update, 250); });
  form.addEventListener("change", function () { clearTimeout(timer); timer = setTimeout(update, 100); });
});

// The brief editor: one language at a time as tabs, and the problems and counts following what
// is typed, from the server's own validator.
document.querySelectorAll("form[data-check]").forEach(function (form) {
  var tabs = form.querySelectorAll("a[data-tab]");
  function show(id) {
    tabs.forEach(function (tab) {
      var on = tab.dataset.tab === id;
      tab.setAttribute("aria-current", on ? "true" : "false");
      document.getElementById(tab.dataset.tab).hidden = !on;
    });
  }
  tabs.forEach(function (tab) {
    tab.addEventListener("click", function (event) { event.preventDefault(); show(tab.dataset.tab); });
  });
  if (tabs.length) { show(tabs[0].dataset.tab); }
  // A problem's link opens its language first.
  document.querySelectorAll("#problems-list a[href^='#']").forEach(function (link) {
    link.addEventListener("click", function () {
      var field = document.getElementById(link.getAttribute("href").slice(1));
      var section = field && field.closest("section.language");
      if (section) { show(section.id); }
    });
  });
  if (!window.fetch || !window.URLSearchParams) { return; }
  var timer = null;
  var asked = 0;
  function render(answer) {
    document.getElementById("problems-summary").textContent = answer.summary;
    var list = document.getElementById("problems-list");
    list.textContent = "";
    answer.problems.forEach(function (p) {
      var item = document.createElement("li");
      item.textContent = p.text;
      list.appendChild(item);
    });
    form.querySelectorAll(".counters").forEach(function (box) {
      var name = box.id.replace(/-count$/, "");
      box.textContent = "";
      (answer.counters[name] || []).forEach(function (c) {
        var span = document.createElement("span");
        span.className = c.over ? "counter over" : "counter";
        span.textContent = c.text;
        box.appendChild(span);
      });
    });
    form.querySelectorAll(".field-error[id$='-problems']").forEach(function (box) {
      var name = box.id.replace(/-problems$/, "");
      var mine = answer.problems.filter(function (p) { return p.field === name; });
      box.textContent = mine.map(function (p) { return p.text; }).join(" ");
      var input = document.getElementById(name);
      if (input) { if (mine.length) { input.setAttribute("aria-invalid", "true"); } else { input.removeAttribute("aria-invalid"); } }
    });
  }
  function check() {
    var body = new URLSearchParams();
    new FormData(form).forEach(function (value, name) { if (name !== "intent") { body.append(name, value); } });
    var mine = ++asked;
    fetch(form.dataset.check, { method: "POST", credentials: "same-origin", body: body })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (answer) { if (answer && mine === asked) { render(answer); } })
      .catch(function () {});
  }
  form.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(check, 300); });
});

// An edition that is sending follows itself: its live part is asked for again every few seconds
// and swapped in, until the server sends one that no longer asks to be polled.
(function follow() {
  var live = document.getElementById("edition-live");
  if (!live || !live.dataset.poll || !window.fetch || !window.DOMParser) { return; }
  setTimeout(function () {
    fetch(live.dataset.poll, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (html === null) { return; }
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("edition-live");
        if (fresh) { live.replaceWith(fresh); }
        follow();
      })
      .catch(function () { setTimeout(follow, 5000); });
  }, 2000);
})();
