(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("heatmap-data").textContent);
  var tip = document.getElementById("tip");
  var pinned = null;

  function el(tag, text) {
    var node = document.createElement(tag);
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function quote(item) {
    var li = el("li");
    li.appendChild(document.createTextNode("\u201c" + item.before));
    li.appendChild(el("mark", item.match));
    li.appendChild(document.createTextNode(item.after + "\u201d"));
    var where = [item.title, item.year, item.page ? "p. " + item.page : null].filter(Boolean).join(", ");
    li.appendChild(el("cite", "\u2014 " + where));
    return li;
  }

  function fill(cell) {
    tip.replaceChildren();
    tip.appendChild(el("h3", cell.label + " \u00b7 " + cell.column));
    tip.appendChild(el("p", cell.figures)).className = "figures";
    if (cell.evidence.length) {
      var list = el("ol");
      cell.evidence.forEach(function (item) { list.appendChild(quote(item)); });
      tip.appendChild(list);
    } else {
      tip.appendChild(el("p", "No counted mention in this column."));
    }
    tip.appendChild(el("p", pinned ? "Click elsewhere or press Esc to close." : "Click to pin.")).className = "hint";
  }

  function show(td) {
    var cell = data.cells[td.dataset.cell];
    if (!cell) { return; }
    fill(cell);
    var box = td.getBoundingClientRect();
    tip.style.display = "block";
    var left = window.scrollX + box.right + 8;
    if (left + tip.offsetWidth > window.scrollX + document.documentElement.clientWidth) {
      left = Math.max(window.scrollX + 4, window.scrollX + box.left - tip.offsetWidth - 8);
    }
    tip.style.left = left + "px";
    tip.style.top = (window.scrollY + box.top) + "px";
  }

  function hide() { pinned = null; tip.classList.remove("pinned"); tip.style.display = "none"; }

  document.querySelectorAll("td[data-cell]").forEach(function (td) {
    td.addEventListener("mouseenter", function () { if (!pinned) { show(td); } });
    td.addEventListener("mouseleave", function () { if (!pinned) { tip.style.display = "none"; } });
    td.addEventListener("focus", function () { if (!pinned) { show(td); } });
    td.addEventListener("click", function (event) {
      event.stopPropagation();
      pinned = td; tip.classList.add("pinned"); show(td);
    });
  });
  document.addEventListener("click", function (event) { if (!tip.contains(event.target)) { hide(); } });
  document.addEventListener("keydown", function (event) { if (event.key === "Escape") { hide(); } });

  var filter = document.getElementById("theme-filter");
  if (filter) {
    filter.addEventListener("input", function () {
      var needle = filter.value.toLowerCase();
      document.querySelectorAll("table.heatmap tbody tr").forEach(function (row) {
        row.style.display = row.dataset.label.indexOf(needle) >= 0 ? "" : "none";
      });
    });
  }
})();
