import CRMCore
import Foundation
import TerminalUI

/// Shown when a form's save found the row changed by someone else since the form opened
/// (`CRMError.conflict`): both versions field by field, the differing fields highlighted, and
/// three ways on — keep mine (saved over theirs), take theirs (my changes dropped), or back to
/// the form, now based on the newest version with my changes on top.
@MainActor
final class ConflictScreen: Screen {
  let tab: Int
  let context: AppContext
  let conflict: Conflict
  let keepMine: () throws -> Void
  let takeTheirs: () -> Void
  let backToForm: () -> Void
  var scroll = 0

  init(
    context: AppContext, conflict: Conflict, tab: Int = 1, keepMine: @escaping () throws -> Void,
    takeTheirs: @escaping () -> Void, backToForm: @escaping () -> Void
  ) {
    self.context = context
    self.conflict = conflict
    self.tab = tab
    self.keepMine = keepMine
    self.takeTheirs = takeTheirs
    self.backToForm = backToForm
  }

  /// Differing fields first (the conflicting ones at the very top), then the rest, by label.
  var rows: [(key: String, label: String, differs: Bool, conflicting: Bool)] {
    let log = context.core.audit
    let differing = Set(conflict.differing)
    let conflicting = Set(conflict.fields)
    let all = Set(conflict.mine.keys).union(conflict.theirs.keys)
    return all.map { key in
      (
        key, log.fieldName(entity: conflict.entity, key), differing.contains(key),
        conflicting.contains(key)
      )
    }.sorted { a, b in
      if a.conflicting != b.conflicting { return a.conflicting }
      if a.differs != b.differs { return a.differs }
      return a.label < b.label
    }
  }

  /// «Сохранено: boris, 14:03» — who saved the stored version and when (today: the time only).
  var theirsTitle: String {
    let who = conflict.changedBy ?? l.pick("someone", "кто-то")
    guard let at = conflict.changedAt else { return l.pick("Saved: ", "Сохранено: ") + who }
    let f = context.formats
    let now = context.db.clock.now()
    let when = f.date(at) == f.date(now) ? String(f.dateTime(at).suffix(5)) : f.dateTime(at)
    return l.pick("Saved: ", "Сохранено: ") + "\(who), \(when)"
  }

  /// A value as a person reads it: users by login instead of their number.
  func shown(_ key: String, _ value: String) -> String {
    if key == "kind", let kind = ClientKind(rawValue: value) { return kind.name(l) }
    guard key == "owner" || key == "user", !value.isEmpty else { return value }
    if logins.isEmpty {
      logins = Dictionary(
        ((try? context.db.users()) ?? []).map { (String($0.id), $0.login) },
        uniquingKeysWith: { a, _ in a })
    }
    return logins[value] ?? value
  }
  var logins: [String: String] = [:]

  func draw(_ canvas: inout Canvas, top: Int, rows height: Int, width: Int) {
    guard height > 4, width > 30 else { return }
    let title =
      l.pick("Conflict: ", "Конфликт: ")
      + "\(conflict.entityName(l)) №\(conflict.id) \(conflict.name)"
    canvas.put(top, 1, title, Style(bold: true, color: .yellow), maxWidth: width - 2)
    let who = conflict.changedBy ?? l.pick("someone", "кто-то")
    canvas.put(
      top + 1, 1,
      l.pick(
        "While you edited, \(who) saved a change. Both versions:",
        "Пока вы правили, \(who) сохранил(а) изменения. Обе версии:"), .plain,
      maxWidth: width - 2)
    let labelWidth = min(18, width / 4)
    let column = (width - labelWidth - 4) / 2
    let mineCol = 1 + labelWidth + 1
    let theirsCol = mineCol + column + 1
    canvas.put(top + 2, mineCol, l.pick("Your version", "Ваша версия"), .bold, maxWidth: column)
    canvas.put(top + 2, theirsCol, theirsTitle, .bold, maxWidth: column)
    let list = rows
    let visible = height - 3
    scroll = max(0, min(scroll, list.count - visible))
    for (i, r) in list.dropFirst(scroll).prefix(visible).enumerated() {
      let y = top + 3 + i
      let style: Style =
        r.conflicting
        ? Style(bold: true, color: .red) : r.differs ? Style(bold: true, color: .yellow) : .dim
      canvas.put(y, 1, (r.differs ? "▸" : " ") + r.label, style, maxWidth: labelWidth)
      let mine = shown(r.key, conflict.mine[r.key] ?? "")
      let theirs = shown(r.key, conflict.theirs[r.key] ?? "")
      canvas.put(
        y, mineCol, mine.isEmpty ? "—" : mine, r.differs ? style : .plain, maxWidth: column)
      canvas.put(
        y, theirsCol, theirs.isEmpty ? "—" : theirs, r.differs ? style : .plain, maxWidth: column)
    }
  }

  func handle(_ key: Key, app: App) {
    switch keys.action(for: key) {
    case .down: scroll += 1
    case .up: scroll = max(0, scroll - 1)
    case .keepMine:
      do {
        try keepMine()
      } catch {
        app.report(error)
      }
    case .takeTheirs: takeTheirs()
    case .backToForm: backToForm()
    default: break
    }
  }
}

/// Pushes the conflict screen over a form whose save met `conflict`. `mine` is what the form
/// tried to save, `base` the row the form was opened with; `save` saves a value (no base),
/// `load` reads the stored row, `reopen` makes the form again showing `shown` with `theirs` as
/// its base, `saved` refreshes the screens below.
@MainActor
func presentConflict<T: Versioned>(
  _ conflict: Conflict, mine: T, base: T, keys: [String], app: App, context: AppContext,
  tab: Int, save: @escaping (T) throws -> Void, load: @escaping () -> T?,
  reopen: @escaping (_ shown: T, _ theirs: T) -> any Screen, saved: @escaping () -> Void
) {
  let l = context.language
  app.push(
    ConflictScreen(
      context: context, conflict: conflict, tab: tab,
      keepMine: { [weak app] in
        // My changes over the stored row, not my whole stale copy: a field only they changed
        // keeps their value (saving `mine` as it is would silently undo it).
        guard let theirs = load() else { return }
        var m = Conflict.rebase(mine: mine, base: base, theirs: theirs, keys: keys)
        m.version = theirs.version
        try save(m)
        app?.pop()
        app?.pop()
        app?.flash(l.pick("Saved over their change.", "Сохранено поверх их изменений."))
        saved()
      },
      takeTheirs: { [weak app] in
        app?.pop()
        app?.pop()
        app?.flash(
          l.pick(
            "Your changes were dropped; the stored version stays.",
            "Ваши правки отменены; осталась сохранённая версия."))
        saved()
      },
      backToForm: { [weak app] in
        guard let app else { return }
        app.pop()
        guard let theirs = load() else { return }
        let shown = Conflict.rebase(mine: mine, base: base, theirs: theirs, keys: keys)
        app.pop()
        app.push(reopen(shown, theirs))
        app.flash(
          l.pick(
            "The form shows the stored version with your changes; ^S saves.",
            "В форме — сохранённая версия с вашими правками; ^S — сохранить."))
      }))
}

/// A form that edits a stored record (a client, a person, a contact, a deal). A save that met
/// someone else's change opens the conflict screen over it, whose «back to the form» opens the
/// form again on the stored version.
@MainActor
protocol RecordForm: FormScreen {
  associatedtype Record: Versioned
  /// The version the form was opened with: the base of the merge.
  var base: Record { get set }
  /// The same form again, showing `record`.
  func reopened(showing record: Record) -> Self
  /// After a save, also one from the conflict screen: refreshes the screens below.
  func saved()
}

extension RecordForm {
  /// A save that failed with `error`: a conflict opens the conflict screen for `mine` (read only
  /// then; nil: what the form tried to save is unknown, nothing opens), any other error shows in
  /// the form.
  /// `keys` are the fields the form edits, `save` saves a record without a base, `load` reads
  /// the stored one. False: the form stays open.
  func failedSave(
    _ error: CRMError, mine: @autoclosure () -> Record?, keys: [String], app: App,
    save: @escaping (Record) throws -> Void, load: @escaping () -> Record?
  ) -> Bool {
    guard case .conflict(let conflict) = error else {
      show(error, app: app)
      return false
    }
    guard let mine = mine() else { return false }
    presentConflict(
      conflict, mine: mine, base: base, keys: keys, app: app, context: context, tab: tab,
      save: save, load: load,
      reopen: { shown, theirs in
        let form = self.reopened(showing: shown)
        form.base = theirs
        return form
      }, saved: { self.saved() })
    return false
  }
}
