// The upload page: drop or choose pictures, and each is sent on its own, so one bad file names itself
// and the others still arrive. Without JavaScript the form posts them all at once and the server does
// the same checks.
"use strict";
(function () {
  const form = document.querySelector("[data-upload-form]");
  if (!form || !window.fetch || !window.FormData) return;
  const zone = form.querySelector("[data-dropzone]");
  const input = zone.querySelector("input[type=file]");
  const list = form.querySelector("[data-upload-results]");
  const submit = form.querySelector("[data-upload-submit]");
  const maxBytes = Number(form.dataset.maxBytes || 0);

  function size(bytes) {
    return bytes >= 1048576 ? (bytes / 1048576).toFixed(1) + " MB" : Math.ceil(bytes / 1024) + " KB";
  }

  function row(file) {
    const item = document.createElement("li");
    item.className = "upload-result upload-result--waiting";
    const name = document.createElement("span");
    name.className = "upload-result__name";
    name.textContent = file.name + " (" + size(file.size) + ")";
    const status = document.createElement("span");
    status.className = "upload-result__status";
    status.textContent = "Waiting";
    item.append(name, status);
    list.append(item);
    return item;
  }

  function say(item, state, text, extra) {
    item.className = "upload-result upload-result--" + state;
    const status = item.querySelector(".upload-result__status");
    status.textContent = text;
    (extra || []).forEach(function (node) { item.append(node); });
  }

  function paragraph(text, className) {
    const p = document.createElement("p");
    p.className = className;
    p.textContent = text;
    return p;
  }

  async function send(file, item) {
    if (maxBytes && file.size > maxBytes) {
      say(item, "refused", "Refused", [paragraph("“" + file.name + "” is " + size(file.size) +
        "; the library takes files up to " + size(maxBytes) + ". Export a smaller JPEG.", "upload-result__error")]);
      return;
    }
    say(item, "sending", "Uploading…");
    const data = new FormData(form);
    data.delete("files");
    data.append("files", file, file.name);
    let answer;
    try {
      const response = await fetch(form.action || window.location.href, {
        method: "POST", body: data, headers: {Accept: "application/json"}, credentials: "same-origin",
      });
      answer = await response.json();
    } catch (error) {
      say(item, "refused", "Not sent", [paragraph("“" + file.name + "” did not reach the server (" +
        error.message + "). Check the connection and try again.", "upload-result__error")]);
      return;
    }
    if (!answer.ok) {
      say(item, "refused", "Refused", [paragraph(answer.error, "upload-result__error")]);
      return;
    }
    const link = document.createElement("a");
    link.href = answer.change_url;
    link.textContent = answer.needs_alt ? "Write its alt text" : "Open it";
    const notes = [link];
    if (answer.prefilled.length) {
      notes.push(paragraph("Filled from the file: " + answer.prefilled.join(", ").replace(/_/g, " ") + ".",
        "upload-result__note"));
    }
    answer.warnings.forEach(function (warning) { notes.push(paragraph(warning, "upload-result__warning")); });
    say(item, answer.warnings.length ? "warned" : "added", "Added", notes);
  }

  async function sendAll(files) {
    submit.disabled = true;
    const rows = files.map(function (file) { return [file, row(file)]; });
    for (const [file, item] of rows) {
      await send(file, item);  // one at a time: the server makes each picture's renditions as it arrives
    }
    submit.disabled = false;
    input.value = "";
  }

  ["dragenter", "dragover"].forEach(function (type) {
    zone.addEventListener(type, function (event) {
      event.preventDefault();
      zone.classList.add("dropzone--over");
    });
  });
  ["dragleave", "drop"].forEach(function (type) {
    zone.addEventListener(type, function () { zone.classList.remove("dropzone--over"); });
  });
  zone.addEventListener("drop", function (event) {
    event.preventDefault();
    const files = Array.from(event.dataTransfer.files || []);
    if (files.length) sendAll(files);
  });
  input.addEventListener("change", function () {
    const files = Array.from(input.files || []);
    if (files.length) sendAll(files);
  });
  form.addEventListener("submit", function (event) {
    const files = Array.from(input.files || []);
    event.preventDefault();
    if (files.length) sendAll(files);
  });
})();
