import CRMCore
import Foundation
import GRDB
import TestSupport
import Testing

@testable import CRMApp
@testable import TerminalUI

/// Wednesday 2026-11-25 12:00 UTC.
let activityNow = Date(timeIntervalSince1970: 1_795_608_000)

/// 2026-11-`day` `hour`:00 UTC (December when day > 30).
func nov(_ day: Int, _ hour: Int = 10) -> Date {
  activityNow.addingTimeInterval(Double((day - 25) * 86400 + (hour - 12) * 3600))
}

/// anna (admin, acting), boris and vera (managers) on an in-memory base at Wednesday noon, Russian,
/// 80×24, UTC. boris: 3 calls this week (Mon, Mon, Tue), a meeting, a planned call overdue
/// since Monday, a new client; vera: one call on Tuesday.
@MainActor
struct ActivityScreenFixture {
  let app: App
  let term: MemoryTerminal
  let db: CRMDatabase
  let anna: User
  let boris: User
  let vera: User

  init(empty: Bool = false, lang: Language = .ru) throws {
    db = try CRMDatabase(memory: HandClock(activityNow))
    anna = try #require(try db.user(login: "anna"))
    boris = try #require(try db.user(login: "boris"))
    vera = try #require(try db.user(login: "vera"))
    term = MemoryTerminal(rows: 24, cols: 80)
    app = App(
      term: term, context: AppContext(db: db, user: anna, language: lang, timeZone: utc))
    if !empty { try fill() }
    app.render()
  }

  func sql(_ text: String, _ args: StatementArguments = []) throws {
    try db.write { d in try d.execute(sql: text, arguments: args) }
  }

  func client(_ name: String, owner: User, at: Date) throws -> Int64 {
    let t = at.timeIntervalSince1970
    try sql(
      """
      INSERT INTO client (kind, name, name_key, owner_id, created_by, created_at, updated_at)
      VALUES ('company', ?, ?, ?, ?, ?, ?)
      """, [name, name.lowercased(), owner.id, owner.id, t, t])
    return try db.read { d in try Int64.fetchOne(d, sql: "SELECT max(id) FROM client")! }
  }

  func contact(_ c: Int64, _ u: User, _ kind: String, _ status: String, _ at: Date, _ s: String)
    throws
  {
    let t = at.timeIntervalSince1970
    let done = status == "planned" ? nil : t
    try sql(
      """
      INSERT INTO contact (client_id, kind, status, due_at, done_at, subject, user_id, created_at,
        updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
      """, [c, kind, status, t, done, s, u.id, t, t])
  }

  func fill() throws {
    let r = try client("Ромашка", owner: boris, at: nov(1))
    try contact(r, boris, "call", "done", nov(23, 9), "Знакомство")
    try contact(r, boris, "call", "done", nov(23, 15), "Цены")
    try contact(r, boris, "call", "done", nov(24, 11), "Договор")
    try contact(r, boris, "meeting", "done", nov(24, 14), "Встреча в офисе")
    try contact(r, boris, "call", "planned", nov(23, 16), "Перезвонить")
    _ = try client("Лютик", owner: boris, at: nov(24))
    let v = try client("Василёк", owner: vera, at: nov(1))
    try contact(v, vera, "call", "done", nov(24, 10), "Первый звонок")
  }

  func press(_ keys: Key...) {
    for k in keys { app.handle(k) }
    app.render()
  }

  var text: String { term.text }
  var screen: ActivityScreen? { app.current as? ActivityScreen }
}

@MainActor
@Suite struct ActivityScreenTests {
  @Test func tableAtEightyByTwentyFourInRussian() throws {
    let f = try ActivityScreenFixture()
    f.press(.char("5"))
    let text = f.text
    #expect(text.contains("неделя 23–29 ноября 2026"))
    #expect(text.contains("Менеджер"))
    for h in ["Зв", "Вс", "Пс", "Em", "Др", "Проср", "НовК", "Сдвиг", "Выигр", "Выручка"] {
      #expect(text.contains(h), "\(h)")
    }
    let boris = try #require(f.term.text.split(separator: "\n").first { $0.hasPrefix(" boris") })
    #expect(boris.split(separator: " ").prefix(3) == ["boris", "3", "1"])
    #expect(text.contains("Итого"))
    // anna is an admin with nothing done: no row. The selected cell in words, and the charts
    // of the first manager.
    #expect(!text.contains(" anna "))
    #expect(text.contains("звонки · boris: 3"))
    #expect(text.contains("Зв █▅▁▁▁▁▁ 3"))
    for r in 0..<24 { #expect(TextWidth.of(f.term.line(r)) == 80) }
  }

  @Test func navigationMovesRowAndColumnAndDrawsBars() throws {
    let f = try ActivityScreenFixture()
    f.press(.char("5"))
    #expect(f.text.contains("звонки · boris: 3"))
    #expect(f.text.contains("boris — звонки по дням"))
    #expect(f.text.contains("пн 23"))
    // Monday 2 calls: the longest bar; Tuesday 1: half of it.
    let monday = try #require(f.text.split(separator: "\n").first { $0.contains("пн 23") })
    #expect(monday.contains("█") && monday.hasSuffix("2"))
    #expect(f.text.contains("Зв █▅▁▁▁▁▁ 3"))
    f.press(.char("l"))
    #expect(f.text.contains("встречи · boris: 1"))
    f.press(.right, .right, .right, .right)
    #expect(f.text.contains("просрочено сейчас · boris: 1"))
    #expect(f.term.style(of: "просрочено сейчас")?.reverse != true)
    f.press(.char("h"), .left)
    #expect(f.text.contains("e-mail · boris"))
    f.press(.char("j"))
    #expect(f.text.contains("e-mail · vera"))
    f.press(.char("j"))
    #expect(f.text.contains("e-mail · команда"))
  }

  @Test func periodKeys() throws {
    let f = try ActivityScreenFixture()
    f.press(.char("5"), .char("["))
    #expect(f.text.contains("неделя 16–22 ноября 2026"))
    f.press(.char("]"), .char("]"))
    #expect(f.text.contains("неделя 30 ноября – 6 декабря 2026"))
    f.press(.char("t"))
    #expect(f.text.contains("неделя 23–29 ноября 2026"))
    f.press(.char("p"))
    #expect(f.text.contains("ноябрь 2026 по неделям"))
    f.press(.char("p"))
    #expect(f.text.contains("IV квартал 2026 по месяцам"))
    f.press(.char("p"))
    #expect(f.text.contains("неделя 23–29 ноября 2026"))
    // `a` opens the audit log; `q` comes back.
    f.press(.char("a"))
    #expect(f.text.contains("Журнал") || f.text.contains("журнал"))
    #expect(f.app.current is AuditScreen)
  }

  @Test func targetsMetBoldBehindDim() throws {
    let f = try ActivityScreenFixture()
    let t = TargetService(db: f.db, userId: f.anna.id, language: .ru, timeZone: utc)
    try t.set(user: f.boris, metric: .calls, period: .week, amount: 3)
    try t.set(user: f.vera, metric: .calls, period: .week, amount: 5)
    f.press(.char("5"))
    #expect(f.text.contains("звонки · boris: 3/3 100%"))
    let met = try #require(f.screen?.selectedRow)
    let pf = try #require(f.screen?.planFact(met, .calls))
    #expect(pf.met)
    f.press(.char("j"))
    #expect(f.text.contains("звонки · vera: 1/5 20%"))
    // Cells: boris's 3 bold green, vera's 1 dim (not selected: move to the next column).
    f.press(.char("l"))
    let rows = f.text.split(separator: "\n", omittingEmptySubsequences: false)
    let borisRow = try #require(rows.firstIndex { $0.hasPrefix(" boris") })
    let veraRow = try #require(rows.firstIndex { $0.hasPrefix(" vera") })
    let col = try #require(cellColumn(f, row: borisRow))
    #expect(f.term.frame[borisRow, col].style == Style(bold: true, color: .green))
    #expect(f.term.frame[veraRow, col].style.dim)
  }

  /// The column of the last digit of the first number after the name.
  func cellColumn(_ f: ActivityScreenFixture, row: Int) -> Int? {
    let line = Array(f.term.line(row))
    var i = 1
    while i < line.count && line[i] != " " { i += 1 }
    while i < line.count && line[i] == " " { i += 1 }
    while i + 1 < line.count && line[i + 1] != " " { i += 1 }
    return i < line.count ? i : nil
  }

  @Test func enterListsTheRowsAndOpensTheCard() throws {
    let f = try ActivityScreenFixture()
    f.press(.char("5"), .enter)
    let drill = try #require(f.app.current as? ActivityDrillScreen)
    #expect(drill.total == 3 && drill.items.count == 3)
    #expect(f.text.contains("boris · звонки"))
    #expect(f.text.contains("Строк: 3"))
    #expect(f.text.contains("Договор") && f.text.contains("Цены") && f.text.contains("Знакомство"))
    #expect(f.text.contains("Ромашка"))
    f.press(.char("j"), .enter)
    #expect(f.app.current is ClientCardScreen)
    #expect(f.text.contains("Ромашка"))
    f.press(.char("q"))
    #expect(f.app.current is ActivityDrillScreen)
    f.press(.char("q"))
    #expect(f.app.current is ActivityScreen)
    // New clients and the team's total.
    f.press(.char("l"), .char("l"), .char("l"), .char("l"), .char("l"), .char("l"), .enter)
    #expect(f.text.contains("Лютик"))
    #expect((f.app.current as? ActivityDrillScreen)?.total == 1)
    f.press(
      .escape, .char("G"), .char("h"), .char("h"), .char("h"), .char("h"), .char("h"), .char("h"),
      .enter)
    #expect((f.app.current as? ActivityDrillScreen)?.total == 4)
  }

  @Test func emptyDatabase() throws {
    let f = try ActivityScreenFixture(empty: true)
    f.press(.char("5"))
    #expect(f.text.contains("неделя 23–29 ноября 2026"))
    #expect(f.text.contains("активности нет"))
    #expect(f.text.contains(" boris ") && f.text.contains(" vera "))
    f.press(.enter)
    #expect(f.text.contains("Строк: 0"))
    #expect(f.text.contains("За этим числом ничего нет."))
  }

  @Test func noManagersAtAll() throws {
    let db = try CRMDatabase(memory: HandClock(activityNow))
    let anna = try #require(try db.user(login: "anna"))
    let term = MemoryTerminal(rows: 24, cols: 80)
    let app = App(
      term: term, context: AppContext(db: db, user: anna, language: .ru, timeZone: utc))
    app.handle(.char("5"))
    app.handle(.enter)
    app.render()
    #expect(term.text.contains("Некого показать: нет менеджеров."))
    #expect(term.text.contains("crm user add"))
    #expect(app.current is ActivityScreen)
  }

  @Test func englishToo() throws {
    let f = try ActivityScreenFixture(lang: .en)
    f.press(.char("5"))
    #expect(f.text.contains("week 23–29 November 2026"))
    #expect(f.text.contains("calls · boris: 3"))
  }

  @Test func bigCountsFitTheirColumns() {
    #expect(ActivityScreen.count(999, width: 4, .ru) == "999")
    #expect(ActivityScreen.count(1_666, width: 4, .ru) == "1,7k")
    #expect(ActivityScreen.count(2_000, width: 4, .en) == "2k")
    #expect(ActivityScreen.count(12_400, width: 4, .ru) == "12k")
    #expect(ActivityScreen.count(1_006, width: 5, .ru) == Formats(language: .ru).integer(1_006))
    #expect(ActivityScreen.count(2_500_000, width: 4, .en) == "2.5M")
  }

  @Test func charts() {
    #expect(Charts.bar(1, maximum: 2, width: 4) == "██")
    #expect(Charts.bar(1, maximum: 8, width: 1) == "▏")
    #expect(Charts.bar(3, maximum: 16, width: 2) == "▍")
    #expect(Charts.bar(0, maximum: 8, width: 4) == "")
    #expect(Charts.sparkline([0, 1, 2]) == "▁▅█")
    #expect(Charts.sparkline([0, 0]) == "▁▁")
  }
}
