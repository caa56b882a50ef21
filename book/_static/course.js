// Scrollable regions get keyboard access: a reader who cannot use a mouse can focus them and
// scroll with the arrow keys (WCAG 2.1.1). pydata-sphinx-theme already does this for code
// blocks and cell outputs once the page has loaded; this adds the course's other scrollable
// regions, wide tables and wide equations. All sizes are read first and the tab stops written
// after, so the browser lays the page out once, not once per region.
window.addEventListener("load", () => {
  const regions = document.querySelectorAll(".bd-article table, .bd-article div.math");
  const scrolling = Array.from(regions).filter(
    (el) => el.scrollWidth > el.clientWidth || el.scrollHeight > el.clientHeight,
  );
  scrolling.forEach((el) => {
    if (!el.hasAttribute("tabindex")) el.setAttribute("tabindex", "0");
  });
});

// Tables with a "Severity" column (chapter 17's errata) can be sorted by any column and
// filtered by severity. Sorting uses the order of the severity list, numbers as numbers, and
// text otherwise; the header buttons carry aria-sort, so screen readers announce the order.
window.addEventListener("DOMContentLoaded", () => {
  const ORDER = ["wrong result", "crash", "deprecated", "imprecise", "style"];
  document.querySelectorAll(".bd-article table").forEach((table) => {
    const heads = Array.from(table.querySelectorAll("thead th"));
    const sevCol = heads.findIndex((th) => th.textContent.trim() === "Severity");
    const body = table.tBodies[0];
    if (sevCol < 0 || !body) return;
    const rows = Array.from(body.rows);
    const cell = (row, col) => (row.cells[col] ? row.cells[col].textContent.trim() : "");
    const key = (text, col) => {
      if (col === sevCol) return ORDER.indexOf(text);
      const number = Number(text);
      return Number.isNaN(number) ? text.toLowerCase() : number;
    };
    heads.forEach((th, col) => {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "course-sort";
      button.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", () => {
        const up = th.getAttribute("aria-sort") !== "ascending";
        heads.forEach((other) => other.removeAttribute("aria-sort"));
        th.setAttribute("aria-sort", up ? "ascending" : "descending");
        const sorted = rows.slice().sort((a, b) => {
          const x = key(cell(a, col), col), y = key(cell(b, col), col);
          return (x < y ? -1 : x > y ? 1 : 0) * (up ? 1 : -1);
        });
        sorted.forEach((row) => body.appendChild(row));
      });
    });
    const label = document.createElement("label");
    label.className = "course-filter";
    label.textContent = "Show severity: ";
    const select = document.createElement("select");
    ["all", ...ORDER].forEach((name) => select.add(new Option(name, name)));
    select.addEventListener("change", () => {
      rows.forEach((row) => {
        row.hidden = select.value !== "all" && cell(row, sevCol) !== select.value;
      });
    });
    label.appendChild(select);
    table.before(label);
  });
});
