/// The page script of ``HTMLReportBrowserTests``, run at the end of the HTML report's
/// body: for each view and two font sizes, it scrolls half-way down the matrix,
/// measures the header rows and asks, for each header cell, whether it is the topmost
/// element at its centre; it writes the measurements as JSON into an element with the
/// id `measured`, which the test reads back from Chromium's `--dump-dom`.
enum HeaderMeasurement {
  static let script = #"""
    (function () {
      function box(element) {
        var r = element.getBoundingClientRect();
        return { top: r.top, bottom: r.bottom, left: r.left, right: r.right };
      }
      function measure(view, fontSize) {
        document.getElementById("view-" + view).checked = true;
        document.documentElement.style.fontSize = fontSize;
        var table = document.querySelector("#matrix-" + view + " table.matrix");
        var head = table.tHead;
        window.scrollTo(0, 0);
        var tableTop = table.getBoundingClientRect().top;
        window.scrollTo(0, tableTop + table.offsetHeight / 2);
        var rows = Array.prototype.map.call(head.rows, function (row, index) {
          // Each cell that starts in this row: is it what the reader sees at its centre?
          var cells = Array.prototype.filter.call(row.cells, function (cell) { return cell.rowSpan === 1; });
          var hidden = cells.filter(function (cell) {
            var b = cell.getBoundingClientRect();
            var x = (b.left + b.right) / 2, y = (b.top + b.bottom) / 2;
            // A cell beyond the window's right edge is out of sight sideways, not covered.
            if (x < 0 || x >= window.innerWidth) return false;
            if (y < 0 || y >= window.innerHeight) return true;
            var seen = document.elementFromPoint(x, y);
            return !(seen && cell.contains(seen));
          }).map(function (cell) { return cell.textContent; });
          var b = box(row);
          b.cells = cells.length;
          b.hidden = hidden;
          return b;
        });
        return {
          view: view, fontSize: fontSize, scrollY: window.scrollY, table: box(table), head: box(head), rows: rows,
          visible: getComputedStyle(document.getElementById("matrix-" + view)).display !== "none"
        };
      }
      var results = [];
      ["both", "bridge", "root"].forEach(function (view) {
        ["16px", "28px"].forEach(function (size) { results.push(measure(view, size)); });
      });
      var out = document.createElement("pre");
      out.id = "measured";
      out.textContent = JSON.stringify(results);
      document.body.appendChild(out);
    })();
    """#
}
