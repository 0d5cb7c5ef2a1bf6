/// One part of a list read from SQL a page at a time: its exact total (from a COUNT) and the
/// page of rows around what is on screen, so the list scrolls to its very end without reading
/// the table.
struct PagedRows<Row> {
  /// How many rows there are in all.
  var total = 0
  /// The index (within this part) of `rows[0]`.
  var offset = 0
  /// The page read last.
  var rows: [Row] = []
  /// Rows read per page.
  var page = 200

  init(page: Int = 200) { self.page = page }

  /// The row at `index` of this part when it is in the page read; nil otherwise.
  func row(_ index: Int) -> Row? {
    let k = index - offset
    return rows.indices.contains(k) ? rows[k] : nil
  }

  /// Makes sure the rows of `range` (indices in this part, clamped to `total`) are read: when
  /// any is missing, reads one page starting a little before the range (`load(offset, limit)`).
  mutating func cover(_ range: Range<Int>, load: (Int, Int) throws -> [Row]) rethrows {
    let wanted = max(0, range.lowerBound)..<min(total, max(range.upperBound, range.lowerBound))
    guard !wanted.isEmpty else { return }
    if wanted.lowerBound >= offset && wanted.upperBound <= offset + rows.count { return }
    let start = max(0, wanted.lowerBound - page / 4)
    let limit = max(page, wanted.upperBound - start)
    rows = try load(start, limit)
    offset = start
  }

  /// Forgets the rows (the total stays until it is read again).
  mutating func clear() {
    rows = []
    offset = 0
  }
}
