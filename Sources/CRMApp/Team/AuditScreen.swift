import CRMCore
import Foundation
import TerminalUI

/// The audit log: changes newest first (one line per change), a page of SQL at a time by
/// keyset as the selection nears the end. Filters: user (`u`), entity (`e`), period (`p`, moved
/// with `[`/`]`), cleared with `c`; Enter shows every field of the change, `o` opens the
/// client's card. A manager sees only their own changes (the core forces it).
@MainActor
public final class AuditScreen: Screen {
  /// The period filter: all time, or the day / week / month around `anchor`.
  public enum Period: Int, CaseIterable, Sendable {
    case all, day, week, month
  }

  public let tab: Int
  public let context: AppContext
  public private(set) var filter: AuditQuery
  public private(set) var period = Period.all
  var anchor: Date
  private(set) var changes: [AuditChange] = []
  var next: AuditCursor?
  var list = ListState()
  var stale = true
  var problem: String?
  static let pageSize = 50

  public init(context: AppContext, filter: AuditQuery = AuditQuery(), tab: Int = 5) {
    self.context = context
    self.filter = filter
    self.tab = tab
    anchor = context.db.clock.now()
  }

  public func dataChanged() { stale = true }
  var log: AuditLog { context.core.audit }
  var calendar: Calendar { TimeContext(now: anchor, timeZone: context.timeZone).calendar }

  var selected: AuditChange? {
    changes.indices.contains(list.selected) ? changes[list.selected] : nil
  }

  /// Reads the first page again (after a filter change or new data).
  func reload() {
    stale = false
    problem = nil
    next = nil
    do {
      let page = try log.changes(filter, limit: Self.pageSize)
      changes = page.changes
      next = page.next
    } catch {
      changes = []
      problem = error.message(l)
    }
    list.count = changes.count
    list.clamp()
  }

  /// Reads the next page when the selection is on the last rows loaded.
  func loadMoreIfNeeded() {
    guard let cursor = next, list.selected >= changes.count - 2 else { return }
    do {
      let page = try log.changes(filter, before: cursor, limit: Self.pageSize)
      changes += page.changes
      next = page.next
    } catch {
      next = nil
      problem = error.message(l)
    }
    list.count = changes.count
    list.clamp()
  }

  // MARK: Period

  func setPeriod(_ p: Period) {
    period = p
    applyPeriod()
  }

  func applyPeriod() {
    let cal = calendar
    switch period {
    case .all:
      filter.from = nil
      filter.to = nil
    case .day:
      let d = CalendarMath.dayInterval(anchor, cal)
      filter.from = d.start
      filter.to = d.end
    case .week:
      let s = CalendarMath.startOfWeek(anchor, cal)
      filter.from = s
      filter.to = CalendarMath.addDays(s, 7, cal)
    case .month:
      let s = CalendarMath.startOfMonth(anchor, cal)
      filter.from = s
      filter.to = CalendarMath.addMonths(s, 1, cal)
    }
    stale = true
  }

  func shift(_ n: Int) {
    let cal = calendar
    switch period {
    case .all: return
    case .day: anchor = CalendarMath.addDays(anchor, n, cal)
    case .week: anchor = CalendarMath.addDays(anchor, 7 * n, cal)
    case .month: anchor = CalendarMath.addMonths(anchor, n, cal)
    }
    applyPeriod()
  }

  /// `неделя 23.11.2026 – 29.11.2026`.
  func periodText() -> String? {
    guard let from = filter.from, let to = filter.to else { return nil }
    let f = context.formats
    let last = to.addingTimeInterval(-1)
    switch period {
    case .day: return l.pick("day ", "день ") + f.date(from)
    case .week: return l.pick("week ", "неделя ") + "\(f.date(from)) – \(f.date(last))"
    case .month: return l.pick("month ", "месяц ") + "\(f.date(from)) – \(f.date(last))"
    case .all: return "\(f.date(from)) – \(f.date(last))"
    }
  }

  /// The active filters in one line.
  func filterLine() -> String {
    var parts: [String] = []
    if let u = filter.userId {
      let login = (try? context.db.users())?.first { $0.id == u }?.login ?? "#\(u)"
      parts.append(l.pick("user ", "пользователь ") + login)
    }
    if let e = filter.entity { parts.append(log.entityName(e)) }
    if let a = filter.action { parts.append(log.actionName(a)) }
    if let c = filter.clientId {
      let name = (try? context.clients.client(c))?.name ?? "#\(c)"
      parts.append(l.pick("client «", "клиент «") + name + "»")
    }
    if let p = periodText() { parts.append(p) }
    return l.pick("Filter: ", "Фильтр: ")
      + (parts.isEmpty ? l.pick("all changes", "все изменения") : parts.joined(separator: " · "))
  }

  // MARK: Drawing

  public func draw(_ canvas: inout Canvas, top: Int, rows: Int, width: Int) {
    guard rows > 2, width > 10 else { return }
    if stale { reload() }
    var r = top
    let col = canvas.put(r, 1, l.pick("Audit log", "Журнал изменений"), .bold)
    canvas.put(r, col + 2, filterLine(), .plain, maxWidth: max(0, width - col - 3))
    r += 1
    if log.ownOnly {
      canvas.line(
        &r,
        l.pick(
          "Only your own changes: the full log is for supervisors and admins.",
          "Только ваши изменения: весь журнал видят руководители и администраторы."), .dim,
        width: width)
    }
    if let problem {
      for (i, line) in wrap(problem, width: width - 2).prefix(3).enumerated() {
        canvas.put(r + 1 + i, 1, line, .error)
      }
      return
    }
    if changes.isEmpty {
      canvas.notice(
        r + 1,
        l.pick(
          "No changes match. c clears the filters.",
          "Изменений не найдено. c — сбросить фильтры."), width: width)
      return
    }
    let tableRows = top + rows - r
    list.visible = max(1, tableRows - 1)
    list.clamp()
    let f = context.formats
    let cells = changes.dropFirst(list.top).prefix(list.visible).map { c in
      [f.dateTime(c.at), c.user, log.object(c), log.actionName(c.action), log.fieldList(c)]
    }
    drawTable(
      &canvas, top: r, rows: tableRows, width: width,
      columns: [
        Column(l.pick("Time", "Время"), width: 16), Column(l.pick("User", "Кто"), width: 8),
        Column(l.pick("Object", "Объект"), width: 18),
        Column(l.pick("Action", "Действие"), width: 10),
        Column(l.pick("Fields", "Поля"), width: 0),
      ], cells: Array(cells), firstIndex: list.top, selected: list.selected)
  }

  // MARK: Keys

  public func handle(_ key: Key, app: App) {
    if stale { reload() }
    if list.move(key) {
      loadMoreIfNeeded()
      return
    }
    switch keys.action(for: key) {
    case .open:
      guard let c = selected else { return }
      app.push(AuditDetailScreen(context: context, change: c, tab: tab))
    case .clientCard:
      guard let c = selected else { return }
      guard c.clientId != 0 else {
        app.flash(l.pick("This change belongs to no client.", "Это изменение не о клиенте."))
        return
      }
      app.push(ClientCardScreen(context: context, clientId: c.clientId, list: nil))
    case .pickUser:
      if log.ownOnly {
        app.flash(
          l.pick("A manager sees only their own changes.", "Менеджер видит только свои изменения."))
        return
      }
      let users = (try? context.db.users()) ?? []
      let items =
        [PickItem(key: "", label: l.pick("everyone", "все"))]
        + users.map { PickItem(key: String($0.id), label: $0.login, detail: $0.name) }
      app.push(
        PickerScreen.fixed(
          tab: tab, context: context, title: l.pick("Whose changes?", "Чьи изменения?"),
          prompt: l.pick("Enter picks.", "Enter — выбрать."), items: items
        ) { [weak self] item, _ in
          self?.filter.userId = Int64(item.key)
          self?.stale = true
        })
    case .pickEntity:
      let items =
        [PickItem(key: "", label: l.pick("everything", "всё"))]
        + AuditQuery.entities.map { PickItem(key: $0, label: log.entityName($0)) }
      app.push(
        PickerScreen.fixed(
          tab: tab, context: context, title: l.pick("Changes of what?", "Изменения чего?"),
          prompt: l.pick("Enter picks.", "Enter — выбрать."), items: items
        ) { [weak self] item, _ in
          self?.filter.entity = item.key.isEmpty ? nil : item.key
          self?.stale = true
        })
    case .periodLength:
      anchor = context.db.clock.now()
      setPeriod(Period(rawValue: (period.rawValue + 1) % Period.allCases.count)!)
    case .previous: shift(-1)
    case .next: shift(1)
    case .clearFilters:
      filter = AuditQuery()
      period = .all
      stale = true
      list = ListState()
    case .back: app.pop()
    default: break
    }
  }
}

/// One change in full: every field old → new, the undo links and what the object was before.
@MainActor
final class AuditDetailScreen: Screen {
  let tab: Int
  let context: AppContext
  let change: AuditChange
  var scroll = 0
  var lines: [(String, Style)] = []

  init(context: AppContext, change: AuditChange, tab: Int) {
    self.context = context
    self.change = change
    self.tab = tab
  }

  func build(width: Int) {
    let log = context.core.audit
    let f = context.formats
    let info = try? log.info(change.changeId)
    var out: [(String, Style)] = []
    var object = log.object(change)
    if let name = info?.objectName, !name.isEmpty { object += " — \(name)" }
    out.append(("\(f.dateTime(change.at)) · \(change.user) · \(object)", .bold))
    out.append(
      (
        l.pick("Action: ", "Действие: ") + log.actionName(change.action)
          + l.pick(" · change №", " · изменение №") + String(change.changeId), .plain
      ))
    if let u = info?.undoneBy {
      out.append((l.pick("Undone by change №\(u)", "Отменено изменением №\(u)"), .dim))
    }
    if let u = info?.undoOf {
      out.append((l.pick("Undoes change №\(u)", "Отменяет изменение №\(u)"), .dim))
    }
    out.append(("", .plain))
    let users = (try? context.db.users()) ?? []
    func value(_ field: String, _ v: String?) -> String {
      log.valueText(entity: change.entity, field: field, v, users: users)
    }
    for r in change.rows {
      let name = log.fieldName(entity: change.entity, r.field)
      let text = "\(name): \(value(r.field, r.old)) → \(value(r.field, r.new))"
      for (i, line) in wrap(text, width: width - 4).enumerated() {
        out.append(((i == 0 ? "" : "  ") + line, .plain))
      }
    }
    if let json = info?.beforeJSON {
      out.append(("", .plain))
      out.append((l.pick("Before (as stored):", "Было (как хранится):"), .bold))
      let summary = TextWidth.truncate(
        Self.summary(json: json), to: max(20, (width - 4) * 6))
      for line in wrap(summary, width: width - 4) { out.append((line, .dim)) }
    }
    lines = out
  }

  /// The stored object as `key: value` pairs (scalars that are not empty, in key order); the
  /// raw text when it is not a JSON object.
  static func summary(json: String) -> String {
    guard
      let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
    else { return json }
    var parts: [String] = []
    for key in object.keys.sorted() {
      let text: String
      switch object[key] {
      case let s as String: text = s
      case let n as NSNumber: text = n.stringValue
      case let list as [Any]: text = list.isEmpty ? "" : "[\(list.count)]"
      default: text = ""
      }
      if !text.isEmpty { parts.append("\(key): \(text)") }
    }
    return parts.joined(separator: " · ")
  }

  func draw(_ canvas: inout Canvas, top: Int, rows: Int, width: Int) {
    guard rows > 0, width > 10 else { return }
    build(width: width)
    scroll = max(0, min(scroll, lines.count - rows))
    for (i, line) in lines.dropFirst(scroll).prefix(rows).enumerated() {
      canvas.put(top + i, 2, line.0, line.1, maxWidth: width - 4)
    }
  }

  func handle(_ key: Key, app: App) {
    switch keys.action(for: key) {
    case .down: scroll += 1
    case .up: scroll = max(0, scroll - 1)
    case .pageDown: scroll += 10
    case .pageUp: scroll = max(0, scroll - 10)
    case .clientCard:
      if change.clientId != 0 {
        app.push(ClientCardScreen(context: context, clientId: change.clientId, list: nil))
      }
    case .back: app.pop()
    default: break
    }
  }
}
