// Make the topic datalist complete the topic after the last comma, keeping the ones before it.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  for (const input of document.querySelectorAll('input[list="topic-suggestions"]')) {
    const list = document.getElementById("topic-suggestions");
    if (!list) continue;
    const names = Array.from(list.options, (o) => o.value);
    input.addEventListener("input", () => {
      const value = input.value;
      const cut = value.lastIndexOf(",");
      const head = cut >= 0 ? value.slice(0, cut + 1) + " " : "";
      const typed = value.slice(cut + 1).trim().toLowerCase();
      const taken = new Set(head.split(",").map((s) => s.trim().toLowerCase()));
      list.replaceChildren(
        ...names
          .filter((n) => !taken.has(n.toLowerCase()) && n.toLowerCase().includes(typed))
          .slice(0, 50)
          .map((n) => new Option(n, head + n))
      );
    });
  }
});
