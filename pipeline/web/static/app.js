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

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("form[data-autosubmit]").forEach(autosubmit);
  document.querySelectorAll("form[method=get]").forEach(trimEmptyFields);
  document.querySelectorAll("table.heatmap").forEach(highlightColumns);
});
