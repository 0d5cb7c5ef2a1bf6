import ArgumentParser
import CRMApp
import CRMCore
import CRMExchange
import Foundation
import TerminalUI

#if canImport(Glibc)
  import Glibc
#endif

// MARK: crm agenda

struct Agenda: CRMCommand {
  static let configuration = CommandConfiguration(
    commandName: "agenda",
    abstract: tr(
      "Planned contacts from now on, by day (yours unless --all).",
      "Запланированные контакты с текущего момента по дням (ваши, если нет --all)."))
  @OptionGroup var global: Global
  @Option(
    help: tr(
      "How many days ahead, today included.",
      "На сколько дней вперёд, включая сегодня.")) var days = 7
  @Flag(
    help: tr(
      "Everyone's contacts.",
      "Контакты всех.")) var all = false
  @OptionGroup var output: JSONOutput

  func check() throws {
    guard (1...3660).contains(days) else {
      throw ValidationError(tr("--days must be between 1 and 3660", "--days — от 1 до 3660"))
    }
  }

  func run(_ session: Session) throws {
    let database = session.database
    let scope = try global.scope(database, all: all)
    let service = session.context.contacts
    let now = database.clock.now()
    let cal = TimeContext(now: now, timeZone: .current).calendar
    let end = CalendarMath.addDays(CalendarMath.startOfDay(now, cal), days, cal)
    let rows = try service.planned(from: now, to: end, scope: scope, limit: everyRow)
    if output.json {
      printJSON(rows.map(ContactJSON.object))
      return
    }
    let l = global.language
    // Team work: open to-dos given to me, overdue ones too (Team/TaskCommand.swift).
    let todos = try todoLines(session, scope: scope, to: end)
    defer { for line in todos { print(line) } }
    if rows.isEmpty {
      print(l.pick("Nothing planned.", "Ничего не запланировано."))
      return
    }
    var day: Date?
    for r in rows {
      guard let due = r.contact.dueAt else { continue }
      let start = CalendarMath.startOfDay(due, cal)
      if start != day {
        if day != nil { print("") }
        day = start
        print(weekday(due, cal, l) + " " + global.formats.date(due))
      }
      let time = String(global.formats.dateTime(due).suffix(5))
      let c = r.contact
      var line = "  \(time)  \(TextWidth.fit(c.kind.name(l), to: 8))  \(r.clientName)"
      if !c.subject.isEmpty { line += " — " + c.subject }
      line += "  (№\(r.id)" + (all ? ", \(r.userLogin))" : ")")
      print(line)
    }
  }
}

func weekday(_ d: Date, _ cal: Calendar, _ l: Language) -> String {
  let i = cal.component(.weekday, from: d) - 1
  let en = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
  let ru = ["Вс", "Пн", "Вт", "Ср", "Чт", "Пт", "Сб"]
  return l.pick(en[i], ru[i])
}
