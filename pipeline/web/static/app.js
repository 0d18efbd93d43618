// Safeguarding themes dashboard: small progressive enhancements; every page works without this file.
"use strict";

// Filter forms marked data-autosubmit apply a pointer change at once (selects, checkboxes).
// Keyboard users step through options with the arrow keys, so for them Apply (or Enter) submits.
function autosubmit(form) {
  let keyboard = false;
  form.addEventListener("keydown", () => { keyboard = true; });
  form.addEventListener("pointerdown", () => { keyboard = false; });
  form.addEventListener("change", (event) => {
    if (!keyboard && event.target.matches("select, input[type=checkbox]")) {
      form.requestSubmit();
    }
  });
}

// Drop empty fields from GET forms so bookmarked URLs stay short and readable.
function trimEmptyFields(form) {
  form.addEventListener("formdata", (event) => {
    for (const [name, value] of [...event.formData.entries()]) {
      if (value === "") {
        event.formData.delete(name);
      }
    }
  });
}

// Highlight the column header of the heatmap cell under the pointer or keyboard focus.
function highlightColumns(table) {
  const headers = table.querySelectorAll("thead th");
  const mark = (cell, on) => {
    const header = headers[cell.cellIndex];
    if (header) {
      header.classList.toggle("hover", on);
    }
  };
  for (const type of ["mouseover", "focusin"]) {
    table.addEventListener(type, (e) => { const c = e.target.closest("td"); if (c) mark(c, true); });
  }
  for (const type of ["mouseout", "focusout"]) {
    table.addEventListener(type, (e) => { const c = e.target.closest("td"); if (c) mark(c, false); });
  }
}

// Review screen: j/k move between hits, a accepts and r rejects the hit in focus, t opens its
// add-a-theme list. Keys typed into a field are left alone; every button works without this.
function reviewKeys(list) {
  const hits = [...list.querySelectorAll("li.hit")];
  if (!hits.length) {
    return;
  }
  hits[0].focus();
  document.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey || event.target.matches("input, select, textarea")) {
      return;
    }
    const hit = document.activeElement.closest("li.hit") || hits[0];
    const index = hits.indexOf(hit);
    const actions = {
      j: () => (hits[index + 1] || hit).focus(),
      k: () => (hits[index - 1] || hit).focus(),
      a: () => hit.querySelector("button.accept").click(),
      r: () => hit.querySelector("button.reject").click(),
      t: () => hit.querySelector("select[name=theme]").focus(),
    };
    const action = actions[event.key];
    if (action) {
      event.preventDefault();
      action();
    }
  });
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("ol.review-queue").forEach(reviewKeys);
  document.querySelectorAll("form[data-autosubmit]").forEach(autosubmit);
  document.querySelectorAll("form[method=get]").forEach(trimEmptyFields);
  document.querySelectorAll("table.heatmap").forEach(highlightColumns);
});
