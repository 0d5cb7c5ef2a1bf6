import CRMCore
import TerminalUI

/// A page about one record (a deal, an invoice), read lazily and scrolled: `loaded` false makes
/// the next draw or key read it again. The page says only how to read its record.
@MainActor
protocol RecordPage: Screen {
  var loaded: Bool { get set }
  var scroll: LineScroll { get set }
  /// Called after a change made from the page (the opener reads again).
  var onChange: () -> Void { get }
  /// Reads the record; a failure is reported and keeps what was read before.
  func readRecord() throws
  /// Whether the record was read (false: it is gone).
  var hasRecord: Bool { get }
  /// What the page says when its record is gone.
  var goneText: String { get }
}

extension RecordPage {
  func dataChanged() { loaded = false }

  /// Reads the record unless it is read already.
  func loadIfNeeded(app: App?) {
    guard !loaded else { return }
    loaded = true
    do {
      try readRecord()
    } catch {
      app?.report(error)
    }
  }

  /// The start of `draw`: reads the record if needed; false when there is no room or the record
  /// is gone (then it says so), and nothing more is to be drawn.
  func pageShown(_ canvas: inout Canvas, top: Int, rows: Int, width: Int) -> Bool {
    guard rows > 1, width > 10 else { return false }
    loadIfNeeded(app: nil)
    guard hasRecord else {
      canvas.notice(top + 1, goneText, width: width, .error)
      return false
    }
    return true
  }

  /// What a flow started from the page calls when it changed something: read the page again
  /// and tell the opener.
  var changed: () -> Void {
    { [weak self] in
      self?.loaded = false
      self?.onChange()
    }
  }

  /// "↓ more" at the bottom right while the page goes on below.
  func drawMoreMark(_ canvas: inout Canvas, row: Int, width: Int) {
    if scroll.moreBelow {
      canvas.put(row, width - 12, l.pick("↓ more", "↓ ещё"), .dim, maxWidth: 10)
    }
  }
}
