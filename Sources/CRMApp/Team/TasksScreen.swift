import CRMCore
import Foundation
import TerminalUI

/// Tasks (reached by `T` from Reminders): the tasks given to me or, toggled with `a`, those I
/// gave, with their status; `f` cycles open / overdue / done / all; overdue ones in bold red.
/// `d` marks my to-do done, `x` cancels a task I gave.
@MainActor
public final class TasksScreen: ListScreen {
  public let tab = 3
  public let context: AppContext
  /// The tasks I gave instead of mine (supervisors start here).
  public private(set) var given: Bool
  public private(set) var filter = TaskFilter.open
  public private(set) var rows: [TeamTask] = []
  var list = ListState()
  var stale = true
  public static let limit = 500

  public init(context: AppContext) {
    self.context = context
    given = context.user.map { $0.role != .manager } ?? false
  }

  public func dataChanged() { stale = true }

  var service: TaskService {
    context.core.tasks
  }

  /// Whether there are more tasks than the `limit` read (the count then says «500+»).
  var capped = false

  func readRows() throws {
    // One more than shown tells whether the list goes on.
    rows = try service.list(given ? .given : .mine, filter: filter, limit: Self.limit + 1)
    capped = rows.count > Self.limit
    if capped { rows.removeLast() }
  }
  func forgetRows() { rows = [] }
  var rowCount: Int { rows.count }

  func filterName(_ l: Language) -> String {
    switch filter {
    case .open: return l.pick("open", "открытые")
    case .overdue: return l.pick("overdue", "просроченные")
    case .done: return l.pick("done", "выполненные")
    case .all: return l.pick("all", "все")
    }
  }

  public func draw(_ canvas: inout Canvas, top: Int, rows height: Int, width: Int) {
    refresh(app: nil)
    let f = context.formats
    var col = canvas.put(top, 1, l.pick("Tasks", "Задачи"), .bold)
    col = canvas.put(
      top, col,
      " · " + (given ? l.pick("given by me", "я дал(а)") : l.pick("mine", "мне")) + " · "
        + filterName(l) + " · " + f.integer(rows.count) + (capped ? "+" : ""), .dim,
      maxWidth: max(0, width - col - 1))
    if rows.isEmpty {
      let hint = l.pick(
        "No tasks here. a: mine / given by me, f: open / overdue / done / all.",
        "Задач нет. a — мне / я дал(а), f — открытые / просроченные / выполненные / все.")
      for (i, line) in wrap(hint, width: max(10, width - 4)).enumerated()
      where i < height - 2 {
        canvas.notice(top + 2 + i, line, width: width)
      }
      return
    }
    let columns = [
      Column(l.pick("Due", "Срок"), width: 16), Column(l.pick("Status", "Статус"), width: 11),
      Column(given ? l.pick("To", "Кому") : l.pick("From", "От"), width: 10),
      Column(l.pick("Task", "Задача"), width: 0),
    ]
    let widths = layoutColumns(columns, total: width)
    var r = top + 1
    var c = 0
    for (i, column) in columns.enumerated() where widths[i] > 0 {
      canvas.put(r, c, TextWidth.fit(column.title, to: widths[i]), .bold)
      c += widths[i] + 1
    }
    r += 1
    list.visible = max(1, height - 2)
    list.clamp()
    var index = list.top
    while r < top + height && index < rows.count {
      let t = rows[index]
      var style = t.overdue ? Style(bold: true, color: .red) : Style.plain
      if t.status != .open { style = .dim }
      if index == list.selected { style.reverse = true }
      var title = (t.isTodo ? "☐ " : "☎ ") + t.title
      if !t.clientName.isEmpty { title += " — " + t.clientName }
      let status = t.overdue ? l.pick("overdue", "просрочена") : t.status.name(l)
      let cells = [
        f.dateTime(t.dueAt), status, given ? t.assigneeLogin : t.authorLogin, title,
      ]
      canvas.fill(r, 0, width: width, style)
      var x = 0
      for (i, text) in cells.enumerated() where widths[i] > 0 {
        canvas.put(r, x, TextWidth.fit(text, to: widths[i]), style)
        x += widths[i] + 1
      }
      r += 1
      index += 1
    }
  }

  var selected: TeamTask? { rows.indices.contains(list.selected) ? rows[list.selected] : nil }

  public func handle(_ key: Key, app: App) {
    guard let action = listAction(key, app: app) else { return }
    switch action {
    case .scope:
      given.toggle()
      list = ListState()
      stale = true
    case .filter:
      let all = TaskFilter.allCases
      filter = all[(all.firstIndex(of: filter)! + 1) % all.count]
      list = ListState()
      stale = true
    case .done:
      guard let t = selected else { return }
      do {
        try service.done(t.id)
        app.flash(l.pick("Task done: ", "Задача выполнена: ") + t.title)
        stale = true
      } catch { app.report(error) }
    case .delete:
      guard let t = selected else { return }
      app.ask(
        l.pick("Cancel the task?", "Отменить задачу?"), t.title
      ) { [weak self] in
        guard let self else { return }
        do {
          try self.service.cancel(t.id)
          app.flash(l.pick("Task cancelled: ", "Задача отменена: ") + t.title)
          self.stale = true
        } catch { app.report(error) }
      }
    default:
      break
    }
  }
}
