// Packplatz: one always-focused scan field; a scanner types a code and Enter.
// Enter on an empty field = label + print; "+"/"-" on an empty field = a parcel more/less;
// F9 = print the last label again; Esc clears. Requests run one after another, in scan order.
(function () {
  "use strict";
  var root, field, message, work, reprintButton, csrf;
  var queue = Promise.resolve();
  var shipping = false;

  function post(url, data) {
    var body = new URLSearchParams(data || {});
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {"X-CSRFToken": csrf, "X-Requested-With": "fetch"},
      body: body
    }).then(function (response) {
      if (!response.ok) { throw new Error(response.status + " " + response.statusText); }
      return response.json();
    });
  }

  function beep() {
    try {
      var Context = window.AudioContext || window.webkitAudioContext;
      var audio = new Context();
      var tone = audio.createOscillator();
      tone.frequency.value = 220;
      tone.connect(audio.destination);
      tone.start();
      tone.stop(audio.currentTime + 0.25);
    } catch (e) { /* no sound: the red message says it */ }
  }

  function show(answer) {
    if (answer.html !== undefined) { work.innerHTML = answer.html; }
    message.className = "packing-message " + (answer.ok ? "ok" : "error");
    message.textContent = answer.message || "";
    if (answer.problems && answer.problems.length) {
      var list = document.createElement("ul");
      answer.problems.forEach(function (text) {
        var item = document.createElement("li");
        item.textContent = text;
        list.appendChild(item);
      });
      message.appendChild(list);
    }
    reprintButton.hidden = answer.print_state !== "failed";
    if (!answer.ok) { beep(); }
    (answer.browser_urls || []).forEach(function (url) {
      var opened = window.open(url, "_blank");
      if (!opened) {
        var link = document.createElement("a");
        link.href = url;
        link.target = "_blank";
        link.className = "packing-browser-print";
        link.textContent = " PDF";
        message.appendChild(link);
      }
    });
  }

  function failed(error) {
    show({ok: false, message: root.dataset.failedText + " (" + error.message + ")"});
  }

  function send(url, data) {
    queue = queue.then(function () { return post(url, data).then(show, failed); });
    return queue;
  }

  function ship() {
    if (shipping) { return; }
    shipping = true;
    message.className = "packing-message busy";
    message.textContent = root.dataset.busyText;
    send(root.dataset.shipUrl).then(function () { shipping = false; });
  }

  function reprint(shipment) {
    send(root.dataset.reprintUrl, shipment ? {shipment: shipment} : {});
  }

  function keepFocus() {
    var active = document.activeElement;
    if (active && active !== field && /^(SELECT|BUTTON|A|SUMMARY)$/.test(active.tagName)) { return; }
    field.focus();
  }

  document.addEventListener("DOMContentLoaded", function () {
    root = document.querySelector(".packing");
    if (!root) { return; }
    field = document.getElementById("packing-code");
    message = document.getElementById("packing-message");
    work = document.getElementById("packing-work");
    reprintButton = document.getElementById("packing-reprint");
    csrf = document.querySelector("#packing-station-form [name=csrfmiddlewaretoken]").value;
    field.focus();
    field.addEventListener("blur", function () { setTimeout(keepFocus, 0); });
    field.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        var code = field.value.trim();
        field.value = "";
        if (code) { send(root.dataset.scanUrl, {code: code}); } else { ship(); }
      } else if ((event.key === "+" || event.key === "-") && !field.value) {
        event.preventDefault();
        send(root.dataset.scanUrl, {code: event.key});
      } else if (event.key === "Escape") {
        field.value = "";
      }
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "F9") {
        event.preventDefault();
        reprint();
      }
    });
    reprintButton.addEventListener("click", function () { reprint(); field.focus(); });
    work.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-shipment]");
      if (!button) { return; }
      if (button.classList.contains("packing-row-reprint")) {
        reprint(button.dataset.shipment);
      } else if (button.classList.contains("packing-row-undo") && window.confirm(root.dataset.undoConfirm)) {
        send(root.dataset.undoUrl, {shipment: button.dataset.shipment});
      }
      field.focus();
    });
    document.getElementById("packing-station").addEventListener("change", function () {
      document.getElementById("packing-station-form").submit();
    });
  });
})();
