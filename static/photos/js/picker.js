// The text editor's picture picker: "Insert" hands the picture back to the editor window that opened
// this one (django-prose-editor's Figure dialog listens as CKEditor's file browser did), then closes.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  const picker = document.querySelector("[data-picker]");
  if (!picker) return;
  const funcNum = picker.dataset.funcNum;
  picker.addEventListener("click", function (event) {
    const button = event.target.closest("[data-insert]");
    if (!button) return;
    const opener = window.opener;
    if (!opener || !opener.CKEDITOR || !opener.CKEDITOR.tools) {
      button.textContent = "Open this from the story editor's figure button";
      return;
    }
    opener.CKEDITOR.tools.callFunction(funcNum, button.dataset.url, {
      id: button.dataset.id,
      alternative_text: button.dataset.alt,
      caption: button.dataset.caption,
    });
    window.close();
  });
});
