// Suggest existing topics for the topic typed after the last comma, keeping the ones before it.
// The names come from the admin's topic search (the box's data-suggest-url) as the editor types.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const list = document.getElementById("topic-suggestions");
  if (!list) return;
  for (const input of document.querySelectorAll('input[list="topic-suggestions"][data-suggest-url]')) {
    let timer = null;
    let asked = 0;
    input.addEventListener("input", () => {
      const value = input.value;
      const cut = value.lastIndexOf(",");
      const head = cut >= 0 ? value.slice(0, cut + 1) + " " : "";
      const typed = value.slice(cut + 1).trim();
      const taken = new Set(head.split(",").map((s) => s.trim().toLowerCase()));
      clearTimeout(timer);
      if (!typed) {
        list.replaceChildren();
        return;
      }
      timer = setTimeout(async () => {
        const ask = ++asked;
        const url = new URL(input.dataset.suggestUrl, window.location.href);
        url.searchParams.set("term", typed);
        let names = [];
        try {
          const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
          if (!response.ok) return;
          names = (await response.json()).results.map((r) => r.text);
        } catch {
          return; // offline or signed out: the box still takes typed names
        }
        if (ask !== asked) return; // a later keystroke's answer is on its way
        list.replaceChildren(
          ...names.filter((n) => !taken.has(n.toLowerCase())).map((n) => new Option(n, head + n))
        );
      }, 150);
    });
  }
});
