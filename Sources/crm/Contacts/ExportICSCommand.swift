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
    abstract: "Export data to files.",
    subcommands: [
      ICS.self, ExportActs.self, ExportLog.self, ExportClientsCSV.self, ExportClientsVCard.self,
      ExportClientsJSON.self,
    ])

  struct ICS: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "ics",
      abstract: "Planned contacts as an iCalendar file (default: yours, today to +90 days).")
    @OptionGroup var global: Global
    @Option(help: "The .ics file to write (replaced atomically).") var out: String
    @Flag(help: "Everyone's contacts.") var all = false
    @Option(help: "From this day or time (default: today).") var from: String?
    @Option(help: "To this day (included) or time (default: 90 days on).") var to: String?

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
