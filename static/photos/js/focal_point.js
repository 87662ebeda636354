// A picture's focal point: click (or press Enter on) the picture where its subject is; the hidden
// focal fields take the position and the crop previews follow.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-focal-picker]").forEach(function (picker) {
    const form = picker.closest("form");
    const x = form.querySelector("[data-focal=x]");
    const y = form.querySelector("[data-focal=y]");
    const frame = picker.querySelector(".focal__frame");
    const image = picker.querySelector(".focal__image");
    const mark = picker.querySelector(".focal__mark");
    const crops = picker.querySelectorAll(".focal__crop");
    if (!x || !y) return;

    function show(fx, fy) {
      mark.style.left = (fx * 100).toFixed(1) + "%";
      mark.style.top = (fy * 100).toFixed(1) + "%";
      crops.forEach(function (crop) {
        crop.style.objectPosition = (fx * 100).toFixed(1) + "% " + (fy * 100).toFixed(1) + "%";
      });
    }

    function set(fx, fy) {
      fx = Math.min(1, Math.max(0, fx));
      fy = Math.min(1, Math.max(0, fy));
      x.value = fx.toFixed(3);
      y.value = fy.toFixed(3);
      show(fx, fy);
    }

    frame.addEventListener("click", function (event) {
      const box = image.getBoundingClientRect();
      if (event.detail === 0) return;  // a keyboard "click": the arrow keys move the point instead
      set((event.clientX - box.left) / box.width, (event.clientY - box.top) / box.height);
    });
    frame.addEventListener("keydown", function (event) {
      const steps = {ArrowLeft: [-0.05, 0], ArrowRight: [0.05, 0], ArrowUp: [0, -0.05], ArrowDown: [0, 0.05]};
      const step = steps[event.key];
      if (!step) return;
      event.preventDefault();
      set(Number(x.value) + step[0], Number(y.value) + step[1]);
    });
  });
});
