import CRMCore
import TerminalUI

/// A screen showing one list read lazily: `stale` marks the rows for reading again, and the next
/// draw or key reads them (`refresh`), counts them into `list` and keeps the selection in range.
/// The screen says only how to read, forget and count its rows.
@MainActor
protocol ListScreen: Screen {
  var stale: Bool { get set }
  var list: ListState { get set }
  /// Reads the rows (`refresh` calls it only when they are stale).
  func readRows() throws
  /// Forgets the rows after a failed read; by default keeps them.
  func forgetRows()
  /// How many rows the list has.
  var rowCount: Int { get }
  /// The row to select after a read (the entry to keep selected), nil to keep the selection.
  func rowToSelect() -> Int?
}

extension ListScreen {
  func forgetRows() {}
  func rowToSelect() -> Int? { nil }

  /// Reads the rows when they are stale; a failed read is reported and leaves the list empty
  /// (or as `forgetRows` leaves it).
  func refresh(app: App?) {
    guard stale else { return }
    stale = false
    do {
      try readRows()
    } catch {
      forgetRows()
      app?.report(error)
    }
    list.count = rowCount
    if let i = rowToSelect() { list.selected = i }
    list.clamp()
  }

  /// `r`: reads the rows again now and says so.
  func reloadNow(app: App) {
    stale = true
    refresh(app: app)
    app.flash(l.pick("Reloaded.", "Обновлено."))
  }

  /// The start of `handle` on a list: brings the rows up to date, then takes a movement key,
  /// `q`/Esc (back) and `r` (read again). The key's action when it is none of these, else nil.
  func listAction(_ key: Key, app: App) -> Action? {
    if moveSelection(key, app: app) { return nil }
    switch keys.action(for: key) {
    case .back: app.pop()
    case .reload: reloadNow(app: app)
    case let action: return action
    }
    return nil
  }

  /// The start of `handle`: brings the rows up to date, then takes a movement key. True when
  /// the key moved the selection (the screen has nothing more to do).
  func moveSelection(_ key: Key, app: App) -> Bool {
    refresh(app: app)
    return list.move(key)
  }
}
