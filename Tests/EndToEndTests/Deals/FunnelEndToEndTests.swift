import CRMCore
import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

@Suite(.serialized) struct FunnelEndToEndTests {
  /// A manager opens the funnel, moves a deal from Interest to Offer sent with `>`, sees the card
  /// in that column, and the database then holds a call planned for the client three days on
  /// at the start of the working day (Saturday and Sunday move to Monday), in the process's zone.
  @Test func moveADealToOfferSentAndFindTheCallPlanned() throws {
    let s = Scratch()
    defer { s.remove() }
    let zone = "Asia/Yekaterinburg"
    let tz = try #require(TimeZone(identifier: zone))
    var client: Int64 = 0
    var deal: Int64 = 0
    do {
      let db = try CRMDatabase(path: s.db)
      let anna = try #require(try db.user(login: "anna"))
      client = try ClientService(db: db, userId: anna.id, language: .ru).add(
        Client(name: "Ромашка", legalForm: "ООО"))
      deal = try DealService(db: db, userId: anna.id, language: .ru, timeZone: tz).add(
        Deal(clientId: client, title: "Станки", amount: 250_000_00))
    }
    let tmux = try TmuxSession(
      "env TZ=\(zone) LANG=ru_RU.UTF-8 LC_ALL= TERM=xterm-256color \(crmBinary) --db \(s.db) --user anna"
    )
    _ = try tmux.waitFor("Клиенты")
    try tmux.keys("4")
    let board = try tmux.waitFor("Станки")
    #expect(board.contains("Интерес"))
    #expect(board.contains("КП отправлено"))
    let before = Date()
    try tmux.keys(">")
    let moved = try tmux.waitFor("→ КП отправлено")
    let after = Date()
    #expect(moved.contains("«Станки» → КП отправлено; звонок на "), "\(moved)")
    // The card now stands under the «КП отправлено» header.
    let lines = moved.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    func offset(_ needle: String, in line: String) -> Int? {
      line.range(of: needle).map { line.distance(from: line.startIndex, to: $0.lowerBound) }
    }
    let header = try #require(lines.first { $0.contains(" КП отправлено") })
    let card = try #require(lines.first { $0.contains("Станки") && !$0.contains("→") })
    #expect(offset("КП отправлено", in: header) == offset("Станки", in: card))
    try tmux.keys("q")
    #expect(try tmux.waitUntilGone())
    let sqlite = try #require(which("sqlite3"), "sqlite3 is needed (scripts/test.sh installs it)")
    let rows = try run(
      sqlite,
      [
        s.db,
        "SELECT kind, status, client_id, deal_id, CAST(due_at AS INTEGER) FROM contact ORDER BY id",
      ])
    let fields = rows.out.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "|")
      .map(String.init)
    #expect(fields.count == 5, "\(rows.out)")
    guard fields.count == 5 else { return }
    #expect(fields[0] == "call" && fields[1] == "planned")
    #expect(fields[2] == "\(client)" && fields[3] == "\(deal)")
    // The rule, in the zone crm ran in (WorkingHours): +3 days, at the same time of day when
    // that is within working hours (10–18), else at 10:00; Saturday/Sunday → Monday.
    var cal = Calendar(identifier: .gregorian)
    cal.timeZone = tz
    func day(_ moment: Date) -> Date {
      var day = cal.date(byAdding: .day, value: 3, to: cal.startOfDay(for: moment))!
      switch cal.component(.weekday, from: day) {
      case 7: day = cal.date(byAdding: .day, value: 2, to: day)!
      case 1: day = cal.date(byAdding: .day, value: 1, to: day)!
      default: break
      }
      return day
    }
    func timeOfDay(_ d: Date) -> Int { Int(d.timeIntervalSince(cal.startOfDay(for: d))) }
    let due = Date(timeIntervalSince1970: Double(Int(fields[4]) ?? 0))
    #expect([day(before), day(after)].contains(cal.startOfDay(for: due)), "\(fields)")
    let inHours = (10 * 3600..<18 * 3600)
    let kept = (timeOfDay(before) - 1)...(timeOfDay(after) + 1)
    #expect(
      timeOfDay(due) == 10 * 3600
        || (inHours.contains(timeOfDay(due)) && kept.contains(timeOfDay(due))),
      "\(fields)")
    let stage = try run(
      sqlite, [s.db, "SELECT s.key FROM deal d JOIN stage s ON s.id = d.stage_id"])
    #expect(stage.out == "offer\n")
  }
}
