// Copy buttons for each ready-to-post text on a public pack page. Without this script the
// texts are still there to select; nothing else depends on it.
(function () {
  "use strict";
  var body = document.body;
  var copyLabel = body.getAttribute("data-copy") || "Copy";
  var copiedLabel = body.getAttribute("data-copied") || "Copied";

  function textOf(box) {
    // Line breaks are <br> elements: innerText gives them back as newlines.
    return box.innerText.replace(/\u00a0/g, " ").trim();
  }

  function fallbackCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "offscreen";
    body.appendChild(area);
    area.select();
    var done = false;
    try { done = document.execCommand("copy"); } catch (e) { done = false; }
    body.removeChild(area);
    return done;
  }

  function copied(button) {
    button.textContent = copiedLabel;
    button.setAttribute("data-copied", "true");
    setTimeout(function () {
      button.textContent = copyLabel;
      button.removeAttribute("data-copied");
    }, 4000);
  }

  document.querySelectorAll(".snippet").forEach(function (box, i) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy";
    button.textContent = copyLabel;
    if (!box.id) { box.id = "text-" + (i + 1); }
    button.setAttribute("aria-describedby", box.id);
    button.addEventListener("click", function () {
      var text = textOf(box);
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(function () { copied(button); }, function () {
          if (fallbackCopy(text)) { copied(button); }
        });
      } else if (fallbackCopy(text)) {
        copied(button);
      }
    });
    box.insertAdjacentElement("afterend", button);
  });
})();
