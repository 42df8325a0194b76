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
