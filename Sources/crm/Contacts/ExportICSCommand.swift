import ArgumentParser
import CRMApp
import CRMCore
import CRMExchange
import Foundation
import TerminalUI

#if canImport(Glibc)
  import Glibc
#endif

// MARK: crm export ics

struct Export: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "export",
    abstract: tr(
      "Export data to files.",
      "Выгрузка данных в файлы."),
    subcommands: [
      ICS.self, ExportActs.self, ExportLog.self, ExportClientsCSV.self, ExportClientsVCard.self,
      ExportClientsJSON.self,
    ])

  struct ICS: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "ics",
      abstract: tr(
        "Planned contacts as an iCalendar file (default: yours, today to +90 days).",
        "Запланированные контакты файлом iCalendar (по умолчанию: ваши, с сегодня на 90 дней)."))
    @OptionGroup var global: Global
    @Option(
      help: tr(
        "The .ics file to write (replaced atomically).",
        "Файл .ics, который записать (заменяется атомарно).")) var out: String
    @Flag(
      help: tr(
        "Everyone's contacts.",
        "Контакты всех.")) var all = false
    @Option(
      help: tr(
        "From this day or time (default: today).",
        "С этого дня или времени (по умолчанию: сегодня).")) var from: String?
    @Option(
      help: tr(
        "To this day (included) or time (default: 90 days on).",
        "По этот день (включительно) или время (по умолчанию: через 90 дней).")) var to: String?

    func run(_ session: Session) throws {
      let database = session.database
      let scope = try global.scope(database, all: all)
      let times = try Times(global, database)
      let cal = times.context.calendar
      let start = try from.map(times.from) ?? CalendarMath.startOfDay(times.now, cal)
      let end = try to.map(times.to) ?? CalendarMath.addDays(start, 90, cal)
      let service = session.context.contacts
      let rows = try service.planned(from: start, to: end, scope: scope, limit: Int(Int32.max))
      let token = try database.databaseToken()
      let events = rows.compactMap {
        ContactCalendar.event($0, token: token, language: global.language)
      }
      let name = all ? "TermCRM" : "TermCRM — \(global.login)"
      let text = ICalendar.write(
        events, calendarName: name, timeZone: .current, stamp: times.now)
      try writeAtomically(text, to: out, global)
      print(
        global.language.pick(
          "\(events.count) events written to \(out)", "Событий записано в \(out): \(events.count)"))
    }
  }
}
